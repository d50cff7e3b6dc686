/**
 * Asking for a typeset: the request only queues a job (202); the worker loop (job-worker.ts) runs it.
 * A second request while a job of the same issue is still queued gets that job back, so double clicks
 * and concurrent editors never pile up renders; the worker never runs two jobs of one issue at once.
 */
import { NotFoundError, RuleViolation } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import { TypesetBody } from '../domain/issue-schemas.ts';
import { FROZEN_STATES, type Issue, type IssueSectionPlan, type Job, type RefusalReason } from '../domain/issue.ts';
import type { BulletinProfile } from '../domain/api-schemas.ts';
import type { Actor } from '../domain/user.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import { viewerOf, visibleIssue } from './issue-access.ts';

export interface JobView {
  id: number;
  issueId: number;
  state: Job['state'];
  progress: number;
  stage: string | null;
  message: string | null;
  error?: string;
  renditionId: number | null;
  /** How many times a worker started it (2 = re-run after the server stopped during the first run) */
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function jobView(job: Job): JobView {
  return {
    id: job.id,
    issueId: job.issueId,
    state: job.state,
    progress: job.progress,
    stage: job.stage,
    message: job.message,
    ...(job.error ? { error: job.error } : {}),
    renditionId: job.renditionId,
    attempts: job.attempts,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

/** Every reason the issue cannot be typeset now (empty = it can). */
export function whyCannotTypeset(issue: Issue, plan: IssueSectionPlan[], bulletin: BulletinProfile | undefined): RefusalReason[] {
  const reasons: RefusalReason[] = [];
  if (FROZEN_STATES.includes(issue.state)) reasons.push({ code: 'issue-frozen', message: `issue is ${issue.state}; its signed rendition is frozen` });
  if (!bulletin) reasons.push({ code: 'no-bulletin-profile', message: 'the bulletin profile is not set (PUT /api/v1/bulletin)' });
  if (issue.printRun <= 0) reasons.push({ code: 'print-run', message: `print run must be positive, is ${issue.printRun}` });
  if (!plan.some((s) => s.articleIds.length > 0)) reasons.push({ code: 'empty-plan', message: 'the plan has no articles (PUT /issues/:id/plan first)' });
  return reasons;
}

/** Lets the worker wake up as soon as a job is queued instead of waiting for its next poll. */
export class JobSignal {
  private readonly listeners = new Set<() => void>();
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  notify(): void {
    for (const fn of this.listeners) fn();
  }
}

export class TypesetJobService {
  constructor(
    private readonly deps: WorkflowDeps,
    readonly signal: JobSignal,
  ) {}

  request(actor: Actor, issueId: number, body: unknown): JobView {
    requirePermission(actor, 'issue.manage');
    const input = parseBody(TypesetBody, body);
    const { store } = this.deps;
    const job = store.transaction(() => {
      const issue = visibleIssue(store, viewerOf(actor), issueId);
      const reasons = whyCannotTypeset(issue, store.issues.plan(issueId), store.bulletin.get());
      if (reasons.length) {
        throw new RuleViolation(`cannot typeset issue ${issueId}: ${reasons.map((r) => r.message).join('; ')}`, {
          problems: reasons.map((r) => ({ field: r.code, message: r.message })),
          userMessage: 'Chưa dàn trang được số này.',
        });
      }
      const queued = store.jobs.active(issueId, ['queued']);
      if (queued && (queued.options.allowExpiredLicence ?? false) === (input.allowExpiredLicence ?? false)) return queued;
      const id = store.jobs.insert(issueId, input.allowExpiredLicence ? { allowExpiredLicence: true } : {}, actor.id, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'issue.typeset', targetType: 'issue', targetId: issueId, details: { jobId: id, ...input } });
      return store.jobs.get(id)!;
    });
    this.signal.notify();
    return jobView(job);
  }

  get(actor: Actor, jobId: number): JobView {
    return jobView(this.visibleJob(actor, jobId));
  }

  cancel(actor: Actor, jobId: number): JobView {
    requirePermission(actor, 'issue.manage');
    const job = this.visibleJob(actor, jobId);
    if (job.state === 'done' || job.state === 'failed' || job.state === 'cancelled') {
      throw new RuleViolation(`job ${jobId} is already ${job.state}`, { userMessage: 'Tác vụ đã kết thúc.' });
    }
    this.deps.store.jobs.requestCancel(jobId, nowIso(this.deps));
    audit(this.deps, { actorId: actor.id, action: 'job.cancel', targetType: 'job', targetId: jobId });
    return jobView(this.deps.store.jobs.get(jobId)!);
  }

  /** Jobs belong to the editorial office; anyone else learns nothing about them. */
  private visibleJob(actor: Actor, jobId: number): Job {
    requirePermission(actor, 'issue.manage');
    const job = this.deps.store.jobs.get(jobId);
    if (!job) throw new NotFoundError(`job ${jobId} not found`, { userMessage: 'Không tìm thấy tác vụ.' });
    return job;
  }
}
