/**
 * Page thumbnails (`buildIssue(..., { thumbnails: true })` / `bantin build --thumbnails`): one JPEG per
 * final page, 240 px wide, trim area only, compared with poppler's rendering of the same screen.pdf page.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHost } from '../../src/typeset/browser.ts';
import { buildIssue, type BuildOutcome } from '../../src/typeset/build.ts';
import { makeIssue, type IssueFixture } from '../fixtures/make-issue.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAYOUTS = { layoutsDir: path.join(ROOT, 'layouts'), fontsDir: path.join(ROOT, 'fonts') };

let browser: BrowserHost;
let fx: IssueFixture;
let tmp: string;
let out: string;
let result: BuildOutcome;

beforeAll(async () => {
  browser = await BrowserHost.launch({ timeoutMs: 90_000 });
  // One section: masthead, article pages and colophon come short of a multiple of 4, so notes pages are added.
  fx = await makeIssue({ issue: { sections: [{ title: 'Văn bản, chính sách mới', articles: ['articles/01-nghi-quyet.md'] }] } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-thumbs-'));
  out = path.join(tmp, 'out');
  result = await buildIssue(fx.dir, { out, profile: 'all', thumbnails: true, now: new Date('2026-11-10T08:00:00Z') }, { browser: async () => browser, layouts: LAYOUTS });
});

afterAll(async () => {
  await browser.close();
  await fx.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const name = (page: number) => `page-${String(page).padStart(3, '0')}.jpg`;

/** Grey pixels of an image scaled to w × h and blurred (two renderers anti-alias thin lines differently). */
async function grey(input: string | Buffer, w: number, h: number): Promise<Buffer> {
  return sharp(input).resize(w, h, { fit: 'fill' }).greyscale().blur(2).raw().toBuffer();
}

function meanDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

/** screen.pdf's page (trim size) rendered by poppler at the thumbnail's size. */
function popplerPage(page: number, w: number, h: number): string {
  const prefix = path.join(tmp, `poppler-${page}`);
  execFileSync('pdftoppm', ['-png', '-singlefile', '-f', String(page), '-l', String(page), '-scale-to-x', String(w), '-scale-to-y', String(h), path.join(out, 'screen.pdf'), prefix]);
  return `${prefix}.png`;
}

describe('page thumbnails', () => {
  it('writes one 240-px-wide JPEG per final page, numbered page-001.jpg…, listed in the result but not in job.json', async () => {
    const dir = path.join(out, 'thumbnails');
    const files = fs.readdirSync(dir).sort();
    expect(result.pages % 4).toBe(0);
    expect(files).toEqual(Array.from({ length: result.pages }, (_, i) => name(i + 1)));
    for (const f of files) {
      const meta = await sharp(path.join(dir, f)).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.width).toBe(240);
      // The trim's proportions (190 × 270 mm), not the bleed's (196 × 276 mm → 338 px).
      expect(meta.height).toBe(Math.round((240 * 270) / 190));
    }
    const listed = result.files.filter((f) => f.name.startsWith('thumbnails/'));
    expect(listed.map((f) => f.name)).toEqual(files.map((f) => `thumbnails/${f}`));
    for (const f of listed) expect(f.sha256).toBe(crypto.createHash('sha256').update(fs.readFileSync(path.join(out, f.name))).digest('hex'));
    const job = JSON.parse(fs.readFileSync(path.join(out, 'job.json'), 'utf8')) as { files: Array<{ name: string }> };
    expect(job.files.some((f) => f.name.startsWith('thumbnails/'))).toBe(false);
    expect(fs.readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('shows each page as poppler renders it from screen.pdf: the masthead page is not blank and differs from a notes page', async () => {
    const notes = result.paginated.addedPages[0];
    expect(notes).toBeDefined();
    const w = 240;
    const h = Math.round((240 * 270) / 190);
    const thumb = (page: number) => grey(path.join(out, 'thumbnails', name(page)), w, h);
    const first = await thumb(1);
    const notesThumb = await thumb(notes ?? 0);
    const { channels } = await sharp(path.join(out, 'thumbnails', name(1))).greyscale().stats();
    expect(channels[0]?.stdev).toBeGreaterThan(8); // a blank page: about 0
    expect(meanDifference(first, notesThumb)).toBeGreaterThan(2);
    // Each tile is its own page: clearly closer to poppler's rendering of that page than of the other one.
    const popplerFirst = await grey(popplerPage(1, w, h), w, h);
    const popplerNotes = await grey(popplerPage(notes ?? 0, w, h), w, h);
    expect(meanDifference(first, popplerFirst)).toBeLessThan(meanDifference(first, popplerNotes) * 0.75);
    expect(meanDifference(notesThumb, popplerNotes)).toBeLessThan(meanDifference(notesThumb, popplerFirst) * 0.75);
  });
});
