/** The print shop's inbox: issues sent to it, their print files, and "Xác nhận đã nhận". */
import { ForbiddenError } from '../../../domain/errors.ts';
import type { SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { fileHref, issueHeading, issueIdParam } from './issue-view.ts';

const FILE_LABELS: Record<string, string> = {
  'print.pdf': 'Tệp in (print.pdf)',
  'job.json': 'Phiếu công việc (JSON)',
  'print-ticket.pdf': 'Phiếu đặt in (PDF)',
  'distribution.csv': 'Danh sách phát hành (CSV)',
  'cover.pdf': 'Bìa (cover.pdf)',
};

function requirePrintShop(p: SignedInPage): void {
  if (p.actor.role !== 'print_shop') throw new ForbiddenError('the print inbox is for print shops', { userMessage: 'Hộp thư nhà in chỉ dành cho tài khoản nhà in.' });
}

function inbox(p: SignedInPage): void {
  requirePrintShop(p);
  const items = p.deps.services.issues.list(p.actor).map((i) => ({
    ...i,
    heading: issueHeading(i),
    stateText: i.stateLabel,
    receivedAt: p.deps.services.issuePortal.receivedAt(p.actor, i.id),
    downloads: i.files.map((f) => ({ ...f, label: FILE_LABELS[f.name] ?? f.name, href: fileHref(i.id, f.name) })),
  }));
  p.render('print-inbox', { title: 'Hộp thư nhà in', issuesAssets: true, items });
}

function confirmReceipt(p: SignedInPage): void {
  requirePrintShop(p);
  const id = issueIdParam(p);
  const issue = p.deps.services.printing.confirmReceipt(p.actor, id);
  p.redirect('/print', { kind: 'ok', text: `Đã xác nhận nhận ${issueHeading(issue)}.` });
}

export const printInboxRoutes: UiRoute[] = [
  { method: 'get', path: '/print', access: 'signed-in', handler: inbox },
  { method: 'post', path: '/print/:id/received', access: 'signed-in', handler: confirmReceipt },
];
