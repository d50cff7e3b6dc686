/**
 * The in-process typeset worker: one job at a time, one warm Chromium kept between jobs.
 * For each job: export the issue to the file format in a work dir → `buildIssue` (the engine of
 * `bantin build`) into a temp dir next to the final one → rename it to
 * `<dataDir>/renditions/<issueId>/<jobId>/` (atomic) → record the rendition with its sha256s.
 * Never leaves a job "running": a timeout or a cancellation closes the browser (the render then fails
 * fast) and marks the job; on start, a job left running by a crash is re-queued once, then failed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Job } from '../domain/issue.ts';
import type { Store } from '../store/index.ts';
import type { BrowserHost } from '../typeset/browser.ts';
import type { buildIssue } from '../typeset/build.ts';
import { loadIssueExporter, loadTypesetEngine } from '../lazy-deps.ts';
import type { LayoutSource } from '../typeset/layout.ts';
import type { ProgressEvent } from '../typeset/paginate.ts';
import { writePrintPaperwork } from './print-ticket.ts';
import { copyOf, filesPresent, moveIntoPlace, renditionFromBuild } from './rendition-records.ts';
import { engineFingerprint, renderInputHash } from './render-cache.ts';
import { THUMBNAIL_DIR, isThumbnailName } from './issue-thumbnails.ts';
import type { JobSignal } from './typeset-job.ts';
import { legalProfileFor } from '../domain/legal-profile.ts';

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobWorkerDeps {
  store: Store;
  clock: () => Date;
  dataDir: string;
  layouts: LayoutSource;
  /** Launches a browser; the worker keeps it warm and closes it on stop, timeout or cancel. */
  launchBrowser: () => Promise<BrowserHost>;
  jobTimeoutMs: number;
  signal?: JobSignal;
  logger?: WorkerLogger;
  pollMs?: number;
  /** Runs before a job is claimed twice after crashes; the default (2) re-queues an interrupted job once. */
  maxAttempts?: number;
  /** Replaceable for tests of the worker's own rules; defaults to the engine. */
  build?: typeof buildIssue;
  /**
   * How long a claimed job stays ours without a heartbeat (renewed every third of it while the job runs).
   * Several workers share the jobs table: a job whose lease ran out, or whose worker process on this
   * machine is gone, is taken over by whichever worker looks next.
   */
  leaseMs?: number;
}

const DEFAULT_LEASE_MS = 60_000;

class JobAborted extends Error {
  constructor(readonly why: 'cancelled' | 'timeout' | 'shutdown' | 'lease-lost', message: string) {
    super(message);
  }
}

const STAGE_PERCENT: Record<ProgressEvent['stage'], number> = { load: 5, render: 10, paginate: 20, postprocess: 80, preflight: 90, write: 95 };

export class JobWorker {
  // pid and host in the id let another worker on this machine see that the holder of a lease is gone.
  readonly id = `worker-${process.pid}-${crypto.randomBytes(3).toString('hex')}@${os.hostname()}`;
  private lastRecovery = 0;
  private browser: BrowserHost | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private abortCurrent: ((e: JobAborted) => void) | undefined;
  private fingerprint: Promise<string> | undefined;

  constructor(private readonly deps: JobWorkerDeps) {}

  /**
   * Re-queues (once) or fails jobs whose worker died: lease expired, or its process on this machine is
   * gone. Jobs of live workers are left alone. Returns what it did.
   */
  recoverInterrupted(): { requeued: number[]; failed: number[] } {
    const { store } = this.deps;
    const max = this.deps.maxAttempts ?? 2;
    const out = { requeued: [] as number[], failed: [] as number[] };
    const now = this.now();
    this.lastRecovery = Date.now();
    for (const job of store.jobs.runningLeases()) {
      if (job.worker === this.id || !isAbandoned(job, now)) continue;
      if (job.attempts < max) {
        if (store.jobs.requeueFrom(job.id, job.worker, 're-queued: the server stopped while this job was running')) out.requeued.push(job.id);
      } else if (store.jobs.failFrom(job.id, job.worker, `the server stopped during this job ${job.attempts} times; not retried (typeset again to retry)`, now)) {
        out.failed.push(job.id);
      }
    }
    if (out.requeued.length || out.failed.length) this.deps.logger?.warn(out, 'recovered interrupted typeset jobs');
    return out;
  }

  start(): void {
    if (this.running) return;
    this.recoverInterrupted();
    this.unsubscribe = this.deps.signal?.subscribe(() => this.wake?.());
    this.running = this.loop();
  }

  /** Stops after the current job (which is aborted and re-queued) and closes the browser. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.abortCurrent?.(new JobAborted('shutdown', 'server shutting down'));
    this.wake?.();
    await this.running;
    await this.closeBrowser();
  }

  /** Runs queued jobs until none is left (for tests and `bantin worker --once`). */
  async drain(): Promise<number> {
    let n = 0;
    for (let job = this.claim(); job; job = this.claim()) {
      await this.run(job);
      n += 1;
    }
    return n;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let job: Job | undefined;
      try {
        job = this.claim();
        if (job) await this.run(job);
      } catch (err) {
        // A broken store (disk full, file locked) must not kill the server; log it and try again later.
        this.deps.logger?.error({ err, jobId: job?.id }, 'typeset worker could not claim or record a job');
        job = undefined;
      }
      if (job) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.deps.pollMs ?? 500);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private claim(): Job | undefined {
    if (this.stopping) return undefined;
    if (Date.now() - this.lastRecovery > Math.min(5_000, this.leaseMs() / 4)) this.recoverInterrupted();
    return this.deps.store.jobs.claimNext(this.id, this.leaseUntil(), this.now());
  }

