/**
 * Benchmark: the review queue and full-text search with 50,000 articles, 20 concurrent clients on loopback.
 * Seeds a data dir through the store (one transaction), runs `bantin serve` as a child process (so the
 * load generator does not share its event loop), then measures per-request latency; prints a Markdown
 * table with p50/p95/p99, the server's peak memory (VmHWM) and the load average before and after.
 *
 *   node bin/run-ts.mjs bench/web-queue.ts [--articles 50000] [--requests 2000] [--concurrency 20] [--data DIR]
 *
 * `--data DIR` keeps the seeded data dir for the next run (seeding 50,000 articles takes a while); a DIR
 * that already holds a database is used as it is. HTTP clients use keep-alive connections (node:http), as
 * a browser does, so the numbers are the server's, not a new TCP connection's per request.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { openStore, databasePath } from '../src/store/index.ts';
import { createServices } from '../src/workflow/index.ts';
import { toActor } from '../src/workflow/auth.ts';
import type { ArticleState } from '../src/domain/article.ts';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '50000' }, requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '20' }, data: { type: 'string' } } });
const ARTICLES = Number(values.articles);
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const PASSWORD = 'bench-password-1';

const WORDS = ('đảng viên chi bộ nghị quyết học tập làm theo tư tưởng đạo đức phong cách Hồ Chí Minh xây dựng chỉnh đốn ' +
  'cán bộ nhân dân kinh tế xã hội quốc phòng an ninh chuyển đổi số nông thôn mới dân vận khéo thanh niên phụ nữ cựu chiến binh ' +
  'kiểm tra giám sát tổ chức sinh hoạt chuyên đề tuyên truyền hội nghị sơ kết tổng kết phong trào thi đua khen thưởng biên giới ' +
  'biển đảo môi trường giáo dục y tế văn hóa du lịch giảm nghèo an sinh đất đai khiếu nại tố cáo tham nhũng lãng phí tiêu cực').split(' ');
const UNIT_NAMES = ['Long An', 'Tân Ninh', 'Trảng Bàng', 'Hòa Thành', 'Bến Cầu', 'Châu Thành', 'Tân Biên', 'Đức Hòa', 'Ninh Điền', 'Long Thuận', 'Tân Đông', 'Dương Minh Châu'];
const STATES: ArticleState[] = ['submitted', 'in_review', 'approved', 'returned', 'rejected', 'scheduled', 'published', 'published', 'published', 'published'];

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function row(name: string, measured: string, latencies: number[], rate = '–', cpu = '–'): string {
  latencies.sort((a, b) => a - b);
  return `| ${name} | ${measured} | ${latencies.length} | ${rate} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 95).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${cpu} |`;
}

/**
 * CPU time the server process has used so far, in ms (utime + stime from /proc, 100 ticks per second):
 * per request it does not depend on how busy the machine is, unlike latency.
 */
function serverCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** 50,000 articles from 12 communes, most of them by one editor (who also has "my articles" to list). */
async function seedData(dataDir: string): Promise<void> {
  const store = openStore(dataDir);
  const s = createServices({ store });
  const admin = toActor(await s.auth.setup({ username: 'admin', password: PASSWORD, displayName: 'Admin' }));
  const unitIds = UNIT_NAMES.map((n) => s.units.create(admin, { name: `Đảng ủy xã ${n}`, kind: 'commune_committee' }).id);
  const editor = await s.users.create(admin, { username: 'editor', password: PASSWORD, displayName: 'Editor', role: 'editor' });
  const contributor = await s.users.create(admin, { username: 'contributor', password: PASSWORD, displayName: 'Contributor', role: 'contributor', unitId: unitIds[0] });
  const sectionIds = ['Tin tức – sự kiện', 'Gương chi bộ, đảng viên', 'Nghiệp vụ công tác Đảng'].map((title) => s.sections.create(admin, { title }).id);
  const t0 = Date.now();
  const start = Date.parse('2022-01-01T00:00:00Z');
  store.transaction(() => {
    for (let i = 0; i < ARTICLES; i++) {
      const at = new Date(start + i * 30 * 60_000).toISOString();
      const bodyHtml = Array.from({ length: 6 }, () => `<p>${sentence(30)}.</p>`).join('');
      const unitId = pick(unitIds);
      // One in ten of the first unit's articles is the contributor's own; the rest are filed by the editor.
      const createdBy = unitId === unitIds[0] && rand() < 0.1 ? contributor.id : editor.id;
      const id = store.articles.insert({ title: sentence(8), subtitle: null, lead: sentence(20), bodyHtml, author: null, sectionId: pick(sectionIds), unitId, createdBy }, at);
      const state = pick(STATES);
      if (state !== 'submitted') store.articles.setState(id, state, null, at);
    }
  });
  process.stderr.write(`seeded ${ARTICLES} articles in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(store.file).size / 1e6).toFixed(0)} MB)\n`);
  store.close();
}

