/**
 * Sign-off: the editor-in-chief freezes one rendition. From then on its files and sha256 are exactly
 * what print shops and readers get; the other (unsigned) renditions of the issue are removed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, RuleViolation } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import { SignOffBody } from '../domain/issue-schemas.ts';
import type { Article } from '../domain/article.ts';
import type { DistributionEntry, Issue, RefusalReason, Rendition } from '../domain/issue.ts';
import type { Actor } from '../domain/user.ts';
import { audit, nowIso, requirePermission, todayIso, type WorkflowDeps } from './context.ts';
import type { IssueService, IssueView } from './issues.ts';
import { viewerOf, visibleIssue } from './issue-access.ts';

export interface SignOffFacts {
  issue: Issue;
  /** The rendition to sign (default: the newest); undefined when the issue was never typeset */
  rendition: Rendition | undefined;
  /** Every placed article id with the article as stored now (undefined = deleted) */
  articles: { id: number; article: Article | undefined }[];
  distribution: DistributionEntry[];
  licenceExpires: string | undefined;
  /** The rendition was built with an explicit override of an expired licence */
  licenceOverridden: boolean;
}

/** Every reason sign-off is refused (empty = it may be signed). `today` is an ISO date. */
export function whyCannotSignOff(f: SignOffFacts, today: string): RefusalReason[] {
  const reasons: RefusalReason[] = [];
  const { issue, rendition } = f;
  if (issue.state !== 'draft' && issue.state !== 'typeset') reasons.push({ code: 'already-signed-off', message: `issue is already ${issue.state}` });
  if (!rendition) reasons.push({ code: 'no-rendition', message: 'the issue has no rendition yet: typeset it first' });
  else {
    if (rendition.planRevision !== issue.planRevision) reasons.push({ code: 'rendition-outdated', message: `rendition ${rendition.id} was built before the last change of the issue: typeset again` });
    if (rendition.preflightErrors > 0) {
      const errs = rendition.findings.filter((x) => x.severity === 'error').map((x) => `${x.code}${x.page ? ` (page ${x.page})` : ''}: ${x.message}`);
      reasons.push({ code: 'preflight-errors', message: `preflight found ${rendition.preflightErrors} error(s): ${errs.join('; ')}` });
    }
  }
  for (const { id, article } of f.articles) {
    if (!article) reasons.push({ code: 'article-missing', message: `article ${id} in the plan was deleted` });
    else if (article.state !== 'scheduled' && !(article.state === 'published' && f.issue.version > 1)) reasons.push({ code: 'article-not-approved', message: `article ${id} "${article.title}" is ${article.state}, not approved for this issue` });
  }
  if (issue.printRun <= 0) reasons.push({ code: 'print-run', message: `print run must be positive, is ${issue.printRun}` });
  const copies = f.distribution.reduce((sum, d) => sum + d.copies, 0);
  if (f.distribution.length > 0 && copies !== issue.printRun) {
    reasons.push({ code: 'distribution-sum', message: `the distribution list sums to ${copies} copies but the print run is ${issue.printRun}` });
  }
  if (f.licenceExpires && f.licenceExpires < today && !f.licenceOverridden) {
    reasons.push({ code: 'licence-expired', message: `the publishing licence expired on ${f.licenceExpires}` });
  }
  return reasons;
}

export function refusal(what: string, reasons: RefusalReason[], userMessage: string): RuleViolation {
  return new RuleViolation(`${what}: ${reasons.map((r) => r.message).join('; ')}`, {
    problems: reasons.map((r) => ({ field: r.code, message: r.message })),
    userMessage,
  });
}

export class SignOffService {
  constructor(
    private readonly deps: WorkflowDeps & { dataDir: string },
    private readonly issues: IssueService,
  ) {}

  async signOff(actor: Actor, issueId: number, body: unknown): Promise<IssueView> {
    requirePermission(actor, 'issue.signoff');
    const input = parseBody(SignOffBody, body);
    const { store } = this.deps;
    const dropped = store.transaction(() => {
      const issue = visibleIssue(store, viewerOf(actor), issueId);
      const rendition = input.renditionId === undefined ? store.renditions.latest(issueId) : store.renditions.get(input.renditionId);
      if (rendition && rendition.issueId !== issueId) throw new NotFoundError(`rendition ${input.renditionId} is not one of issue ${issueId}`, { field: 'renditionId' });
      const job = rendition?.jobId ? store.jobs.get(rendition.jobId) : undefined;
      const facts: SignOffFacts = {
        issue,
        rendition,
        articles: store.issues.plan(issueId).flatMap((s) => s.articleIds).map((id) => ({ id, article: store.articles.get(id) })),
        distribution: store.issues.distribution(issueId),
        licenceExpires: store.bulletin.get()?.licence.expires,
        licenceOverridden: job?.options.allowExpiredLicence === true,
      };
      const reasons = whyCannotSignOff(facts, todayIso(this.deps));
      if (reasons.length || !rendition) throw refusal(`cannot sign off issue ${issueId}`, reasons, 'Chưa duyệt in được số này.');
      const now = nowIso(this.deps);
      store.renditions.markSigned(rendition.id);
      store.issues.markSignedOff(issueId, rendition.id, actor.id, now);
      const others = store.renditions.unsignedExcept(issueId, rendition.id);
      for (const r of others) store.renditions.delete(r.id);
      const sha = Object.fromEntries(rendition.files.map((f) => [f.name, f.sha256]));
      audit(this.deps, { actorId: actor.id, action: 'issue.signoff', targetType: 'issue', targetId: issueId, details: { renditionId: rendition.id, sha256: sha } });
      return others;
    });
    // Older renditions are kept only until sign-off; their files go once the database no longer names them.
    for (const r of dropped) await fs.rm(path.join(this.deps.dataDir, r.dir), { recursive: true, force: true });
    return this.issues.view(actor, issueId);
  }
}
