/**
 * Throughput of separate typeset workers on this machine: N queued typeset jobs (each its own small issue
 * of 6 articles) drained by W `bantin worker --once` processes started together; wall time from start to
 * the last exit, then every job is checked done; each worker's peak memory (PSS of Node + its Chromium).
 * Run: node bin/run-ts.mjs bench/workers.ts <jobs> <workers>
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/store/index.ts';
import { BULLETIN } from '../test/web/helpers.ts';
import { memorySampler } from './measure.ts';

const jobs = Number(process.argv[2] ?? 4);
const workers = Number(process.argv[3] ?? 1);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-bench-workers-'));
const store = openStore(dataDir);
const now = new Date().toISOString();
const userId = store.users.insert({ username: 'bientap', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'Biên tập' }, now);
store.bulletin.put(BULLETIN, userId, now);
const sectionId = store.sections.insert('Tin tức', undefined, now);
const body = `<p>${'Đảng bộ xã tiếp tục thực hiện nghị quyết, nâng cao chất lượng sinh hoạt chi bộ, phát huy vai trò tiên phong của đảng viên. '.repeat(25)}</p>`.repeat(3);
const jobIds: number[] = [];
for (let i = 0; i < jobs; i += 1) {
  const issueId = store.issues.insert(
    { number: i + 1, year: 2026, date: '2026-11-15', printRun: 100, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: userId },
    now,
  );
  const articleIds = Array.from({ length: 6 }, (_, k) =>
    store.articles.insert({ title: `Tin ${i + 1}.${k + 1}: phong trào thi đua ở cơ sở`, subtitle: null, lead: null, bodyHtml: body, author: 'Phóng viên', sectionId, unitId: null, createdBy: userId }, now),
  );
  store.issues.replacePlan(issueId, [{ sectionId, articleIds }], now);
  jobIds.push(store.jobs.insert(issueId, {}, userId, now));
}

const env = { ...process.env, BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
const started = Date.now();
// Peak PSS of each worker's process tree (Node + its Chromium), sampled every 250 ms.
const peaksMiB = await Promise.all(
  Array.from({ length: workers }, () => new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/bantin.mjs', 'worker', '--once'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const memory = memorySampler(child.pid!);
    child.once('exit', (code) => {
      const peak = memory.stop();
      if (code === 0) resolve(peak);
      else reject(new Error(`worker exited ${code}`));
    });
  })),
);
const seconds = (Date.now() - started) / 1000;
let pages = 0;
for (const id of jobIds) {
  const job = store.jobs.get(id);
  if (job?.state !== 'done') throw new Error(`job ${id} is ${job?.state}: ${job?.error}`);
  pages += store.renditions.get(job.renditionId!)?.pages ?? 0;
}
store.close();
fs.rmSync(dataDir, { recursive: true, force: true });
const load = os.loadavg()[0]!.toFixed(1);
process.stdout.write(
  `${jobs} jobs, ${workers} worker(s): ${seconds.toFixed(1)} s wall, ${(jobs / seconds * 3600).toFixed(0)} jobs/hour, ` +
    `${pages} pages (${(pages / seconds).toFixed(2)} pages/s), peak PSS per worker ${peaksMiB.map((m) => `${m.toFixed(0)} MiB`).join(' / ')}, load average ${load}\n`,
);