/** The queries alone, in process: what the store costs, apart from HTTP and the machine's other load. */
function measureQueries(dataDir: string): string[] {
  const store = openStore(dataDir);
  const firstUnit = store.units.list().find((u) => u.name === `Đảng ủy xã ${UNIT_NAMES[0]}`)!;
  const editor = store.users.findForLogin('editor')!.user;
  const contributor = store.users.findForLogin('contributor')!.user;
  const unitScope = { unitIds: [firstUnit.id], userId: contributor.id };
  const queries: Record<string, () => unknown> = {
    'review queue (state=submitted, 50 newest)': () => store.articles.list({ state: 'submitted', limit: 50, offset: 0 }),
    'review queue, page 5 (offset 200)': () => store.articles.list({ state: 'in_review', limit: 50, offset: 200 }),
    'search, 2 common words': () => store.articles.list({ q: `${pick(WORDS)} ${pick(WORDS)}`, limit: 50, offset: 0 }),
    'search, 3 words, folded ("dang vien ...")': () => store.articles.list({ q: `dang vien ${pick(WORDS).slice(0, 3)}`, limit: 50, offset: 0 }),
    'search + state filter': () => store.articles.list({ state: 'approved', q: pick(WORDS), limit: 50, offset: 0 }),
    'contributor search (own unit only)': () => store.articles.list({ q: `${pick(WORDS)} ${pick(WORDS)}`, scope: unitScope, limit: 50, offset: 0 }),
    'contributor search + state filter': () => store.articles.list({ state: 'approved', q: `${pick(WORDS)} ${pick(WORDS)}`, scope: unitScope, limit: 50, offset: 0 }),
    'my articles (editor, mine=1)': () => store.articles.list({ createdBy: editor.id, limit: 50, offset: 0 }),
  };
  const rows: string[] = [];
  for (const [name, run] of Object.entries(queries)) {
    const ts: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      run();
      ts.push(performance.now() - t);
    }
    rows.push(row(name, 'store query, in process', ts));
    process.stderr.write(rows.at(-1) + '\n');
  }
  store.close();
  return rows;
}

