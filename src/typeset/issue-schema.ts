/**
 * The zod schemas of the file-based issue format (DESIGN.md "The file-based issue format"): issue.yaml,
 * the shared issues/bulletin.yaml and article front matter. Objects are strict: an unknown key is an
 * error (a typo like `printrun` must not be silently ignored). Parsing only; paths and files are
 * checked by load-issue.ts.
 */
import { z } from 'zod';

/** YAML may give a Date (YAML 1.1 timestamps) or a string; both become an ISO calendar date. */
export const isoDate = z
  .union([z.date(), z.string().trim()], { error: 'must be a date like 2026-11-15' })
  .transform((v, ctx) => {
    const iso = v instanceof Date ? (Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10)) : v;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    const valid = m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!valid) {
      ctx.addIssue({ code: 'custom', message: `invalid date "${String(v)}" (expected a date like 2026-11-15)` });
      return z.NEVER;
    }
    return iso;
  });

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** "190mm", "19cm", "190 mm" or a bare number of millimetres → millimetres. */
export const length = z.union([z.number(), z.string().trim()], { error: 'must be a length like 190mm' }).transform((v, ctx) => {
  if (typeof v === 'number') {
    if (v > 0 && Number.isFinite(v)) return v;
  } else {
    const m = /^(\d+(?:[.,]\d+)?)\s*(mm|cm)?$/i.exec(v);
    if (m) {
      const n = Number(m[1]!.replace(',', '.'));
      const mm = (m[2] ?? 'mm').toLowerCase() === 'cm' ? n * 10 : n;
      if (mm > 0) return Math.round(mm * 1000) / 1000;
    }
  }
  ctx.addIssue({ code: 'custom', message: `invalid length "${String(v)}" (expected a length like 190mm or 19cm)` });
  return z.NEVER;
});

/** Lengths where 0 is meaningful (a bleed of 0 for a screen-only issue). */
export const lengthOrZero = z.union([z.literal(0), z.literal('0'), length]).transform((v) => (v === '0' ? 0 : v));

const text = z.string().trim().min(1, 'must not be empty');
/** Colophon fields may be left empty at load time; preflight reports them (DESIGN.md colophon). */
const colophonText = z.string().trim().default('');

export const LicenceSchema = z.strictObject({
  number: colophonText,
  date: z.union([isoDate, z.literal('')]).default(''),
  issuer: colophonText,
  expires: isoDate.optional(),
});

export const BulletinSchema = z.strictObject({
  name: text,
  publisher: colophonText,
  address: colophonText,
  responsible: colophonText,
  licence: LicenceSchema.default({ number: '', date: '', issuer: '' }),
  frequency: colophonText,
  printShop: colophonText,
});
export type BulletinInput = z.output<typeof BulletinSchema>;

/** bulletin.yaml next to the issue directories holds the bulletin profile, either bare or under `bulletin:`. */
export const BulletinFileSchema = z.union([z.strictObject({ bulletin: BulletinSchema }), BulletinSchema]);

const positiveInt = z.number().int('must be a whole number').positive('must be positive');

export const SectionSchema = z.strictObject({
  title: text,
  columns: z.literal([1, 2], { error: 'must be 1 or 2' }).default(2),
  // `articles:` with every line commented out is YAML null: an empty section (preflight warns).
  articles: z.array(z.string()).nullish().transform((v) => v ?? []),
});

export const IssueSchema = z.strictObject({
  bulletin: BulletinSchema.optional(),
  number: positiveInt,
  date: isoDate,
  printRun: positiveInt,
  layout: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a layout name like "standard"').default('standard'),
  trim: z.strictObject({ width: length, height: length }).default({ width: 190, height: 270 }),
  bleed: lengthOrZero.default(3),
  colours: text.default('4/4 (CMYK)'),
  binding: text.default('saddle-stitch'),
  paper: text.default('Couché 100 g/m²'),
  cover: z.string().optional(),
  sections: z.array(SectionSchema).min(1, 'an issue needs at least one section'),
  distribution: z.array(z.strictObject({ unit: text, copies: positiveInt })).nullish().transform((v) => v ?? undefined),
});
export type IssueInput = z.output<typeof IssueSchema>;

export const FrontMatterSchema = z.strictObject({
  title: text,
  subtitle: text.optional(),
  lead: text.optional(),
  author: text.optional(),
  unit: text.optional(),
  date: isoDate.optional(),
});
export type FrontMatter = z.output<typeof FrontMatterSchema>;
