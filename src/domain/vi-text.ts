/**
 * Vietnamese text rules shared by every layer (pure, no I/O). DESIGN.md: store and emit NFC only,
 * sort with Intl.Collator('vi'), search ignoring diacritics (đ = d), numbers "3.110",
 * dates "ngày 05 tháng 11 năm 2026", quotes “…”.
 */

export function nfc(text: string): string {
  return text.normalize('NFC');
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export function compareVi(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * Lower-case, strip every combining mark and map đ/Đ to d, so "Đảng viên" and "dang vien" meet.
 * Used both for indexing and for the query, so the two always agree.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .normalize('NFC');
}

/** Words of a query, folded; every word must match (DESIGN.md "q searches title and body"). */
export function searchWords(query: string): string[] {
  return foldForSearch(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

// Building an Intl.NumberFormat costs about a millisecond; the archive formats hundreds of numbers per page.
const NUMBER_VI = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

/** 3110 → "3.110" (Vietnamese thousands separator). */
export function formatNumberVi(n: number): string {
  return NUMBER_VI.format(n);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Dates are calendar dates (no time zone games): accepts `2026-11-05` or a Date read as UTC. */
export function toIsoDate(d: Date | string): string {
  if (typeof d === 'string') return d.slice(0, 10);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function dateParts(d: Date | string): { year: number; month: number; day: number } {
  const [y, m, day] = toIsoDate(d).split('-').map(Number);
  return { year: y ?? 0, month: m ?? 0, day: day ?? 0 };
}

/** "ngày 05 tháng 11 năm 2026" */
export function formatDateLongVi(d: Date | string): string {
  const { year, month, day } = dateParts(d);
  return `ngày ${pad2(day)} tháng ${pad2(month)} năm ${year}`;
}

/** "05/11/2026" */
export function formatDateShortVi(d: Date | string): string {
  const { year, month, day } = dateParts(d);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/** "Tháng 11/2026" */
export function formatMonthVi(d: Date | string): string {
  const { year, month } = dateParts(d);
  return `Tháng ${month}/${year}`;
}

/** Wraps in Vietnamese curly quotes “…”. */
export function quoteVi(text: string): string {
  return `\u201C${text}\u201D`;
}

/** ASCII slug for file names and URLs: "Gương chi bộ" → "guong-chi-bo". */
export function slugify(text: string): string {
  return foldForSearch(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}
