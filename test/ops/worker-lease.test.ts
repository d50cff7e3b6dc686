/**
 * Separate typeset workers sharing one jobs table: a live worker's lease is respected, a frozen worker's
 * job is taken over once its lease runs out (and the frozen worker, when it wakes, leaves the job alone),
 * a worker killed with SIGKILL has its job taken over at once, and the job that was taken over finishes
 * with a real rendition (`bantin worker --once`, real Chromium).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCliCaptured, type CliRun } from '../fixtures/run-cli.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { JobWorker } from '../../src/workflow/job-worker.ts';
import { BULLETIN } from '../web/helpers.ts';

const LEASE_MS = 1500;
let dataDir: string;
let store: Store;
let userId: number;
const children: ChildProcess[] = [];

function newIssue(number: number): number {
  const now = new Date().toISOString();
  const id = store.issues.insert(
    { number, year: 2026, date: '2026-11-15', printRun: 100, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: userId },
    now,
  );
  const articleId = store.articles.insert({ title: `Bài số ${number}`, subtitle: null, lead: null, bodyHtml: '<p>Nội dung bài viết ngắn để dàn trang thử.</p>', author: 'Phóng viên', sectionId: null, unitId: null, createdBy: userId }, now);
  const sectionId = store.sections.findByTitle('Tin tức')?.id ?? store.sections.insert('Tin tức', undefined, now);
  store.issues.replacePlan(id, [{ sectionId, articleIds: [articleId] }], now);
  return id;
}

async function cli(...argv: string[]): Promise<CliRun> {
  return runCliCaptured({ BANTIN_DATA_DIR: dataDir, BANTIN_WORKER_LEASE_MS: String(LEASE_MS), LOG_LEVEL: 'silent' }, argv);
}

/** Starts a worker process whose build hangs; resolves once it has claimed a job. */
async function hangingWorker(leaseMs: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/ops/fixtures/hanging-worker.ts', dataDir, String(leaseMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let text = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      if (text.includes('claimed')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  return { child, output: () => text };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-lease-'));
  store = openStore(dataDir);
  const now = new Date().toISOString();
  userId = store.users.insert({ username: 'bientap', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'Biên tập' }, now);
  store.bulletin.put(BULLETIN, userId, now);
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('separate typeset workers', () => {
  it('leaves a live worker its job, takes over a frozen one after the lease, and finishes it with a real rendition', { timeout: 600_000 }, async () => {
    const issueId = newIssue(11);
    const jobId = store.jobs.insert(issueId, {}, userId, new Date().toISOString());
    const a = await hangingWorker(LEASE_MS);
    expect(store.jobs.get(jobId)).toMatchObject({ state: 'running', attempts: 1 });

    // While worker A heartbeats, another worker finds nothing to do.
    await sleep(LEASE_MS);
    const early = await cli('worker', '--once');
    expect(early.code).toBe(0);
    expect(early.stdout).toContain('ran 0 typeset jobs');
    expect(store.jobs.get(jobId)?.state).toBe('running');

    // Frozen (alive, but no heartbeats): once the lease has run out the job is taken over and finished.
    a.child.kill('SIGSTOP');
    await sleep(LEASE_MS + 500);
    const takeover = await cli('worker', '--once');
    expect(takeover.stderr).toBe('');
    expect(takeover.stdout).toContain('ran 1 typeset job');
    const job = store.jobs.get(jobId)!;
    expect(job).toMatchObject({ state: 'done', attempts: 2 });
    const rendition = store.renditions.get(job.renditionId!)!;
    expect(rendition.pages).toBeGreaterThan(0);
    for (const f of rendition.files) {
      const bytes = fs.readFileSync(path.join(dataDir, rendition.dir, f.name));
      expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    }

    // A wakes up: its heartbeat finds the job gone and it leaves it alone.
    a.child.kill('SIGCONT');
    await sleep(LEASE_MS);
    expect(a.output()).toContain('lease-lost');
    expect(store.jobs.get(jobId)).toMatchObject({ state: 'done', renditionId: job.renditionId });
    expect(fs.readdirSync(path.join(dataDir, 'renditions', String(issueId))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // Gone before the next test queues its job: a slow-to-stop A could otherwise claim that job first
    // (seen on a loaded machine: the job then had two attempts and was failed instead of re-queued).
    const exited = new Promise((r) => a.child.once('exit', r));
    a.child.kill('SIGTERM');
    await exited;
  });

  it('takes over the job of a worker killed with SIGKILL at once, without waiting for its lease', async () => {
    const issueId = newIssue(12);
    const jobId = store.jobs.insert(issueId, {}, userId, new Date().toISOString());
    const b = await hangingWorker(600_000);
    b.child.kill('SIGKILL');
    await new Promise((r) => b.child.once('exit', r));
    expect(store.jobs.get(jobId)?.state).toBe('running');
    const survivor = new JobWorker({
      store,
      clock: () => new Date(),
      dataDir,
      layouts: { layoutsDir: '/nonexistent', fontsDir: '/nonexistent' },
      launchBrowser: () => Promise.reject(new Error('not used')),
      jobTimeoutMs: 60_000,
    });
    expect(survivor.recoverInterrupted()).toEqual({ requeued: [jobId], failed: [] });
    expect(store.jobs.get(jobId)).toMatchObject({ state: 'queued', attempts: 1 });
    // A second recovery (another worker looking at the same moment) changes nothing.
    expect(survivor.recoverInterrupted()).toEqual({ requeued: [], failed: [] });
  });
});
