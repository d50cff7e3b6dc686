/** The start page: my work, overdue, what each unit sent this month, licence expiry, new notifications. */
import { ARTICLE_STATES, ARTICLE_STATE_LABELS_VI, type ArticleState } from '../../../domain/article.ts';
import { can } from '../../../domain/roles.ts';
import { compareVi, formatDateShortVi, formatMonthVi } from '../../../domain/vi-text.ts';
import type { PublicPage, SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { decorate, loadLookups, today } from '../lookups.ts';
import type { Unit } from '../../../domain/unit.ts';

const LICENCE_WARN_DAYS = 60;

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000);
}

function licenceNotice(p: SignedInPage): { kind: string; text: string } | null {
  const profile = p.deps.services.bulletin.current();
  const expires = profile?.licence.expires;
  if (!expires) return null;
  const days = daysBetween(today(p), expires);
  if (days < 0) return { kind: 'error', text: `Giấy phép xuất bản số ${profile.licence.number} đã hết hạn ngày ${formatDateShortVi(expires)}. Không thể in bản tin cho đến khi gia hạn.` };
  if (days <= LICENCE_WARN_DAYS) return { kind: 'warn', text: `Giấy phép xuất bản số ${profile.licence.number} sẽ hết hạn ngày ${formatDateShortVi(expires)} (còn ${days} ngày). Hãy làm thủ tục gia hạn.` };
  return null;
}

function dashboard(p: SignedInPage): void {
  const { articles, inbox } = p.deps.services;
  const role = p.actor.role;
  const isEditor = can(role, 'article.review');
  const isWriter = can(role, 'article.submit') && !isEditor && role !== 'admin';
  const notifications = inbox.notifications(p.actor, true, 5).items;
  const data: Record<string, unknown> = { title: 'Tổng quan', monthLabel: formatMonthVi(today(p)), notifications };
  if (can(role, 'bulletin.manage') || isEditor) data.licenceNotice = licenceNotice(p);

  if (isEditor) {
    const mineRaw = articles.list(p.actor, { assignedTo: p.actor.id, limit: 100 });
    const myOpen = mineRaw.items.filter((a) => a.state === 'submitted' || a.state === 'in_review');
    const overdue = articles.list(p.actor, { overdue: '1', limit: 100 });
    const waiting = articles.list(p.actor, { state: 'submitted', limit: 100 });
    const inReview = articles.list(p.actor, { state: 'in_review', limit: 100 });
    const l = loadLookups(p, [...myOpen, ...overdue.items].map((a) => a.assignedTo));
    const stat = (label: string, href: string, list: { items: unknown[]; nextOffset: number | null }, warn = false) => ({
      // Counts come from one page of the list; "100+" says there are more rather than pretending.
      label, href, value: list.items.length, more: list.nextOffset !== null, warn: warn && list.items.length > 0,
    });
    data.stats = [
      stat('Chờ duyệt', '/review?state=submitted', waiting),
      stat('Đang biên tập', '/review?state=in_review', inReview),
      { label: 'Việc của tôi', href: `/review?assignedTo=${p.actor.id}`, value: myOpen.length, warn: false },
      stat('Quá hạn', '/review?overdue=1', overdue, true),
    ];
    data.showMyWork = true;
    data.myWork = decorate(myOpen.slice(0, 10), l, today(p));
    data.showOverdue = true;
    data.overdue = decorate(overdue.items.slice(0, 10), l, today(p));
    data.showUnits = true;
    const table = unitTable(p, l.unitName);
    Object.assign(data, table, { notSent: unitsWithoutArticles(l.units, table.unitIds) });
  }
  if (isWriter) {
    const mine = articles.list(p.actor, { limit: 10 });
    const l = loadLookups(p);
    const count = (state: string) => articles.list(p.actor, { state, limit: 100 });
    const returned = count('returned');
    data.stats = [
      { label: 'Bị trả lại, cần sửa', href: '/articles/mine?state=returned', value: returned.items.length, more: returned.nextOffset !== null, warn: returned.items.length > 0 },
      ...(['submitted', 'in_review', 'approved'] as const).map((state) => {
        const list = count(state);
        return { label: ARTICLE_STATE_LABELS_VI[state], href: `/articles/mine?state=${state}`, value: list.items.length, more: list.nextOffset !== null, warn: false };
      }),
    ];
    data.showMine = true;
    data.mine = decorate(mine.items, l, today(p));
  }
  if (role === 'admin') data.showAdmin = true;
  p.render('dashboard', data);
}

function unitTable(p: SignedInPage, unitName: (id: number | null) => string) {
  const rows = p.deps.services.articles.unitsThisMonth(p.actor);
  const shown: ArticleState[] = ARTICLE_STATES.filter((s) => s !== 'published');
  const byUnit = new Map<number | null, Map<ArticleState, number>>();
  for (const r of rows) {
    const m = byUnit.get(r.unitId) ?? new Map<ArticleState, number>();
    m.set(r.state, (m.get(r.state) ?? 0) + r.count);
    byUnit.set(r.unitId, m);
  }
  const perUnit = [...byUnit.entries()]
    .map(([unitId, counts]) => ({
      unitName: unitName(unitId) || 'Không rõ đơn vị',
      total: [...counts.values()].reduce((a, b) => a + b, 0),
      cells: shown.map((s) => ({ label: ARTICLE_STATE_LABELS_VI[s], count: counts.get(s) ?? 0 })),
    }))
    .sort((a, b) => b.total - a.total || compareVi(a.unitName, b.unitName));
  return { perUnit, stateColumns: shown.map((s) => ({ label: ARTICLE_STATE_LABELS_VI[s] })), unitIds: new Set(byUnit.keys()) };
}

/** Active units at the bottom of the tree (the ones that write) that sent nothing this month: whom to call. */
function unitsWithoutArticles(units: readonly Unit[], sent: ReadonlySet<number | null>): string[] {
  const active = units.filter((u) => u.validTo === null && u.kind !== 'print_shop');
  const parents = new Set(active.map((u) => u.parentId));
  return active.filter((u) => !parents.has(u.id) && !sent.has(u.id)).map((u) => u.name).sort(compareVi);
}

function home(p: PublicPage): void {
  if (p.deps.services.auth.needsSetup()) return p.redirect('/setup');
  if (!p.actor) return p.redirect('/login');
  if (p.actor.role === 'print_shop' || p.actor.role === 'reader') {
    p.render('dashboard', { title: 'Tổng quan', monthLabel: formatMonthVi(today(p as SignedInPage)), notifications: p.deps.services.inbox.notifications(p.actor, true, 5).items, readerNote: true });
    return;
  }
  dashboard(p as SignedInPage);
}

function notifications(p: SignedInPage): void {
  const { items } = p.deps.services.inbox.notifications(p.actor, false, 100);
  p.render('notifications', { title: 'Thông báo', items });
}

function markRead(p: SignedInPage): void {
  p.deps.services.inbox.markRead(p.actor, { ids: 'all' });
  p.redirect('/notifications', { kind: 'ok', text: 'Đã đánh dấu tất cả là đã đọc.' });
}

export const dashboardRoutes: UiRoute[] = [
  { method: 'get', path: '/', access: 'public', handler: home },
  { method: 'get', path: '/notifications', access: 'signed-in', handler: notifications },
  { method: 'post', path: '/notifications/read', access: 'signed-in', handler: markRead },
];
