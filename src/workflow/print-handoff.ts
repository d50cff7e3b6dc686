/**
 * Sending a signed-off issue to print: every print_shop account unless `{userIds}` names some. Print shops
 * see only the issues sent to them and confirm receipt; both steps are audited.
 */
import { BadInputError, ForbiddenError } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import { SendToPrintBody } from '../domain/issue-schemas.ts';
import type { Issue, RefusalReason } from '../domain/issue.ts';
import type { Actor } from '../domain/user.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import type { IssueService, IssueView } from './issues.ts';
import { viewerOf, visibleIssue } from './issue-access.ts';
import { refusal } from './sign-off.ts';

export function whyCannotSendToPrint(issue: Issue, printShopCount: number): RefusalReason[] {
  const reasons: RefusalReason[] = [];
  if (issue.state === 'draft' || issue.state === 'typeset') reasons.push({ code: 'not-signed-off', message: `issue is ${issue.state}: the editor-in-chief must sign it off first` });
  if (printShopCount === 0) reasons.push({ code: 'no-print-shop', message: 'there is no active print_shop account to send it to' });
  return reasons;
}

export class PrintHandoffService {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly issues: IssueService,
  ) {}

  sendToPrint(actor: Actor, issueId: number, body: unknown): IssueView {
    requirePermission(actor, 'issue.signoff');
    const input = parseBody(SendToPrintBody, body);
    const { store } = this.deps;
    store.transaction(() => {
      const issue = visibleIssue(store, viewerOf(actor), issueId);
      const shops = input.userIds
        ? input.userIds.map((id, i) => {
            const u = store.users.get(id);
            if (!u || u.disabled || u.role !== 'print_shop') throw new BadInputError(`user ${id} is not an active print_shop account`, { field: `userIds[${i}]`, expected: 'ids of print_shop users' });
            return u;
          })
        : store.users.list({ role: 'print_shop' }).filter((u) => !u.disabled);
      const reasons = whyCannotSendToPrint(issue, shops.length);
      if (reasons.length) throw refusal(`cannot send issue ${issueId} to print`, reasons, 'Chưa gửi nhà in được số này.');
      const now = nowIso(this.deps);
      for (const u of shops) {
        store.publications.addDelivery(issueId, u.id, actor.id, now);
        store.notifications.insert({ userId: u.id, articleId: null, kind: 'issue.sent_to_print', message: `Bản tin số ${issue.number}/${issue.year} đã được gửi đến nhà in.` }, now);
      }
      if (issue.state === 'signed_off') store.issues.moveState(issueId, ['signed_off'], 'sent_to_print', now);
      audit(this.deps, { actorId: actor.id, action: 'issue.send_to_print', targetType: 'issue', targetId: issueId, details: { userIds: shops.map((u) => u.id) } });
    });
    return this.issues.view(actor, issueId);
  }

  /** The print shop says it has the files. */
  confirmReceipt(actor: Actor, issueId: number): IssueView {
    if (actor.role !== 'print_shop') throw new ForbiddenError('only a print shop confirms receipt', { userMessage: 'Chỉ nhà in xác nhận đã nhận.' });
    const { store } = this.deps;
    store.transaction(() => {
      visibleIssue(store, viewerOf(actor), issueId);
      store.publications.markReceived(issueId, actor.id, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'issue.print_received', targetType: 'issue', targetId: issueId });
    });
    return this.issues.view(actor, issueId);
  }

}
