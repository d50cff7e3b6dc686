/**
 * PUT /issues/:id/plan: sections in order, each with its articles in order. A section title that is not
 * yet a section creates it. Placed articles become `scheduled`; articles taken out go back to `approved`.
 * An article is in at most one issue.
 */
import { BadInputError, RuleViolation, type Problem } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import { PlanBody } from '../domain/issue-schemas.ts';
import type { Article } from '../domain/article.ts';
import type { RefusalReason } from '../domain/issue.ts';
import type { Actor } from '../domain/user.ts';
import { nfc } from '../domain/vi-text.ts';
import type { ArticleService } from './articles.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import type { IssueService, IssueView } from './issues.ts';

/** Why this article cannot be placed in issue `issueId` (`placedIn`: the issue it is already in), or null. */
export function whyCannotPlace(articleId: number, article: Article | undefined, issueId: number, placedIn: number | undefined): RefusalReason | null {
  if (!article) return { code: 'article-missing', message: `article ${articleId} does not exist (deleted?)` };
  if (placedIn !== undefined && placedIn !== issueId) {
    return { code: 'article-in-other-issue', message: `article ${articleId} "${article.title}" is already placed in issue ${placedIn}` };
  }
  // A new version of a published issue carries its articles, which are already `published`.
  if (article.state === 'approved' || ((article.state === 'scheduled' || article.state === 'published') && placedIn === issueId)) return null;
  return { code: 'article-not-approved', message: `article ${articleId} "${article.title}" is ${article.state}, not approved` };
}

export class IssuePlanService {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly issues: IssueService,
    private readonly articles: ArticleService,
  ) {}

  put(actor: Actor, issueId: number, body: unknown): IssueView {
    requirePermission(actor, 'issue.manage');
    const input = parseBody(PlanBody, body);
    const { store } = this.deps;
    const titles = input.sections.map((s) => nfc(s.title));
    const dupTitle = titles.find((t, i) => titles.indexOf(t) !== i);
    if (dupTitle) throw new BadInputError(`section "${dupTitle}" appears twice in the plan`, { field: 'sections', userMessage: `Chuyên mục “${dupTitle}” bị lặp.` });
    const ids = input.sections.flatMap((s) => s.articleIds);
    const dupId = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dupId !== undefined) throw new BadInputError(`article ${dupId} appears twice in the plan`, { field: 'sections', userMessage: 'Một bài viết bị xếp hai lần.' });

    store.transaction(() => {
      const issue = this.issues.editable(actor, issueId);
      const reasons: Problem[] = [];
      const placed = new Map<number, Article>();
      for (const id of ids) {
        const article = store.articles.get(id);
        const why = whyCannotPlace(id, article, issueId, store.issues.placementOf(id));
        if (why) reasons.push({ field: `articleIds`, message: why.message });
        else if (article) placed.set(id, article);
      }
      if (reasons.length) {
        throw new RuleViolation(`the plan cannot be saved: ${reasons.map((r) => r.message).join('; ')}`, {
          problems: reasons,
          userMessage: 'Chỉ xếp được bài đã duyệt và chưa nằm trong số khác.',
        });
      }
      const now = nowIso(this.deps);
      const before = store.issues.plan(issueId).flatMap((s) => s.articleIds);
      const sections = input.sections.map((s, i) => ({ sectionId: this.sectionFor(actor, titles[i]!), articleIds: s.articleIds }));
      store.issues.replacePlan(issueId, sections, now);
      for (const id of before) {
        const article = store.articles.get(id);
        if (article && !placed.has(id) && article.state === 'scheduled') this.articles.applyState(actor, article, 'approved', null);
      }
      for (const article of placed.values()) {
        if (article.state === 'approved') this.articles.applyState(actor, article, 'scheduled', null);
      }
      if (issue.state === 'typeset') store.issues.setState(issueId, 'draft', now);
      audit(this.deps, { actorId: actor.id, action: 'issue.plan', targetType: 'issue', targetId: issueId, details: { sections: titles, articles: ids } });
    });
    return this.issues.view(actor, issueId);
  }

  /** Editors may create a section only this way (naming it in a plan), not through section management. */
  private sectionFor(actor: Actor, title: string): number {
    const { store } = this.deps;
    const existing = store.sections.findByTitle(title);
    if (existing) return existing.id;
    const id = store.sections.insert(title, undefined, nowIso(this.deps));
    audit(this.deps, { actorId: actor.id, action: 'section.create', targetType: 'section', targetId: id, details: { title, via: 'issue.plan' } });
    return id;
  }
}