  private async run(job: Job): Promise<void> {
    const { store, dataDir, logger } = this.deps;
    const issue = store.issues.get(job.issueId);
    const workDir = path.join(dataDir, 'work', `job-${job.id}`);
    const finalRel = path.join('renditions', String(job.issueId), String(job.id));
    // Per attempt: a worker that lost its lease must not remove the output of the worker that took over.
    const tmpOut = path.join(dataDir, 'renditions', String(job.issueId), `.job-${job.id}-${job.attempts}.tmp`);
    logger?.info({ jobId: job.id, issueId: job.issueId }, 'typeset job started');
    let renewedAt = Date.now();
    let leaseLost = false;
    const cancelPoll = setInterval(() => {
      if (store.jobs.get(job.id)?.cancelRequested) this.abortCurrent?.(new JobAborted('cancelled', 'cancelled by an editor'));
      // The heartbeat: renders can go minutes without a progress event.
      if (Date.now() - renewedAt > this.leaseMs() / 3) {
        renewedAt = Date.now();
        if (!store.jobs.renewLease(job.id, this.id, this.leaseUntil(), this.now())) {
          leaseLost = true;
          this.abortCurrent?.(new JobAborted('lease-lost', 'another worker took this job over'));
        }
      }
    }, 300);
    try {
      if (!issue) throw new Error(`issue ${job.issueId} no longer exists`);
      await fs.rm(workDir, { recursive: true, force: true });
      await fs.rm(tmpOut, { recursive: true, force: true });
      this.progress(job.id, { stage: 'export', message: 'exporting the issue', progress: 2 });
      const exported = await (await loadIssueExporter())(store, issue, workDir);
      // The bulletin profile's legal limits decide preflight's verdict, so they are part of the key too.
      const legal = legalProfileFor(store.bulletin.get()?.legalProfile);
      const inputHash = await renderInputHash(exported.dir, await this.engineFingerprint(), { options: job.options, date: this.now().slice(0, 10), layout: issue.layout, legal: { maxTrimMm: legal.maxTrimMm, maxPages: legal.maxPages } });
      if (await this.reuseCached(job, issue.planRevision, inputHash, tmpOut, finalRel)) return;
      // Page thumbnails (<out>/thumbnails/page-001.jpg …) for the issue screen's page grid and the cover.
      const buildOptions = {
        out: tmpOut,
        profile: 'all' as const,
        allowExpiredLicence: job.options.allowExpiredLicence ?? false,
        onProgress: (e: ProgressEvent) => this.onProgress(job.id, e),
        now: this.deps.clock(),
        thumbnails: true,
        // The online edition ("Đọc trực tuyến", online/…) is frozen with the PDFs it was made with.
        online: true,
      };
      const result = await this.abortable((this.deps.build ?? (await loadTypesetEngine()))(exported.dir, buildOptions, { browser: () => this.warmBrowser(), layouts: this.deps.layouts, legal }));
      this.progress(job.id, { stage: 'paperwork', message: 'print ticket and distribution list', progress: 97 });
      const paperwork = await this.abortable(this.warmBrowser().then((browser) => writePrintPaperwork(tmpOut, browser, this.deps.layouts.fontsDir)));
      await moveIntoPlace(dataDir, tmpOut, finalRel);
      const listed = new Set(result.files.map((f) => f.name));
      const thumbnails = (await thumbnailFiles(path.join(dataDir, finalRel))).filter((n) => !listed.has(n));
      const built = await renditionFromBuild(path.join(dataDir, finalRel), result, ['job.json', ...paperwork, ...thumbnails]);
      const renditionId = store.renditions.insert({ ...built, issueId: job.issueId, jobId: job.id, dir: finalRel, planRevision: issue.planRevision, inputHash }, this.now());
      this.done(job, issue.planRevision, renditionId);
      logger?.info({ jobId: job.id, pages: result.pages, renditionId }, 'typeset job done');
    } catch (err) {
      await this.fail(job, err);
      await fs.rm(tmpOut, { recursive: true, force: true });
    } finally {
      clearInterval(cancelPoll);
      this.abortCurrent = undefined;
      if (!leaseLost) await fs.rm(workDir, { recursive: true, force: true });
    }
  }

  private done(job: Job, planRevision: number, renditionId: number): void {
    const { store } = this.deps;
    store.transaction(() => {
      const now = this.now();
      const fresh = store.issues.get(job.issueId);
      if (fresh && fresh.planRevision === planRevision && (fresh.state === 'draft' || fresh.state === 'typeset')) store.issues.setState(fresh.id, 'typeset', now);
      store.jobs.finish(job.id, 'done', { renditionId }, now);
    });
  }

