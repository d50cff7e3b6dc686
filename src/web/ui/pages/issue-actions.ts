/**
 * What moves an issue forward from its screen: typeset (a job whose progress the page follows live),
 * sign-off and send to print (editor-in-chief), publish to the internal portal with its visibility.
 * Every refusal re-shows the issue screen with the workflow's reasons in Vietnamese.
 */
import { formValues, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { issueIdParam } from './issue-view.ts';
import { refuseOnIssue } from './issues.ts';

/** Checkbox lists arrive as one string or several; ids only. */
function ids(value: unknown): number[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((x): x is string => typeof x === 'string' && /^[1-9]\d{0,15}$/.test(x)).map(Number);
}

function body(p: SignedInPage): Record<string, unknown> {
  return p.req.body && typeof p.req.body === 'object' ? (p.req.body as Record<string, unknown>) : {};
}

function typeset(p: SignedInPage): void {
  const id = issueIdParam(p);
  const v = formValues(p.req);
  try {
    p.deps.services.typeset.request(p.actor, id, v.allowExpiredLicence === '1' ? { allowExpiredLicence: true } : {});
  } catch (err) {
    refuseOnIssue(p, id, err);
    return;
  }
  p.redirect(`/issues/${id}#typeset`, { kind: 'info', text: 'Đã đưa vào hàng đợi dàn trang. Tiến độ hiện bên dưới.' });
}

async function signOff(p: SignedInPage): Promise<void> {
  const id = issueIdParam(p);
  try {
    await p.deps.services.signOff.signOff(p.actor, id, {});
  } catch (err) {
    refuseOnIssue(p, id, err);
    return;
  }
  p.redirect(`/issues/${id}#print`, { kind: 'ok', text: 'Đã duyệt in. Tệp và mã băm của bản dàn trang này được giữ nguyên.' });
}

function sendToPrint(p: SignedInPage): void {
  const id = issueIdParam(p);
  const chosen = ids(body(p).userIds);
  try {
    p.deps.services.printing.sendToPrint(p.actor, id, chosen.length ? { userIds: chosen } : {});
  } catch (err) {
    refuseOnIssue(p, id, err);
    return;
  }
  p.redirect(`/issues/${id}#print`, { kind: 'ok', text: 'Đã gửi nhà in.' });
}

function publish(p: SignedInPage): void {
  const id = issueIdParam(p);
  const v = formValues(p.req);
  const unitIds = ids(body(p).unitIds);
  try {
    p.deps.services.publishing.publish(p.actor, id, v.visibility === 'units' ? { unitIds: unitIds.length ? unitIds : [] } : {});
  } catch (err) {
    refuseOnIssue(p, id, err, { values: v });
    return;
  }
  p.redirect(`/archive/${id}`, { kind: 'ok', text: 'Đã phát hành lên cổng nội bộ.' });
}

function reissue(p: SignedInPage): void {
  const id = issueIdParam(p);
  const v = formValues(p.req);
  let created: number;
  try {
    created = p.deps.services.issues.reissue(p.actor, id, { reason: v.reason }).id;
  } catch (err) {
    refuseOnIssue(p, id, err, { values: v });
    return;
  }
  p.redirect(`/issues/${created}`, { kind: 'ok', text: 'Đã tạo phiên bản mới để sửa; bản đã duyệt vẫn giữ nguyên tệp.' });
}

export const issueActionRoutes: UiRoute[] = [
  { method: 'post', path: '/issues/:id/typeset', access: 'issue.manage', handler: typeset },
  { method: 'post', path: '/issues/:id/sign-off', access: 'issue.signoff', handler: signOff },
  { method: 'post', path: '/issues/:id/send-to-print', access: 'issue.signoff', handler: sendToPrint },
  { method: 'post', path: '/issues/:id/publish', access: 'issue.signoff', handler: publish },
  { method: 'post', path: '/issues/:id/reissue', access: 'issue.signoff', handler: reissue },
];
