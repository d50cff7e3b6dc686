/**
 * What the issue screens show beyond IssueView: the table of contents a reader sees (sections, articles
 * and the page each starts on), titles of placed articles for the assembly screen, and a diacritic-
 * insensitive search over the published issues a viewer may read. Same visibility rules as issue-access.ts.
 */
import type { Actor } from '../domain/user.ts';
import type { Issue } from '../domain/issue.ts';
import { foldForSearch, searchWords } from '../domain/vi-text.ts';
import { requirePermission, type WorkflowDeps } from './context.ts';
import { currentRendition, readerUnits, viewerOf, visibleIssue, type Viewer } from './issue-access.ts';

export interface ContentsLine {
  articleId: number;
  title: string;
  author: string | null;
  /** The page the article starts on in the rendition readers get; null before typesetting */
  page: number | null;
}

export interface ContentsSection {
  title: string;
  articles: ContentsLine[];
}

export interface SearchHit {
  issueId: number;
  number: number;
  year: number;
  date: string;
  section: string;
  title: string;
  page: number | null;
}

export class IssuePortalService {
  constructor(private readonly deps: WorkflowDeps) {}

  /** Sections and articles of an issue in plan order, with start pages from its current rendition. */
  contents(actor: Actor, issueId: number): ContentsSection[] {
    const viewer = viewerOf(actor);
    return this.contentsOf(viewer, visibleIssue(this.deps.store, viewer, issueId));
  }

  /** Titles and states of articles (the assembly screen names placed articles). Office only. */
  articleSummaries(actor: Actor, ids: readonly number[]): Map<number, { title: string; state: string; unitId: number | null }> {
    requirePermission(actor, 'issue.manage');
    const out = new Map<number, { title: string; state: string; unitId: number | null }>();
    for (const id of ids) {
      const a = this.deps.store.articles.get(id);
      if (a) out.set(id, { title: a.title, state: a.state, unitId: a.unitId });
    }
    return out;
  }

  /** Active print-shop accounts (to choose where an issue goes, and to name deliveries). Office only. */
  printShops(actor: Actor): { id: number; displayName: string }[] {
    requirePermission(actor, 'issue.manage');
    return this.deps.store.users.list({ role: 'print_shop' }).filter((u) => !u.disabled).map((u) => ({ id: u.id, displayName: u.displayName }));
  }

  /** When this print shop received the issue (null = not confirmed yet); NotFound if it was not sent to it. */
  receivedAt(actor: Actor, issueId: number): string | null {
    const viewer = viewerOf(actor);
    visibleIssue(this.deps.store, viewer, issueId);
    return this.deps.store.publications.delivery(issueId, actor.id)?.receivedAt ?? null;
  }

  /** Every word of `q` must appear (ignoring case and diacritics) in the article or section title. */
  search(actor: Actor, q: string, limit = 200): SearchHit[] {
    const words = searchWords(q);
    if (words.length === 0) return [];
    const viewer = viewerOf(actor);
    const hits: SearchHit[] = [];
    for (const issue of this.publishedFor(viewer)) {
      for (const section of this.contentsOf(viewer, issue)) {
        for (const line of section.articles) {
          const hay = foldForSearch(`${section.title} ${line.title} ${line.author ?? ''}`);
          if (words.every((w) => hay.includes(w))) {
            hits.push({ issueId: issue.id, number: issue.number, year: issue.year, date: issue.date, section: section.title, title: line.title, page: line.page });
            if (hits.length >= limit) return hits;
          }
        }
      }
    }
    return hits;
  }

  private publishedFor(viewer: Viewer): Issue[] {
    const { store } = this.deps;
    let ids = store.publications.visibleIssueIds(viewer.kind === 'unit' ? readerUnits(store, viewer.unitId) : undefined);
    if (viewer.kind === 'print_shop') {
      const sent = new Set(store.publications.issuesSentTo(viewer.actor.id));
      ids = ids.filter((id) => sent.has(id));
    }
    return store.issues.list({ ids }).filter((i) => i.state === 'published');
  }

  private contentsOf(viewer: Viewer, issue: Issue): ContentsSection[] {
    const { store } = this.deps;
    const rendition = viewer.kind === 'office' || issue.signedRenditionId !== null ? currentRendition(store, issue) : undefined;
    const toc = rendition?.toc ?? [];
    const plan = store.issues.plan(issue.id);
    // A published issue without a plan in the app (e.g. restored from files) still has its typeset contents;
    // drafts keep the (empty) plan, which the assembly screen edits.
    if (plan.length === 0 && issue.state === 'published') return tocSections(toc);
    return plan.map((s) => ({
      title: s.title,
      articles: s.articleIds.map((id) => {
        const a = store.articles.get(id);
        const title = a?.title ?? `#${id}`;
        // The rendition's outline names articles by title within their section.
        const line = toc.find((t) => t.title === title && t.section === s.title) ?? toc.find((t) => t.title === title);
        return { articleId: id, title, author: a?.author ?? null, page: line?.page ?? null };
      }),
    }));
  }
}

/** The rendition's outline grouped by section, in page order. */
function tocSections(toc: readonly { section: string; title: string; page: number }[]): ContentsSection[] {
  const sections: ContentsSection[] = [];
  for (const line of [...toc].sort((a, b) => a.page - b.page)) {
    let section = sections.at(-1);
    if (!section || section.title !== line.section) sections.push((section = { title: line.section, articles: [] }));
    section.articles.push({ articleId: 0, title: line.title, author: null, page: line.page });
  }
  return sections;
}
