/**
 * Who is told what, in the app and by e-mail: readers of the units an issue reaches when it is published
 * (as OJS "notify readers on publish"), and a contributor when an editor returns, approves or rejects their
 * article (the in-app line for that is written by the article workflow; this adds the e-mail).
 * Everything here writes rows inside the caller's transaction; the mail is sent later by MailDelivery, so
 * nothing here can block or fail the request. Without SMTP configured no mail is queued at all.
 */
import type { Article } from '../domain/article.ts';
import type { Store } from '../store/index.ts';
import { readerUnits } from '../workflow/issue-access.ts';
import { articleDecisionMail, issueCorrectedNotice, issuePublishedMail, issuePublishedNotice, type ArticleDecision, type IssueFacts } from './messages.ts';

export interface NotifierDeps {
  store: Store;
  clock: () => Date;
  /** Set when SMTP is configured: links in mails start with `baseUrl` (paths only without it). */
  mail?: { baseUrl?: string; queued: () => void };
}

export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  get mailEnabled(): boolean {
    return this.deps.mail !== undefined;
  }

  /**
   * An issue was published (call inside the publish transaction): every active reader account whose unit
   * now sees it and who was not told about this issue before gets an in-app notice and, with an address, an
   * e-mail — so publishing again (to more units, or the same ones) tells only the readers it newly reaches.
   * A reissue (a new version of the same number) tells readers who were told about an earlier version that
   * this is a corrected version, with the reason; readers new to the number get the ordinary notice.
   * Returns how many readers were told.
   */
  issuePublished(issueId: number): number {
    const { store } = this.deps;
    const issue = store.issues.get(issueId);
    if (!issue) return 0;
    const rendition = issue.signedRenditionId !== null ? store.renditions.get(issue.signedRenditionId) : undefined;
    const facts: IssueFacts = {
      id: issue.id,
      number: issue.number,
      date: issue.date,
      pages: rendition?.pages ?? null,
      bulletinName: store.bulletin.get()?.name ?? 'Thông báo Nội bộ',
      toc: rendition?.toc ?? [],
      ...(issue.version > 1 ? { correction: { version: issue.version, reason: issue.versionReason } } : {}),
    };
    const now = this.now();
    const seesIssue = new Map<number | null, boolean>();
    const noticed = store.notifications.issueNoticed(issueId);
    let told = 0;
    for (const reader of store.users.list({ role: 'reader' })) {
      if (reader.disabled || noticed.thisIssue.has(reader.id)) continue;
      // The same rule as downloading (issue-access.ts): the unit, units merged into it, and units above it.
      let sees = seesIssue.get(reader.unitId);
      if (sees === undefined) {
        sees = store.publications.visibleIssueIds(readerUnits(store, reader.unitId)).includes(issueId);
        seesIssue.set(reader.unitId, sees);
      }
      if (!sees) continue;
      const correction = noticed.otherVersion.has(reader.id) ? facts.correction : undefined;
      const kind = correction ? 'issue.corrected' : 'issue.published';
      const message = correction ? issueCorrectedNotice({ ...facts, correction }) : issuePublishedNotice(facts);
      store.notifications.insert({ userId: reader.id, articleId: null, kind, message }, now);
      store.notifications.recordIssueNotice(issueId, reader.id, now);
      const address = this.addressOf(reader.id);
      if (address) {
        const unitName = reader.unitId === null ? null : (store.units.get(reader.unitId)?.name ?? null);
        const mail = issuePublishedMail(facts, { displayName: reader.displayName, unitName }, this.link(`/archive/${issue.id}`), correction !== undefined);
        store.mail.enqueue({ kind, userId: reader.id, to: address, ...mail }, now);
      }
      told++;
    }
    this.queued();
    return told;
  }

  /** An editor returned, approved or rejected an article (inside that transaction): its author gets an e-mail. */
  articleDecided(article: Pick<Article, 'id' | 'title' | 'createdBy'>, decision: ArticleDecision, reason: string | null): void {
    const author = this.deps.store.users.get(article.createdBy);
    const address = author && !author.disabled ? this.addressOf(author.id) : null;
    if (!author || !address) return;
    const mail = articleDecisionMail(article, decision, reason, author, this.link(`/articles/${article.id}`));
    this.deps.store.mail.enqueue({ kind: `article.${decision}`, userId: author.id, to: address, ...mail }, this.now());
    this.queued();
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }

  private addressOf(userId: number): string | null {
    return this.deps.mail ? this.deps.store.mail.email(userId) : null;
  }

  private link(path: string): string {
    return `${(this.deps.mail?.baseUrl ?? '').replace(/\/+$/, '')}${path}`;
  }

  /**
   * Wakes the sender once the caller's transaction is over: better-sqlite3 transactions are synchronous, so
   * by the next turn of the event loop the rows are committed — or rolled back, and then never sent.
   */
  private queued(): void {
    const wake = this.deps.mail?.queued;
    if (wake) setImmediate(wake);
  }
}
