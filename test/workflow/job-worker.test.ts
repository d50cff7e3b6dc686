/**
 * The worker's own rules, against a real SQLite file: one job per issue at a time, a job left running by
 * a crash is re-queued once and then failed (never stuck), a hung build hits the job timeout, a running
 * job can be cancelled. The engine is replaced by a controllable build here because these rules are
 * about the queue, not about typesetting (the end-to-end test runs the real engine).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { JobWorker } from '../../src/workflow/job-worker.ts';
import type { buildIssue } from '../../src/typeset/build.ts';
import { BULLETIN } from '../web/helpers.ts';

let dataDir: string;
let store: Store;
let userId: number;
let issueId: number;
const now = () => new Date('2026-11-20T08:00:00Z');

function newIssue(number: number): number {
  const id = store.issues.insert(
    { number, year: 2026, date: '2026-11-15', printRun: 100, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: userId },
    now().toISOString(),
  );
  const articleId = store.articles.insert({ title: `Bài ${number}`, subtitle: null, lead: null, bodyHtml: '<p>Nội dung</p>', author: null, sectionId: null, unitId: null, createdBy: userId }, now().toISOString());
  const sectionId = store.sections.findByTitle('Tin tức')?.id ?? store.sections.insert('Tin tức', undefined, now().toISOString());
  store.issues.replacePlan(id, [{ sectionId, articleIds: [articleId] }], now().toISOString());
  return id;
}

function worker(build: typeof buildIssue, opts: { jobTimeoutMs?: number } = {}): JobWorker {
  return new JobWorker({
    store,
    clock: now,
    dataDir,
    layouts: { layoutsDir: '/nonexistent', fontsDir: '/nonexistent' },
    launchBrowser: () => Promise.reject(new Error('no browser in this test')),
    jobTimeoutMs: opts.jobTimeoutMs ?? 60_000,
    build,
  });
}

/** A build that waits until released (or forever), writing nothing. */
function controllableBuild(): { build: typeof buildIssue; started: Promise<void>; fail(err: Error): void } {
  let markStarted: () => void = () => {};
  const started = new Promise<void>((r) => (markStarted = r));
  let reject: (e: Error) => void = () => {};
  const build = (() => {
    markStarted();
    return new Promise((_, rej) => (reject = rej));
  }) as unknown as typeof buildIssue;
  return { build, started, fail: (e) => reject(e) };
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-worker-'));
  store = openStore(dataDir);
  userId = store.users.insert({ username: 'bientap', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'Biên tập' }, now().toISOString());
  store.bulletin.put(BULLETIN, userId, now().toISOString());
  issueId = newIssue(11);
});

afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('job worker', () => {
  it('never claims a second job of an issue while one of its jobs is running', () => {
    const first = store.jobs.insert(issueId, {}, userId, now().toISOString());
    const second = store.jobs.insert(issueId, {}, userId, now().toISOString());
    const other = store.jobs.insert(newIssue(12), {}, userId, now().toISOString());
    expect(store.jobs.claimNext('w', now().toISOString(), now().toISOString())?.id).toBe(first);
    // The next runnable job is the other issue's, not the second job of the running issue.
    expect(store.jobs.claimNext('w', now().toISOString(), now().toISOString())?.id).toBe(other);
    expect(store.jobs.claimNext('w', now().toISOString(), now().toISOString())).toBeUndefined();
    expect(store.jobs.get(second)?.state).toBe('queued');
  });

  it('re-queues a job a crashed server left running, once; the second time it is failed with a reason', () => {
    const id = store.jobs.insert(issueId, {}, userId, now().toISOString());
    store.jobs.claimNext('crashed-worker', now().toISOString(), now().toISOString());
    expect(worker(controllableBuild().build).recoverInterrupted()).toEqual({ requeued: [id], failed: [] });
    expect(store.jobs.get(id)).toMatchObject({ state: 'queued', attempts: 1 });

    store.jobs.claimNext('crashed-again', now().toISOString(), now().toISOString());
    expect(worker(controllableBuild().build).recoverInterrupted()).toEqual({ requeued: [], failed: [id] });
    const job = store.jobs.get(id)!;
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/server stopped during this job 2 times/);
    expect(store.jobs.listByState('running')).toEqual([]);
  });

  it('fails a hung build at the job timeout, with the reason', async () => {
    const id = store.jobs.insert(issueId, {}, userId, now().toISOString());
    const hung = controllableBuild();
    const w = worker(hung.build, { jobTimeoutMs: 300 });
    await w.drain();
    const job = store.jobs.get(id)!;
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/did not finish within 300 ms/);
    expect(fs.existsSync(path.join(dataDir, 'work', `job-${id}`))).toBe(false);
  });

  it('records a failed build as failed with the engine’s message, and the issue stays a draft', async () => {
    const id = store.jobs.insert(issueId, {}, userId, now().toISOString());
    const failing = controllableBuild();
    const w = worker(failing.build);
    const run = w.drain();
    await failing.started;
    // The export really happened: the engine was handed an issue directory in the file format.
    const exported = fs.readdirSync(path.join(dataDir, 'work', `job-${id}`));
    expect(exported).toEqual(['2026-11']);
    expect(fs.readFileSync(path.join(dataDir, 'work', `job-${id}`, '2026-11', 'issue.yaml'), 'utf8')).toContain('printRun: 100');
    failing.fail(new Error('overflow on page 3'));
    await run;
    expect(store.jobs.get(id)).toMatchObject({ state: 'failed', error: 'overflow on page 3' });
    expect(store.issues.get(issueId)?.state).toBe('draft');
  });

  it('cancels a running job when an editor asks', async () => {
    const id = store.jobs.insert(issueId, {}, userId, now().toISOString());
    const slow = controllableBuild();
    const w = worker(slow.build);
    const run = w.drain();
    await slow.started;
    store.jobs.requestCancel(id, now().toISOString());
    await run;
    expect(store.jobs.get(id)?.state).toBe('cancelled');
  });

  it('re-queues the running job when the server shuts down, and stops', async () => {
    const id = store.jobs.insert(issueId, {}, userId, now().toISOString());
    const slow = controllableBuild();
    const w = worker(slow.build);
    w.start();
    await slow.started;
    await w.stop();
    expect(store.jobs.get(id)?.state).toBe('queued');
  });
});
