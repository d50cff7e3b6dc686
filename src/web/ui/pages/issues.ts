/** Issues for the editorial office: the list with states, creating an issue, and the assembly screen. */
import { BadInputError } from '../../../domain/errors.ts';
import { formNumber as num, formValues, type SignedInPage } from '../page.ts';
import { newIssueTrim } from '../../../domain/issue.ts';
import { legalProfileFor } from '../../../domain/legal-profile.ts';
import type { UiRoute } from '../routes.ts';
import { applyPlanEdit, defaultAllocation, distributionCsv, type PlanEdit, type PlanSection } from '../../../workflow/ui-issues-plan.ts';
import { issueHeading, issueIdParam, issueScreen } from './issue-view.ts';
import { refusalLines } from './issue-refusals.ts';
import { formErrorsFrom } from '../form-errors.ts';
import { contentDisposition } from '../../api/files.ts';
import { articlePreviewUiRoutes } from './issue-article-preview.ts';

const LAYOUTS = [{ value: 'standard', label: 'Tiêu chuẩn (2 cột)' }];

function listView(p: SignedInPage, values: Record<string, string> = {}) {
  const items = p.deps.services.issues.list(p.actor).map((i) => ({ ...i, heading: issueHeading(i), stateText: i.stateLabel }));
  const today = p.deps.clock().toISOString().slice(0, 10);
  // The form follows the bulletin profile: it starts with the trim a new issue gets anyway, and its limits
  // are the legal profile's (preflight checks the same ones).
  const bulletin = p.deps.services.bulletin.current();
  const trim = newIssueTrim(bulletin?.defaultTrim);
  const legal = legalProfileFor(bulletin?.legalProfile);
  const maxTrim = { width: legal.maxTrimMm.width, height: legal.maxTrimMm.height, source: legal.source };
  return { title: 'Số bản tin', items, layouts: LAYOUTS, maxTrim, values: { date: today, printRun: '', layout: 'standard', trimWidth: String(trim.widthMm), trimHeight: String(trim.heightMm), ...values } };
}

function createIssue(p: SignedInPage): void {
  const v = formValues(p.req);
  let id: number;
  try {
    const trimW = num(v.trimWidth);
    const trimH = num(v.trimHeight);
    id = p.deps.services.issues.create(p.actor, {
      number: num(v.number),
      date: v.date,
      printRun: num(v.printRun),
      layout: v.layout || undefined,
      ...(trimW !== undefined || trimH !== undefined ? { trim: { widthMm: trimW, heightMm: trimH } } : {}),
    }).id;
  } catch (err) {
    p.refused(err, 'issues', listView(p, v));
    return;
  }
  p.redirect(`/issues/${id}`, { kind: 'ok', text: `Đã tạo số ${v.number ?? ''}. Hãy xếp bài vào các chuyên mục.` });
}

function showIssue(p: SignedInPage): void {
  p.render('issue', issueScreen(p, issueIdParam(p)));
}

/** Re-shows the issue screen with the refusal (4xx) and what was typed; anything else is a bug (500). */
export function refuseOnIssue(p: SignedInPage, id: number, err: unknown, extras: { values?: Record<string, string>; copies?: Record<string, string> } = {}): void {
  const r = refusalLines(err);
  if (!r) throw err;
  const data = issueScreen(p, id, { ...extras, refusal: { message: r.message, lines: r.lines } });
  p.render('issue', { ...data, errors: formErrorsFrom(err)?.errors ?? {} }, r.status);
}

