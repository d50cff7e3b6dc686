import type { Db } from './database.ts';
import type { Job, JobState } from '../domain/issue.ts';

interface JobRow {
  id: number;
  issue_id: number;
  kind: string;
  state: JobState;
  progress: number;
  stage: string | null;
  message: string | null;
  error: string | null;
  options: string | null;
  attempts: number;
  cancel_requested: number;
  rendition_id: number | null;
  requested_by: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    issueId: r.issue_id,
    kind: r.kind,
    state: r.state,
    progress: r.progress,
    stage: r.stage,
    message: r.message,
    error: r.error,
    options: r.options ? (JSON.parse(r.options) as Job['options']) : {},
    attempts: r.attempts,
    cancelRequested: r.cancel_requested === 1,
    renditionId: r.rendition_id,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/**
 * The jobs table is the queue: a worker claims the oldest queued job whose issue has no running job,
 * holding a lease it renews with heartbeats (so a separate worker process can take over later).
 */
export class JobRepository {
  constructor(private readonly db: Db) {}

  insert(issueId: number, options: Job['options'], requestedBy: number, now: string): number {
    const r = this.db
      .prepare(`INSERT INTO jobs (issue_id, kind, state, options, requested_by, created_at) VALUES (?, 'typeset', 'queued', ?, ?, ?)`)
      .run(issueId, JSON.stringify(options), requestedBy, now);
    return Number(r.lastInsertRowid);
  }

  get(id: number): Job | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return r && toJob(r);
  }

  /** The newest queued or running job of an issue. */
  active(issueId: number, states: readonly JobState[] = ['queued', 'running']): Job | undefined {
    const r = this.db
      .prepare(`SELECT * FROM jobs WHERE issue_id = ? AND state IN (${states.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`)
      .get(issueId, ...states) as JobRow | undefined;
    return r && toJob(r);
  }

  latest(issueId: number): Job | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE issue_id = ? ORDER BY id DESC LIMIT 1').get(issueId) as JobRow | undefined;
    return r && toJob(r);
  }

  listByState(state: JobState): Job[] {
    return (this.db.prepare('SELECT * FROM jobs WHERE state = ? ORDER BY id').all(state) as JobRow[]).map(toJob);
  }

  /** Atomically takes the oldest runnable job: never one whose issue already has a running job. */
  claimNext(worker: string, leaseUntil: string, now: string): Job | undefined {
    const claim = this.db.transaction(() => {
      const row = this.db
        .prepare(
          `SELECT id FROM jobs j WHERE state = 'queued'
             AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.issue_id = j.issue_id AND r.state = 'running')
           ORDER BY id LIMIT 1`,
        )
        .get() as { id: number } | undefined;
      if (!row) return undefined;
      this.db
        .prepare(
          `UPDATE jobs SET state = 'running', worker = ?, lease_until = ?, heartbeat_at = ?, started_at = ?, attempts = attempts + 1,
             progress = 0, stage = 'queued', error = NULL WHERE id = ? AND state = 'queued'`,
        )
        .run(worker, leaseUntil, now, now, row.id);
      return this.get(row.id);
    });
    return claim.immediate();
  }

  progress(id: number, p: { progress: number; stage: string; message: string }, leaseUntil: string, now: string): void {
    this.db
      .prepare(`UPDATE jobs SET progress = ?, stage = ?, message = ?, heartbeat_at = ?, lease_until = ? WHERE id = ? AND state = 'running'`)
      .run(Math.max(0, Math.min(100, Math.round(p.progress))), p.stage, p.message, now, leaseUntil, id);
  }

  finish(id: number, state: Extract<JobState, 'done' | 'failed' | 'cancelled'>, f: { error?: string; renditionId?: number }, now: string): void {
    this.db
      .prepare(
        `UPDATE jobs SET state = ?, error = ?, rendition_id = ?, finished_at = ?, lease_until = NULL,
           progress = CASE WHEN ? = 'done' THEN 100 ELSE progress END WHERE id = ?`,
      )
      .run(state, f.error ?? null, f.renditionId ?? null, now, state, id);
  }

  /** A queued job is cancelled at once; a running one is flagged and the worker stops it. */
  requestCancel(id: number, now: string): void {
    this.db.prepare(`UPDATE jobs SET state = 'cancelled', finished_at = ?, error = 'cancelled before it started' WHERE id = ? AND state = 'queued'`).run(now, id);
    this.db.prepare(`UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND state = 'running'`).run(id);
  }

  /** Running jobs with who holds them and until when (to take over the jobs of a worker that died). */
  runningLeases(): { id: number; worker: string | null; leaseUntil: string | null; attempts: number }[] {
    const rows = this.db.prepare(`SELECT id, worker, lease_until, attempts FROM jobs WHERE state = 'running' ORDER BY id`).all() as {
      id: number;
      worker: string | null;
      lease_until: string | null;
      attempts: number;
    }[];
    return rows.map((r) => ({ id: r.id, worker: r.worker, leaseUntil: r.lease_until, attempts: r.attempts }));
  }

  /** Extends the lease while `worker` still holds the job; false when another worker has taken it over. */
  renewLease(id: number, worker: string, leaseUntil: string, now: string): boolean {
    return this.db.prepare(`UPDATE jobs SET lease_until = ?, heartbeat_at = ? WHERE id = ? AND state = 'running' AND worker = ?`).run(leaseUntil, now, id, worker).changes === 1;
  }

  /** Re-queues a job only if `worker` still holds it: two workers recovering at once must not undo a new claim. */
  requeueFrom(id: number, worker: string | null, message: string): boolean {
    return (
      this.db
        .prepare(`UPDATE jobs SET state = 'queued', worker = NULL, lease_until = NULL, progress = 0, stage = NULL, message = ? WHERE id = ? AND state = 'running' AND worker IS ?`)
        .run(message, id, worker).changes === 1
    );
  }

  /** Fails a job only if `worker` still holds it (see requeueFrom). */
  failFrom(id: number, worker: string | null, error: string, now: string): boolean {
    return (
      this.db.prepare(`UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL WHERE id = ? AND state = 'running' AND worker IS ?`).run(error, now, id, worker).changes === 1
    );
  }

  /** Puts an interrupted job back in the queue (keeps its attempt count). */
  requeue(id: number, message: string): void {
    this.db
      .prepare(`UPDATE jobs SET state = 'queued', worker = NULL, lease_until = NULL, progress = 0, stage = NULL, message = ? WHERE id = ? AND state = 'running'`)
      .run(message, id);
  }
}
