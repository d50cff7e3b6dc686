/**
 * `npm run bench`: typesetting speed and memory of `bantin build` against the floor (Chromium's native
 * page.pdf of the same HTML, no pagination) and against pagedjs-cli 0.4.3 and Vivliostyle CLI on the
 * same HTML, on generated issues of about 16/32/64/128 pages and on the sample issue. Writes
 * bench/RESULTS.md. Environment: BENCH_SIZES="16,32,64,128,sample", BENCH_REPS=3,
 * BENCH_TOOLS_DIR (where pagedjs-cli/Vivliostyle are npm-installed, outside this package).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateIssue } from './generate-issue.ts';
import { median, runMeasured, type RunResult } from './measure.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORK = path.join(ROOT, 'bench', 'work');
const TOOLS = process.env.BENCH_TOOLS_DIR ?? path.join(os.tmpdir(), 'bench-tools');
const CHROMIUM = process.env.BANTIN_CHROMIUM ?? '/usr/bin/chromium';
const SIZES = (process.env.BENCH_SIZES ?? '16,32,64,128,sample').split(',');
const REPS = Number(process.env.BENCH_REPS ?? 3);

interface Row {
  name: string;
  pages: number;
  cold: { ms: number; peakMiB: number };
  warm: { ms: number; peakMiB: number };
  /** Warm build that also writes page thumbnails */
  thumbnails: { ms: number };
  native: { ms: number; pages: number };
  /** Median over rounds of warm build ÷ the native print right after it */
  pairedRatio: number;
  pagedjsCli?: { ms: number; peakMiB: number; pages: number } | string;
  vivliostyle?: { ms: number; peakMiB: number; pages: number } | string;
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function pdfPages(file: string): number {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(out)?.[1] ?? 0);
}

/** pagedjs-cli and Vivliostyle go into their own npm prefix so this package's dependencies stay as they are. */
function installTools(): string | undefined {
  const bin = path.join(TOOLS, 'node_modules', '.bin');
  if (fs.existsSync(path.join(bin, 'pagedjs-cli')) && fs.existsSync(path.join(bin, 'vivliostyle'))) return undefined;
  log(`installing pagedjs-cli@0.4.3 and @vivliostyle/cli into ${TOOLS}`);
  fs.mkdirSync(TOOLS, { recursive: true });
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', TOOLS, 'pagedjs-cli@0.4.3', '@vivliostyle/cli'], {
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' },
    encoding: 'utf8',
  });
  return r.status === 0 ? undefined : `could not be installed with npm into ${TOOLS}: ${(r.stderr || '').split('\n').slice(-3).join(' ')}`;
}

