/**
 * Issue #7 "Đọc trực tuyến": how heavy the online edition of a ~64-page issue is next to its screen.pdf
 * (what a reader on a slow link downloads), and what writing it adds to a typeset job.
 * The issue is bench/generate-issue.ts's, with every photo replaced by a distinct camera-sized (3000 × 2000)
 * noisy JPEG, which compresses like a real photo, unlike a flat drawing.
 *
 *   node bin/run-ts.mjs bench/online.ts [--pages 64] [--runs 5]
 * Prints a Markdown block for bench/RESULTS-online.md.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { BrowserHost } from '../src/typeset/browser.ts';
import { buildIssue } from '../src/typeset/build.ts';
import { loadIssue } from '../src/typeset/load-issue.ts';
import { writeOnlineEdition } from '../src/typeset/online-edition.ts';
import { generateIssue } from './generate-issue.ts';
import { median } from './measure.ts';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '64' }, runs: { type: 'string', default: '5' } } });
const PAGES = Number(values.pages);
const RUNS = Number(values.runs);
const LAYOUTS = { layoutsDir: path.resolve('layouts'), fontsDir: path.resolve('fonts') };

async function cameraPhoto(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 90 + (seed % 60), g: 110, b: 70 }, noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
    .blur(1.2)
    .jpeg({ quality: 88 })
    .toBuffer();
}

const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bantin-bench-online-'));
try {
  const dir = path.join(work, 'issue');
  await generateIssue(dir, PAGES);
  const photos = (await fs.readdir(path.join(dir, 'images'))).sort();
  for (const [i, name] of photos.entries()) await fs.writeFile(path.join(dir, 'images', name), await cameraPhoto(i));
  const photoBytes = (await Promise.all(photos.map((p) => fs.stat(path.join(dir, 'images', p))))).reduce((n, s) => n + s.size, 0);

  const browser = await BrowserHost.launch({ timeoutMs: 600_000 });
  const out = path.join(work, 'out');
  const started = Date.now();
  const result = await buildIssue(dir, { out, profile: 'all', online: true, allowExpiredLicence: true }, { browser: async () => browser, layouts: LAYOUTS });
  const buildMs = Date.now() - started;
  await browser.close();

  const size = (name: string): number => result.files.find((f) => f.name === name)?.bytes ?? 0;
  const online = result.files.filter((f) => f.name.startsWith('online/'));
  const images = online.filter((f) => f.name.startsWith('online/images/'));
  const onlineTotal = online.reduce((n, f) => n + f.bytes, 0);

  // The added cost of a typeset job: the online stage alone, on the plan the build loaded.
  const plan = await loadIssue(dir);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await writeOnlineEdition(path.join(work, `online-${i}`), plan, {}, LAYOUTS);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }

  console.log(`### ${new Date().toISOString().slice(0, 16)} — ${result.pages} pages, ${photos.length} photos (3000 × 2000, ${kib(photoBytes)} in the issue)`);
  console.log(`load average before/after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; Node ${process.version}; ${os.cpus().length} cores`);
  console.log('');
  console.log('| file | size |');
  console.log('|---|---:|');
  console.log(`| screen.pdf | ${kib(size('screen.pdf'))} |`);
  console.log(`| print.pdf | ${kib(size('print.pdf'))} |`);
  console.log(`| online/index.html | ${kib(size('online/index.html'))} |`);
  console.log(`| online/online.css | ${kib(size('online/online.css'))} |`);
  console.log(`| online/images/ (${images.length} JPEGs, ≤ 1000 px wide) | ${kib(images.reduce((n, f) => n + f.bytes, 0))} |`);
  console.log(`| online edition, all of it | ${kib(onlineTotal)} (${((onlineTotal / size('screen.pdf')) * 100).toFixed(0)} % of screen.pdf) |`);
  console.log('');
  console.log(`Whole build with the online edition: ${(buildMs / 1000).toFixed(1)} s. Online stage alone, ${RUNS} runs: median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}).`);
} finally {
  await fs.rm(work, { recursive: true, force: true });
}
