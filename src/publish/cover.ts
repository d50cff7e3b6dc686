/**
 * The cover picture portals show next to the issue (JPG). Drawn from the issue's own data as SVG and
 * encoded by sharp, because libvips here cannot rasterise PDF pages and only typeset/browser.ts may
 * drive Chromium. Proportions follow the 19 × 27 cm page.
 */
import { loadSharp } from '../lazy-deps.ts';
import { formatDateShortVi, formatMonthVi } from '../domain/vi-text.ts';

export interface CoverFacts {
  bulletinName: string;
  publisher: string;
  number: number;
  date: string;
  pages: number;
}

const WIDTH = 760;
const HEIGHT = 1080;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Splits a long name into lines of at most `max` characters, at spaces. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export async function makeCoverJpg(facts: CoverFacts): Promise<Buffer> {
  const publisher = wrap(facts.publisher.toUpperCase(), 34)
    .map((l, i) => `<text x="380" y="${110 + i * 34}" font-size="26" text-anchor="middle">${esc(l)}</text>`)
    .join('');
  const name = wrap(facts.bulletinName.toUpperCase(), 18)
    .map((l, i) => `<text x="380" y="${470 + i * 70}" font-size="60" font-weight="bold" text-anchor="middle" fill="#b3141c">${esc(l)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
  <rect width="100%" height="100%" fill="#fffdf7"/>
  <rect x="24" y="24" width="${WIDTH - 48}" height="${HEIGHT - 48}" fill="none" stroke="#b3141c" stroke-width="6"/>
  <g font-family="Noto Serif, DejaVu Serif, serif" fill="#1a1a1a">
    ${publisher}
    <text x="380" y="360" font-size="96" font-weight="bold" text-anchor="middle" fill="#b3141c">BẢN TIN</text>
    ${name}
    <text x="380" y="760" font-size="40" text-anchor="middle">Số ${facts.number} – ${esc(formatMonthVi(facts.date))}</text>
    <text x="380" y="820" font-size="28" text-anchor="middle">Ngày ${esc(formatDateShortVi(facts.date))} · ${facts.pages} trang</text>
    <text x="380" y="1000" font-size="24" font-style="italic" text-anchor="middle">Lưu hành nội bộ</text>
  </g>
</svg>`;
  const sharp = await loadSharp();
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}
