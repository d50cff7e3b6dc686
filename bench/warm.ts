/**
 * Child process of bench/run.ts: one warm browser, as the server keeps it. Builds the issue once to warm
 * up (with --html, which writes the HTML the native print and the other tools get), then `reps` timed
 * builds as the job worker runs them (both PDFs, preflight, job.json; no html/ export, which only the CLI
 * offers) interleaved with `reps` builds that also write page thumbnails (as the job worker asks), then
 * prints the same HTML natively (page.pdf without Paged.js). Prints
 * JSON timings on stdout; the parent samples this process tree's memory from outside, so sampling never
 * steals this event loop.
 *   node bin/run-ts.mjs bench/warm.ts <issue-dir> <out-dir> <reps>
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserHost } from '../src/typeset/browser.ts';
import { buildIssue } from '../src/typeset/build.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const [dir, out, repsArg] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: warm.ts <issue-dir> <out-dir> <reps>');
const reps = Number(repsArg ?? 3);
const layouts = { layoutsDir: path.join(ROOT, 'layouts'), fontsDir: path.join(ROOT, 'fonts') };

const browser = await BrowserHost.launch({ executablePath: process.env.BANTIN_CHROMIUM, timeoutMs: 900_000 });
try {
  const build = async (thumbnails = false, html = false) => {
    const t = performance.now();
    const r = await buildIssue(dir, { out, profile: 'all', html, thumbnails }, { browser: async () => browser, layouts });
    return { ms: performance.now() - t, pages: r.pages };
  };
  await build(false, true);
  const warm: number[] = [];
  const withThumbnails: number[] = [];
  let pages = 0;
  for (let i = 0; i < reps; i++) {
    const r = await build();
    warm.push(r.ms);
    pages = r.pages;
    withThumbnails.push((await build(true)).ms);
  }
  const htmlDir = path.join(out, 'html');
  const nativePdf = path.join(out, 'native.pdf');
  const native: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    const t = performance.now();
    await browser.withPage({ allowDirs: [htmlDir] }, 'native print', async ({ page }) => {
      await page.goto(pathToFileURL(path.join(htmlDir, 'index.html')).href, { waitUntil: 'load' });
      fs.writeFileSync(nativePdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    });
    if (i > 0) native.push(performance.now() - t); // the first print warms the font cache
  }
  process.stdout.write(JSON.stringify({ warm, withThumbnails, native, pages, nativePdf, chromium: await browser.version }) + '\n');
} finally {
  await browser.close();
}
