/**
 * Benchmark (issue #7): 200 concurrent readers downloading a 5 MB screen.pdf in Range requests (as a
 * download manager resuming on a slow link does), and the archive page with 10 years of published issues
 * (120). Seeds a data dir through the store, runs `bantin serve` as a child process (its own event loop and
 * memory), drives it over loopback with keep-alive connections, and prints Markdown rows: requests, errors,
 * throughput, time to first byte and whole-request p50/p95/p99, the server's peak RSS, the load average.
 *
 *   node bin/run-ts.mjs bench/publish-load.ts [--readers 200] [--seconds 20] [--chunk-kb 512] [--archive-requests 1000]
 *     [--server-node-args='--max-semi-space-size=2 --cpu-prof']   (Node flags for the server process only)
 *     [--data DIR]   (keep the seeded data dir for the next run; a DIR that already holds a database is used as it is)
 *
 * Besides latency it prints the server's own CPU time per request (utime + stime from /proc, which unlike
 * latency does not depend on what else runs on the machine) and its RSS.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { databasePath, openStore } from '../src/store/index.ts';
import { createServices } from '../src/workflow/index.ts';
import { toActor } from '../src/workflow/auth.ts';
import { seedSignedIssue } from '../test/publish/published-issue.ts';

const { values } = parseArgs({
  options: { data: { type: 'string' }, readers: { type: 'string', default: '200' }, seconds: { type: 'string', default: '20' }, 'chunk-kb': { type: 'string', default: '512' }, 'archive-requests': { type: 'string', default: '1000' }, 'server-node-args': { type: 'string', default: '' } },
});
const READERS = Number(values.readers);
const SECONDS = Number(values.seconds);
const CHUNK = Number(values['chunk-kb']) * 1024;
const ARCHIVE_REQUESTS = Number(values['archive-requests']);
const SERVER_NODE_ARGS = values['server-node-args'].split(' ').filter(Boolean);
const PASSWORD = 'bench-password-1';

const SECTIONS = ['Văn bản, chính sách mới', 'Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh', 'Gương chi bộ, đảng viên', 'Nghiệp vụ công tác Đảng', 'Thông tin lý luận', 'Tin tức – sự kiện'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ms = (xs: number[], p: number) => percentile(xs, p).toFixed(1);

/** A valid ~5 MB PDF: 40 pages, each a full-page photo of noise (JPEG does not shrink it). */
async function fiveMegabytePdf(): Promise<{ bytes: Buffer; pages: number }> {
  const doc = await PDFDocument.create();
  const pages = 40;
  for (let i = 0; i < pages; i++) {
    const jpg = await sharp({ create: { width: 390, height: 555, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg({ quality: 80 }).toBuffer();
    const image = await doc.embedJpg(jpg);
    doc.addPage([538, 765]).drawImage(image, { x: 0, y: 0, width: 538, height: 765 });
  }
  return { bytes: Buffer.from(await doc.save()), pages };
}

/** 10 years × 12 published issues, the newest with the 5 MB screen.pdf; a reader of one unit. */
async function seed(dataDir: string): Promise<{ currentIssueId: number; pdfBytes: number }> {
  const store = openStore(dataDir);
  const s = createServices({ store });
  const admin = toActor(await s.auth.setup({ username: 'admin', password: PASSWORD, displayName: 'Quản trị' }));
  const unit = s.units.create(admin, { name: 'Chi bộ ấp Long Hải', kind: 'party_cell' });
  await s.users.create(admin, { username: 'docgia', password: PASSWORD, displayName: 'Chi bộ ấp Long Hải', role: 'reader', unitId: unit.id });
  const chief = await s.users.create(admin, { username: 'tongbientap', password: PASSWORD, displayName: 'Tổng biên tập', role: 'editor_in_chief' });
  const big = await fiveMegabytePdf();
  let current = 0;
  for (let year = 2017; year <= 2026; year++) {
    for (let number = 1; number <= 12; number++) {
      const newest = year === 2026 && number === 12;
      const toc = SECTIONS.flatMap((section, i) => [0, 1].map((j) => ({ section, title: `Bài ${i * 2 + j + 1} số ${number}/${year}: ${section.toLowerCase()}`, page: 3 + (i * 2 + j) * 4 })));
      const seeded = await seedSignedIssue(store, dataDir, { number, year, userId: chief.id, toc, ...(newest ? { pdf: big } : {}) });
      if (newest) current = seeded.issueId;
    }
  }
  store.close();
  return { currentIssueId: current, pdfBytes: big.bytes.length };
}

/** Signs in through the login form like a browser (CSRF token, cookies) and returns the Cookie header. */
async function browserSession(base: string, username: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await fetch(base + '/login');
  keep(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(base + '/login', { method: 'POST', redirect: 'manual', headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, username, password: PASSWORD }).toString() });
  keep(res);
  if (res.status !== 303) throw new Error(`login form → ${res.status}`);
  return header();
}

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

interface Timed {
  ttfb: number;
  total: number;
  status: number;
  bytes: number;
}

function timedGet(agent: http.Agent, port: number, pathname: string, headers: Record<string, string>): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers, agent }, (res) => {
      const ttfb = performance.now() - t;
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ ttfb, total: performance.now() - t, status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The newest issue and the size of its screen.pdf in a data dir seeded earlier (`--data`). */
function seededBefore(dataDir: string): { currentIssueId: number; pdfBytes: number } {
  const store = openStore(dataDir);
  try {
    const newest = store.issues.findByNumber(2026, 12, 1);
    const rendition = newest?.signedRenditionId ? store.renditions.get(newest.signedRenditionId) : undefined;
    const pdf = rendition?.files.find((f) => f.name === 'screen.pdf');
    if (!newest || !pdf) throw new Error(`${dataDir} holds no issue 12/2026 with a screen.pdf: remove it to seed again`);
    return { currentIssueId: newest.id, pdfBytes: pdf.bytes };
  } finally {
    store.close();
  }
}

/** CPU time the server process has used so far, in ms (utime + stime, 100 ticks per second). */
function serverCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function run(): Promise<void> {
  const dataDir = values.data ? path.resolve(values.data) : fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-bench-publish-'));
  const t0 = Date.now();
  const reuse = fs.existsSync(databasePath(dataDir));
  const { currentIssueId, pdfBytes } = reuse ? seededBefore(dataDir) : await seed(dataDir);
  const before = openStore(dataDir);
  const loggedBefore = before.downloadLinks.downloads(currentIssueId).length;
  before.close();
  process.stderr.write(`${reuse ? 'seeded data dir reused' : 'seeded 120 issues'} in ${((Date.now() - t0) / 1000).toFixed(1)} s; screen.pdf ${(pdfBytes / 1e6).toFixed(2)} MB\n`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, [...SERVER_NODE_ARGS, 'bin/bantin.mjs', 'serve'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', BANTIN_WORKER: 'off' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(server.pid!))), 100);
  try {
    for (let i = 0; ; i++) {
      if (i > 300) throw new Error('server did not start');
      if (await fetch(base + '/healthz').then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const login = await fetch(base + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'docgia', password: PASSWORD }) });
    const token = ((await login.json()) as { token: string }).token;
    const bearer = { authorization: `Bearer ${token}` };
    const cookie = { cookie: await browserSession(base, 'docgia') };
    const rows: string[] = [];
    const loadBefore = os.loadavg()[0]!.toFixed(1);
    const idleRss = rssMiB(server.pid!);

    // --- archive page: 120 issues ------------------------------------------------------------------------
    const archiveAgent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    for (let i = 0; i < 30; i++) {
      const r = await timedGet(archiveAgent, port, '/archive', cookie);
      if (r.status !== 200) throw new Error(`/archive → ${r.status}`);
    }
    for (const concurrency of [1, 10]) {
      const totals: number[] = [];
      let errors = 0;
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < ARCHIVE_REQUESTS) {
          next++;
          const r = await timedGet(archiveAgent, port, '/archive', cookie);
          if (r.status !== 200) errors++;
          totals.push(r.total);
        }
      };
      const cpu0 = serverCpuMs(server.pid!);
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (performance.now() - started) / 1000;
      const cpu = ((serverCpuMs(server.pid!) - cpu0) / totals.length).toFixed(2);
      totals.sort((a, b) => a - b);
      rows.push(`| archive page, 120 issues | ${concurrency} | ${totals.length} | ${errors} | ${(totals.length / seconds).toFixed(0)} req/s | – | ${ms(totals, 50)} | ${ms(totals, 95)} | ${ms(totals, 99)} | ${cpu} |`);
      process.stderr.write(rows.at(-1) + '\n');
    }

    // --- 200 readers, Range downloads of screen.pdf --------------------------------------------------------
    const file = `/api/v1/issues/${currentIssueId}/files/screen.pdf`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: READERS });
    const ttfbs: number[] = [];
    const totals: number[] = [];
    let errors = 0;
    let bytes = 0;
    const until = performance.now() + SECONDS * 1000;
    const startedAt = performance.now();
    const reader = async (n: number) => {
      // Each reader resumes where it stopped, chunk after chunk, starting at a different place in the file.
      let offset = Math.floor((n / READERS) * pdfBytes / CHUNK) * CHUNK;
      while (performance.now() < until) {
        const end = Math.min(pdfBytes, offset + CHUNK) - 1;
        const r = await timedGet(agent, port, file, { ...bearer, range: `bytes=${offset}-${end}` });
        if (r.status !== 206 || r.bytes !== end - offset + 1) errors++;
        ttfbs.push(r.ttfb);
        totals.push(r.total);
        bytes += r.bytes;
        offset = end + 1 >= pdfBytes ? 0 : end + 1;
      }
    };
    // Where the memory is while the readers download: V8 heap or Buffers outside it (Prometheus defaults).
    let memoryMidRun = '';
    const probe = setTimeout(() => {
      void fetch(base + '/metrics').then(async (r) => {
        const text = await r.text();
        const mib = (name: string) => (Number(new RegExp(`^bantin_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20).toFixed(0);
        memoryMidRun = `RSS ${mib('process_resident_memory_bytes')} MiB, V8 heap used ${mib('nodejs_heap_size_used_bytes')} MiB of ${mib('nodejs_heap_size_total_bytes')}, external (Buffers) ${mib('nodejs_external_memory_bytes')} MiB`;
      });
    }, SECONDS * 750);
    const cpu0 = serverCpuMs(server.pid!);
    await Promise.all(Array.from({ length: READERS }, (_, n) => reader(n)));
    clearTimeout(probe);
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = ((serverCpuMs(server.pid!) - cpu0) / totals.length).toFixed(2);
    ttfbs.sort((a, b) => a - b);
    totals.sort((a, b) => a - b);
    rows.push(
      `| screen.pdf ${(pdfBytes / 1e6).toFixed(1)} MB, Range ${CHUNK / 1024} KB | ${READERS} | ${totals.length} | ${errors} | ${(totals.length / seconds).toFixed(0)} req/s, ${((bytes * 8) / seconds / 1e6).toFixed(0)} Mbit/s | ${ms(ttfbs, 50)} / ${ms(ttfbs, 95)} / ${ms(ttfbs, 99)} | ${ms(totals, 50)} | ${ms(totals, 95)} | ${ms(totals, 99)} | ${cpu} |`,
    );
    process.stderr.write(rows.at(-1) + '\n');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'));

    console.log(`### Downloads and archive — loopback, 2 cores shared (load average ${loadBefore} before, ${os.loadavg()[0]!.toFixed(1)} after), ${new Date().toISOString().slice(0, 10)}\n`);
    console.log('| scenario | concurrent clients | requests | errors | throughput | TTFB p50 / p95 / p99 ms | p50 ms | p95 ms | p99 ms | server CPU ms/request |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
    console.log(`\nServer RSS: ${idleRss.toFixed(0)} MiB after start-up and warm-up, peak ${peakRss.toFixed(0)} MiB sampled every 100 ms (VmHWM ${hwm ? (Number(hwm[1]) / 1024).toFixed(0) : '?'} MiB).`);
    console.log(`Server memory three quarters into the download run: ${memoryMidRun || 'not sampled'}.`);
    console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB${SERVER_NODE_ARGS.length ? `; server Node flags: ${SERVER_NODE_ARGS.join(' ')}` : ''}.`);
    // Counted after the server stopped: it writes the log in batches and the last one on its way out.
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    const downloads = openStore(dataDir);
    const logged = downloads.downloadLinks.downloads(currentIssueId).length - loggedBefore;
    downloads.close();
    console.log(`Download log rows written during the run: ${logged} of ${totals.length} answered Range requests.`);
  } finally {
    clearInterval(sampler);
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    if (!values.data) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await run();