  /** Render cache: identical inputs → copy the earlier rendition's files and finish (rendition-records.ts). */
  private async reuseCached(job: Job, planRevision: number, inputHash: string, tmpOut: string, finalRel: string): Promise<boolean> {
    const { store, dataDir } = this.deps;
    const cached = store.renditions.findByInputHash(job.issueId, inputHash);
    if (!cached || !(await filesPresent(dataDir, cached))) return false;
    this.progress(job.id, { stage: 'cache', message: `inputs unchanged: reusing rendition ${cached.id}`, progress: 90 });
    await fs.cp(path.join(dataDir, cached.dir), tmpOut, { recursive: true });
    await moveIntoPlace(dataDir, tmpOut, finalRel);
    const renditionId = store.renditions.insert(copyOf(cached, { jobId: job.id, dir: finalRel, planRevision, inputHash }), this.now());
    this.done(job, planRevision, renditionId);
    this.deps.logger?.info({ jobId: job.id, renditionId, reused: cached.id }, 'typeset job served from the render cache');
    return true;
  }

  private async engineFingerprint(): Promise<string> {
    // The engine's own code is part of the key: a new engine never serves old PDFs.
    this.fingerprint ??= engineFingerprint(this.deps.layouts);
    return this.fingerprint;
  }

  private async fail(job: Job, err: unknown): Promise<void> {
    const { store, logger } = this.deps;
    if (err instanceof JobAborted) {
      // The render may still be inside Chromium; closing the browser makes it end now (relaunched on next job).
      await this.closeBrowser();
      // Lease lost: the job belongs to the worker that took it over; touching it would undo that worker's work.
      if (err.why === 'lease-lost') logger?.warn({ jobId: job.id }, 'typeset job lease lost; left to the worker that took it over');
      else if (err.why === 'shutdown') store.jobs.requeue(job.id, 're-queued: the server was shut down during this job');
      else if (err.why === 'cancelled') store.jobs.finish(job.id, 'cancelled', { error: 'cancelled by an editor' }, this.now());
      else store.jobs.finish(job.id, 'failed', { error: err.message }, this.now());
      logger?.warn({ jobId: job.id, why: err.why }, 'typeset job aborted');
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    store.jobs.finish(job.id, 'failed', { error: message }, this.now());
    logger?.error({ jobId: job.id, err }, 'typeset job failed');
  }

  /** The build, raced against the job timeout and cancellation / shutdown. */
  private abortable<T>(build: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const aborted = new Promise<never>((_, reject) => {
      this.abortCurrent = reject;
      // stop() during the export (before there was anything to abort) must still stop this job.
      if (this.stopping) reject(new JobAborted('shutdown', 'server shutting down'));
      timer = setTimeout(() => reject(new JobAborted('timeout', `typesetting did not finish within ${this.deps.jobTimeoutMs} ms`)), this.deps.jobTimeoutMs);
    });
    // If the race is lost, the build's own rejection (browser closed under it) must not go unhandled.
    build.catch(() => undefined);
    return Promise.race([build, aborted]).finally(() => clearTimeout(timer));
  }



  private onProgress(jobId: number, e: ProgressEvent): void {
    const base = STAGE_PERCENT[e.stage];
    const pages = 'pages' in e && typeof e.pages === 'number' ? e.pages : 0;
    const progress = e.stage === 'paginate' ? Math.min(78, base + Math.round(pages * 1.5)) : base;
    this.progress(jobId, { stage: e.stage, message: e.message, progress });
  }

  private progress(jobId: number, p: { stage: string; message: string; progress: number }): void {
    this.deps.store.jobs.progress(jobId, p, this.leaseUntil(), this.now());
  }

  private async warmBrowser(): Promise<BrowserHost> {
    this.browser ??= await this.deps.launchBrowser();
    return this.browser;
  }

  private async closeBrowser(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    await b?.close();
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }

  private leaseMs(): number {
    return this.deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private leaseUntil(): string {
    return new Date(this.deps.clock().getTime() + this.leaseMs()).toISOString();
  }
}

/** `thumbnails/page-NNN.jpg` names the engine wrote into a build directory, in page order (none: []). */
async function thumbnailFiles(dir: string): Promise<string[]> {
  const names = await fs.readdir(path.join(dir, THUMBNAIL_DIR)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return names.filter((n) => isThumbnailName(`${THUMBNAIL_DIR}/${n}`)).sort().map((n) => `${THUMBNAIL_DIR}/${n}`);
}

/** A running job nobody looks after: its lease ran out, or it names a process on this host that no longer exists. */
function isAbandoned(job: { worker: string | null; leaseUntil: string | null }, now: string): boolean {
  if (!job.leaseUntil || job.leaseUntil <= now) return true;
  const m = /^worker-(\d+)-[0-9a-f]+@(.+)$/.exec(job.worker ?? '');
  if (!m || m[2] !== os.hostname() || Number(m[1]) === process.pid) return false;
  try {
    process.kill(Number(m[1]), 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else — alive.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