function toolVersion(pkg: string): string {
  const file = path.join(TOOLS, 'node_modules', pkg, 'package.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version : 'not installed';
}

async function medianOf(reps: number, run: () => Promise<RunResult>): Promise<RunResult & { all: number[] }> {
  const results: RunResult[] = [];
  for (let i = 0; i < reps; i++) results.push(await run());
  const ms = results.map((r) => r.ms);
  const best = results.find((r) => r.ms === median(ms)) ?? results[0];
  if (!best) throw new Error('no runs');
  return { ...best, ms: median(ms), peakMiB: Math.max(...results.map((r) => r.peakMiB)), all: ms };
}

async function benchIssue(name: string, dir: string, toolsProblem: string | undefined): Promise<Row> {
  const out = path.join(WORK, `out-${name}`);
  const reps = name === '128' ? 1 : REPS;
  log(`${name}: cold bantin build ×${reps}`);
  const cold = await medianOf(reps, () => runMeasured(process.execPath, ['bin/bantin.mjs', 'build', dir, '--out', out, '--html'], { cwd: ROOT }));
  if (cold.code !== 0 && cold.code !== 1) throw new Error(`bantin build failed for ${name}:\n${cold.stderr}`);

  log(`${name}: warm builds and native page.pdf`);
  const warmOut = path.join(WORK, `warm-${name}`);
  let warmJson = '';
  const warmRun = await runMeasured(process.execPath, ['bin/run-ts.mjs', 'bench/warm.ts', dir, warmOut, String(reps)], { cwd: ROOT, onStdout: (d) => (warmJson += d) });
  if (warmRun.code !== 0) throw new Error(`warm run failed for ${name}:\n${warmRun.stderr}`);
  const warm = JSON.parse(warmJson) as { warm: number[]; withThumbnails: number[]; native: number[]; pages: number; nativePdf: string };
  const index = path.join(out, 'html', 'index.html');

  const row: Row = {
    name,
    pages: warm.pages,
    cold: { ms: cold.ms, peakMiB: cold.peakMiB },
    warm: { ms: median(warm.warm), peakMiB: warmRun.peakMiB },
    thumbnails: { ms: median(warm.withThumbnails) },
    native: { ms: median(warm.native), pages: pdfPages(warm.nativePdf) },
    pairedRatio: median(warm.warm.map((ms, i) => ms / (warm.native[i] ?? ms))),
  };
  if (toolsProblem) {
    row.pagedjsCli = row.vivliostyle = toolsProblem;
    return row;
  }
  const bin = path.join(TOOLS, 'node_modules', '.bin');
  const env = { ...process.env, PUPPETEER_EXECUTABLE_PATH: CHROMIUM };
  log(`${name}: pagedjs-cli`);
  const pjPdf = path.join(WORK, `pagedjs-cli-${name}.pdf`);
  const pj = await medianOf(reps, () =>
    runMeasured(path.join(bin, 'pagedjs-cli'), [index, '-o', pjPdf, '--browserArgs', '--no-sandbox,--disable-gpu', '--timeout', '600000'], { env }),
  );
  row.pagedjsCli = pj.code === 0 ? { ms: pj.ms, peakMiB: pj.peakMiB, pages: pdfPages(pjPdf) } : `failed: ${pj.stderr.split('\n').slice(-3).join(' ')}`;
  log(`${name}: vivliostyle`);
  const vsPdf = path.join(WORK, `vivliostyle-${name}.pdf`);
  const vs = await medianOf(reps, () =>
    runMeasured(path.join(bin, 'vivliostyle'), ['build', index, '-o', vsPdf, '--executable-browser', CHROMIUM, '--timeout', '600', '--log-level', 'silent'], { env }),
  );
  row.vivliostyle = vs.code === 0 ? { ms: vs.ms, peakMiB: vs.peakMiB, pages: pdfPages(vsPdf) } : `failed: ${vs.stderr.split('\n').slice(-3).join(' ')}`;
  return row;
}

const s = (ms: number) => (ms / 1000).toFixed(1);

function peer(p: Row['pagedjsCli']): string {
  if (p === undefined) return '–';
  if (typeof p === 'string') return p;
  return `${s(p.ms)} s, ${p.peakMiB.toFixed(0)} MiB (${p.pages} p.)`;
}

function report(rows: Row[], meta: { load: [number[], number[]]; chromium: string; started: Date }): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# bantin typesetting benchmark',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${meta.started.toISOString()}.`,
    '',
    `- Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Load average at start / end: ${meta.load[0].map((x) => x.toFixed(1)).join(' ')} / ${meta.load[1].map((x) => x.toFixed(1)).join(' ')} (other jobs share this machine; numbers are medians of ${REPS} runs, 1 run at 128 pages)`,
    `- Node ${process.version}; ${meta.chromium}; Paged.js 0.4.3; pagedjs-cli ${toolVersion('pagedjs-cli')}; Vivliostyle CLI ${toolVersion('@vivliostyle/cli')} (installed with npm into ${TOOLS}, not into this package)`,
    '',
    'Issues: generated (bench/generate-issue.ts: two-column Vietnamese prose, a 1800×1200 photo every other article, tables) and the sample issue issues/2026-11. ' +
      'All tools get the same HTML: the `index.html` that `bantin build --html` writes (exactly what Paged.js receives).',
    '',
    '- **cold bantin**: `node bin/bantin.mjs build <dir> --out <dir> --html` in a new process (launches Chromium, writes print.pdf + screen.pdf + preflight.json + job.json + html/), wall time; memory = peak PSS summed over node and every Chromium process.',
    '- **warm bantin**: `buildIssue()` with an already running browser, as the server\'s job worker runs it (print.pdf, screen.pdf, preflight, job.json; no html/ export), median after one warm-up run (bench/warm.ts, a child process so memory sampling never slows it); memory = peak PSS of that whole process tree over all its builds and prints.',
    '- **+ thumbnails**: the same warm build also writing thumbnails/page-NNN.jpg (as the job worker asks), interleaved with the plain warm builds.',
    '- **native page.pdf**: the same index.html printed by Chromium without Paged.js (no pagination, no running heads): the floor. Warm browser, in the same browser right after each warm build; **warm ÷ native** is the median of those pairs.',
    '- **pagedjs-cli / Vivliostyle**: their CLI on index.html, cold, same Chromium.',
    '',
    '| issue | pages | cold bantin | warm bantin | + thumbnails | native page.pdf (warm) | warm ÷ native | pagedjs-cli (cold) | Vivliostyle CLI (cold) | warm ms/page |',
    '|---|---:|---|---|---|---|---:|---|---|---:|',
    ...rows.map((r) =>
      [
        r.name === 'sample' ? 'sample 2026-11' : `generated ~${r.name}`,
        r.pages,
        `${s(r.cold.ms)} s, ${r.cold.peakMiB.toFixed(0)} MiB`,
        `${s(r.warm.ms)} s, ${r.warm.peakMiB.toFixed(0)} MiB`,
        `${s(r.thumbnails.ms)} s`,
        `${s(r.native.ms)} s (${r.native.pages} p.)`,
        r.pairedRatio.toFixed(2),
        peer(r.pagedjsCli),
        peer(r.vivliostyle),
        (r.warm.ms / Math.max(1, r.pages)).toFixed(0),
      ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'),
    ),
    '',
    'Targets (issue #3): warm 64-page build within 2× native page.pdf; cold build no slower than pagedjs-cli on the same HTML while producing both PDFs and preflight; ' +
      'linear growth with pages (see warm ms/page); peak memory under 1 GiB. The 128-page issue exceeds the legal 64 pages, so its preflight fails by design (exit 1); it is built for the growth curve only.',
    '',
  ];
  return lines.join('\n');
}

