/**
 * Child process of bench/run.ts: one warm browser, as the server keeps it. Builds the issue once to warm
 * up (with --html, which writes the HTML the native print and the other tools get), then `reps` rounds of:
 * a timed build as the job worker runs it (both PDFs, preflight, job.json; no html/ export, which only the
 * CLI offers), the same HTML printed natively (page.pdf without Paged.js), a build that also writes page
 * thumbnails (as the job worker asks). Prints
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
  const htmlDir = path.join(out, 'html');
  const nativePdf = path.join(out, 'native.pdf');
  const printNatively = async () => {
    const t = performance.now();
    await browser.withPage({ allowDirs: [htmlDir] }, 'native print', async ({ page }) => {
      await page.goto(pathToFileURL(path.join(htmlDir, 'index.html')).href, { waitUntil: 'load' });
      fs.writeFileSync(nativePdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    });
    return performance.now() - t;
  };
  await printNatively(); // the first print warms the font cache
  // Rounds of warm build, native print, build with thumbnails: each build is compared with the native
  // print next to it, so a change in the machine's load hits both sides of a ratio alike.
  const warm: number[] = [];
  const withThumbnails: number[] = [];
  const native: number[] = [];
  let pages = 0;
  for (let i = 0; i < reps; i++) {
    const r = await build();
    warm.push(r.ms);
    pages = r.pages;
    native.push(await printNatively());
    withThumbnails.push((await build(true)).ms);
  }
  process.stdout.write(JSON.stringify({ warm, withThumbnails, native, pages, nativePdf, chromium: await browser.version }) + '\n');
} finally {
  await browser.close();
}