function planEditFrom(v: Record<string, string>, plan: readonly PlanSection[]): PlanEdit {
  const [op = '', arg = ''] = (v.edit ?? '').split(':');
  const articleId = Number(op === 'add' ? v.articleId : arg);
  const sectionAt = (i: string) => plan[Number(i)]?.title ?? '';
  switch (op) {
    case 'add':
      return { op: 'add', articleId, section: v.newSection?.trim() || v.section || '' };
    case 'remove':
      return { op: 'remove', articleId };
    case 'up':
    case 'down':
      return { op: 'move', articleId, dir: op };
    case 'add-section':
      return { op: 'add-section', section: v.newSection ?? '' };
    case 'section-up':
    case 'section-down':
      return { op: 'move-section', section: sectionAt(arg), dir: op === 'section-up' ? 'up' : 'down' };
    case 'section-remove':
      return { op: 'remove-section', section: sectionAt(arg) };
    default:
      throw new BadInputError(`unknown plan edit "${v.edit ?? ''}"`, { field: 'edit', userMessage: 'Thao tác không hợp lệ.' });
  }
}

/** The order the drag-and-drop script posts: [{title, articleIds}] as JSON. */
function parseOrder(raw: string | undefined): unknown {
  try {
    return JSON.parse(raw ?? '');
  } catch (err) {
    throw new BadInputError('order is not JSON', { cause: err, field: 'order', userMessage: 'Thứ tự gửi lên không đọc được; hãy tải lại trang.' });
  }
}

function editPlan(p: SignedInPage): void {
  const id = issueIdParam(p);
  const v = formValues(p.req);
  try {
    const plan = (p.deps.services.issues.view(p.actor, id).sections ?? []).map((s) => ({ title: s.title, articleIds: s.articleIds }));
    const sections = v.edit === 'order' ? parseOrder(v.order) : applyPlanEdit(plan, planEditFrom(v, plan));
    p.deps.services.issuePlans.put(p.actor, id, { sections });
  } catch (err) {
    refuseOnIssue(p, id, err, { values: v });
    return;
  }
  p.redirect(`/issues/${id}#plan`, { kind: 'ok', text: 'Đã lưu dàn bài.' });
}

function saveDistribution(p: SignedInPage): void {
  const id = issueIdParam(p);
  const v = formValues(p.req);
  const copies: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (k.startsWith('copies_')) copies[k.slice(7)] = val;
  try {
    const { issues, units } = p.deps.services;
    let lines: { unitId: number; copies: number | string }[];
    if (v.allocate === 'default') {
      const issue = issues.view(p.actor, id);
      lines = defaultAllocation(issue.printRun, units.list(p.actor).filter((u) => u.validTo === null).map((u) => u.id));
    } else {
      lines = Object.entries(copies)
        .filter(([, c]) => c.trim() !== '' && c.trim() !== '0')
        .map(([unitId, c]) => ({ unitId: Number(unitId), copies: num(c) ?? c }));
    }
    issues.setDistribution(p.actor, id, { distribution: lines });
  } catch (err) {
    refuseOnIssue(p, id, err, { copies });
    return;
  }
  p.redirect(`/issues/${id}#distribution`, { kind: 'ok', text: 'Đã lưu danh sách phát hành.' });
}

function distributionCsvFile(p: SignedInPage): void {
  const id = issueIdParam(p);
  const issue = p.deps.services.issues.view(p.actor, id);
  const name = `phat-hanh-so-${issue.number}-${issue.year}.csv`;
  p.res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': contentDisposition(name) }).send(distributionCsv(issue.distribution ?? []));
}

export const issueRoutes: UiRoute[] = [
  { method: 'get', path: '/issues', access: 'issue.manage', handler: (p) => p.render('issues', listView(p)) },
  { method: 'post', path: '/issues', access: 'issue.manage', handler: createIssue },
  { method: 'get', path: '/issues/:id', access: 'issue.manage', handler: showIssue },
  { method: 'post', path: '/issues/:id/plan', access: 'issue.manage', handler: editPlan },
  { method: 'post', path: '/issues/:id/distribution', access: 'issue.manage', handler: saveDistribution },
  { method: 'get', path: '/issues/:id/distribution.csv', access: 'issue.manage', handler: distributionCsvFile },
  ...articlePreviewUiRoutes,
];
