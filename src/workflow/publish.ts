/**
 * Publishing a signed-off issue to the internal portal: `{unitIds?}` restricts it to those units' readers;
 * without it every unit's readers see it. Placed articles become `published`.
 */
import { BadInputError } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import { PublishBody } from '../domain/issue-schemas.ts';
import type { Issue, RefusalReason } from '../domain/issue.ts';
import type { Actor } from '../domain/user.ts';
import type { ArticleService } from './articles.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import type { IssueService, IssueView } from './issues.ts';
import { allowedFiles, readerUnits, viewerOf, visibleIssue, type Viewer } from './issue-access.ts';
import { refusal } from './sign-off.ts';
import { isOnlineAsset } from './issue-online.ts';
import { isThumbnailName } from './issue-thumbnails.ts';

export interface PublishedItem {
  id: number;
  number: number;
  year: number;
  date: string;
  pages: number | null;
  files: { name: string; bytes: number; sha256: string }[];
  publishedAt: string | null;
}

export function whyCannotPublish(issue: Issue): RefusalReason | null {
  if (issue.state === 'draft' || issue.state === 'typeset') return { code: 'not-signed-off', message: `issue is ${issue.state}: the editor-in-chief must sign it off first` };
  return null;
}

export class PublishService {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly issues: IssueService,
    private readonly articles: ArticleService,
    /** Portal channels (src/publish): called after the publish is committed; runs in the background. */
    private readonly onPublished?: (issueId: number) => void,
    /** In-app notices and e-mail to the readers it reaches (src/notify), written in the publish transaction. */
    private readonly notices?: { issuePublished(issueId: number): number },
  ) {}

  publish(actor: Actor, issueId: number, body: unknown): IssueView {
    requirePermission(actor, 'issue.signoff');
    const input = parseBody(PublishBody, body);
    const { store } = this.deps;
    store.transaction(() => {
      const issue = visibleIssue(store, viewerOf(actor), issueId);
      const why = whyCannotPublish(issue);
      if (why) throw refusal(`cannot publish issue ${issueId}`, [why], 'Chưa phát hành được số này.');
      const unitIds = input.unitIds ? [...new Set(input.unitIds)] : undefined;
      unitIds?.forEach((id, i) => {
        if (!store.units.get(id)) throw new BadInputError(`unknown unit ${id}`, { field: `unitIds[${i}]`, expected: 'ids of existing units' });
      });
      const now = nowIso(this.deps);
      store.publications.publish(issueId, unitIds, actor.id, now);
      store.issues.setState(issueId, 'published', now);
      for (const id of store.issues.plan(issueId).flatMap((s) => s.articleIds)) {
        const article = store.articles.get(id);
        if (article && article.state === 'scheduled') this.articles.applyState(actor, article, 'published', null);
      }
      audit(this.deps, { actorId: actor.id, action: 'issue.publish', targetType: 'issue', targetId: issueId, details: { unitIds: unitIds ?? 'all' } });
      this.notices?.issuePublished(issueId);
    });
    this.onPublished?.(issueId);
    return this.issues.view(actor, issueId);
  }

  /** Published issues the caller may read: readers by their unit, print shops those sent to them, the office all. */
  listPublished(actor: Actor): PublishedItem[] {
    return this.listFor(viewerOf(actor));
  }

  listFor(viewer: Viewer): PublishedItem[] {
    const { store } = this.deps;
    // One batch of queries for the whole archive (ten years of issues), not a few per issue.
    let rows = store.publications.publishedSummaries(viewer.kind === 'unit' ? readerUnits(store, viewer.unitId) : undefined);
    if (viewer.kind === 'print_shop') {
      const sent = new Set(store.publications.issuesSentTo(viewer.actor.id));
      rows = rows.filter((r) => sent.has(r.issueId));
    }
    return rows.map((r) => {
      const names = allowedFiles(viewer, r);
      return {
        id: r.issueId,
        number: r.number,
        year: r.year,
        date: r.date,
        pages: r.pages,
        // Page thumbnails are for screens (IssueView.thumbnails), not part of the downloads list.
        files: r.files.filter((f) => names.includes(f.name) && !isThumbnailName(f.name) && !isOnlineAsset(f.name)),
        publishedAt: r.publishedAt,
      };
    });
  }
}