/** GET over a keep-alive connection; resolves with the latency in ms once the whole body has arrived. */
function timedGet(agent: http.Agent, port: number, pathname: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${pathname} → ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function run(): Promise<void> {
  const dataDir = values.data ? path.resolve(values.data) : fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-bench-'));
  if (!fs.existsSync(databasePath(dataDir))) await seedData(dataDir);
  const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const queryRows = measureQueries(dataDir);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, ['bin/bantin.mjs', 'serve'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', BANTIN_WORKER: 'off' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    for (let i = 0; ; i++) {
      if (i > 150) throw new Error('server did not start');
      const ok = await fetch(base + '/healthz').then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const tokenOf = async (username: string) => {
      const login = await fetch(base + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
      return ((await login.json()) as { token: string }).token;
    };
    const editorAuth = { authorization: `Bearer ${await tokenOf('editor')}` };
    const contributorAuth = { authorization: `Bearer ${await tokenOf('contributor')}` };

    const scenarios: Record<string, () => string> = {
      'review queue (state=submitted, 50 newest)': () => '/api/v1/articles?state=submitted&limit=50',
      'review queue, page 5 (offset 200)': () => '/api/v1/articles?state=in_review&limit=50&offset=200',
      'search, 2 common words': () => `/api/v1/articles?q=${encodeURIComponent(`${pick(WORDS)} ${pick(WORDS)}`)}`,
      'search, 3 words, folded ("dang vien ...")': () => `/api/v1/articles?q=${encodeURIComponent(`dang vien ${pick(WORDS).slice(0, 3)}`)}`,
      'search + state filter': () => `/api/v1/articles?state=approved&q=${encodeURIComponent(pick(WORDS))}`,
      'contributor search (own unit only)': () => `/api/v1/articles?q=${encodeURIComponent(`${pick(WORDS)} ${pick(WORDS)}`)}`,
      // Few hits in the unit's newest ones: the case that used to test every hit against the articles table.
      'contributor search + state filter': () => `/api/v1/articles?state=approved&q=${encodeURIComponent(`${pick(WORDS)} ${pick(WORDS)}`)}`,
      'my articles (editor, mine=1)': () => '/api/v1/articles?mine=1&limit=50',
    };
    const authFor = (name: string) => (name.startsWith('contributor') ? contributorAuth : editorAuth);
    // Warm-up: the first requests pay for tsx compiling modules and SQLite filling its page cache.
    for (const [name, url] of Object.entries(scenarios)) for (let i = 0; i < 20; i++) await timedGet(agent, port, url(), authFor(name));

    const rows: string[] = [];
    // Service time first: one client, one request at a time (what a person feels on an idle server).
    for (const [name, url] of Object.entries(scenarios)) {
      const latencies: number[] = [];
      for (let i = 0; i < 200; i++) latencies.push(await timedGet(agent, port, url(), authFor(name)));
      rows.push(row(name, 'HTTP, 1 client', latencies));
      process.stderr.write(rows.at(-1) + '\n');
    }
    for (const [name, url] of Object.entries(scenarios)) {
      const latencies: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < REQUESTS) {
          next++;
          latencies.push(await timedGet(agent, port, url(), authFor(name)));
        }
      };
      const t0 = performance.now();
      const cpu0 = serverCpuMs(server.pid!);
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const secs = (performance.now() - t0) / 1000;
      const cpuPerRequest = ((serverCpuMs(server.pid!) - cpu0) / latencies.length).toFixed(2);
      rows.push(row(name, `HTTP, ${CONCURRENCY} clients`, latencies, (latencies.length / secs).toFixed(0), cpuPerRequest));
      process.stderr.write(rows.at(-1) + '\n');
    }
    const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const peak = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    const loadAfter = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
    process.stdout.write(
      [
        `### Review queue and search — ${ARTICLES.toLocaleString('en')} articles, ${CONCURRENCY} concurrent clients, loopback (${os.cpus().length} cores, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
        '',
        `Load average (1 / 5 / 15 min): ${loadBefore} before, ${loadAfter} after.`,
        '',
        '| scenario | measured | requests | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/request |',
        '|---|---|---|---|---|---|---|---|',
        ...queryRows,
        ...rows,
        '',
        `Server peak RSS (VmHWM): ${peak ? (Number(peak) / 1024).toFixed(0) : '?'} MB. Command: \`node bin/run-ts.mjs bench/web-queue.ts --articles ${ARTICLES} --requests ${REQUESTS} --concurrency ${CONCURRENCY}${values.data ? ' --data …' : ''}\``,
        '',
      ].join('\n'),
    );
  } finally {
    agent.destroy();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    if (!values.data) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await run();