const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
/** Everything from this line on in RESULTS.md is written by people (assessments, paired runs) and kept. */
const NOTES_MARKER = '<!-- notes written by hand below: bench/run.ts keeps them -->';

function readHandWrittenNotes(): string {
  const old = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '';
  const at = old.indexOf(NOTES_MARKER);
  return '\n' + (at >= 0 ? old.slice(at) : NOTES_MARKER + '\n');
}

async function main(): Promise<void> {
  const handWrittenNotes = readHandWrittenNotes();
  const started = new Date();
  const loadStart = os.loadavg();
  fs.mkdirSync(WORK, { recursive: true });
  // Cold builds measure what a user runs after `npm ci`: the precompiled command, remade here because an
  // edited checkout would otherwise run its sources through tsx (bin/cli-bundle.mjs).
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-cli.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const toolsProblem = installTools();
  const chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  const rows: Row[] = [];
  let md = '';
  for (const size of SIZES) {
    const dir = size === 'sample' ? path.join(ROOT, 'issues', '2026-11') : path.join(WORK, `issue-${size}`);
    if (size !== 'sample') await generateIssue(dir, Number(size));
    rows.push(await benchIssue(size, dir, toolsProblem));
    log(JSON.stringify(rows.at(-1)));
    // Written after every issue, so a long run that is stopped still leaves its results.
    md = report(rows, { load: [loadStart, os.loadavg()], chromium, started });
    fs.writeFileSync(RESULTS, md + handWrittenNotes);
  }
  process.stdout.write(md);
}

await main();
