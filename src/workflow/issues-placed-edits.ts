/**
 * Editing an article that is already placed in an issue (issue #6): allowed until the issue is signed
 * off — the signed rendition is frozen, so a later change goes through a new version (reissue). An edit
 * makes the issue's last rendition stale: the plan revision moves on (sign-off then asks for a new
 * typeset) and an issue that was `typeset` is a draft again. The issue screen names the edited articles.
 */
import { RuleViolation } from '../domain/errors.ts';
import { FROZEN_STATES, ISSUE_STATE_LABELS_VI, type Issue } from '../domain/issue.ts';
import type { Store } from '../store/index.ts';

/** The issue the article is placed in, when an edit is allowed; RuleViolation when that issue is frozen. */
export function issueOpenForArticleEdit(store: Store, articleId: number): Issue | undefined {
  const issueId = store.issues.placementOf(articleId);
  const issue = issueId === undefined ? undefined : store.issues.get(issueId);
  if (issue && FROZEN_STATES.includes(issue.state)) {
    throw new RuleViolation(
      `article ${articleId} is in issue ${issue.id} (number ${issue.number}/${issue.year}), which is ${issue.state}; changing it needs a new version of the issue (POST /issues/${issue.id}/reissue with a reason)`,
      { userMessage: `Bài thuộc số ${issue.number}/${issue.year} đã ở trạng thái “${ISSUE_STATE_LABELS_VI[issue.state]}”: muốn sửa, hãy tạo phiên bản mới của số.` },
    );
  }
  return issue;
}

/** Why a placed article cannot be edited because its issue is signed off (for screens), or null. */
export function whyPlacedArticleIsFrozen(store: Store, articleId: number): string | null {
  try {
    issueOpenForArticleEdit(store, articleId);
    return null;
  } catch (err) {
    if (err instanceof RuleViolation) return err.message;
    throw err;
  }
}

/** Runs inside the edit's transaction: the last rendition no longer shows what the issue contains. */
export function markRenditionStale(store: Store, issue: Issue, now: string): void {
  // An empty data change only bumps plan_revision, which is what "current rendition" is compared with.
  store.issues.updateData(issue.id, {}, now);
  if (issue.state === 'typeset') store.issues.setState(issue.id, 'draft', now);
}

export interface EditedSinceTypeset {
  articleId: number;
  title: string;
  editedAt: string;
}

/**
 * Placed articles saved after the job of the issue's newest rendition started (its export read them
 * then). Empty when that rendition is current or the issue is signed off (the signed files are what
 * counts). `updatedAt` also moves on state changes, but a placed article changes state only when it is
 * placed (a plan change, itself making the rendition stale) or published (frozen by then).
 */
export function articlesEditedSinceTypeset(store: Store, issue: Issue): EditedSinceTypeset[] {
  if (FROZEN_STATES.includes(issue.state)) return [];
  const rendition = store.renditions.latest(issue.id);
  if (!rendition || rendition.planRevision === issue.planRevision) return [];
  const job = rendition.jobId ? store.jobs.get(rendition.jobId) : undefined;
  const since = job?.startedAt ?? rendition.createdAt;
  const out: EditedSinceTypeset[] = [];
  for (const articleId of store.issues.plan(issue.id).flatMap((s) => s.articleIds)) {
    const article = store.articles.get(articleId);
    if (article && article.updatedAt > since) out.push({ articleId, title: article.title, editedAt: article.updatedAt });
  }
  return out;
}
