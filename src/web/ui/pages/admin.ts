/** Administration screens: users (create, role, unit, reset password, disable), units (tree, merge), sections, audit log. */
import { ROLES, ROLE_LABELS_VI, type Role } from '../../../domain/roles.ts';
import { ARTICLE_STATE_LABELS_VI, type ArticleState } from '../../../domain/article.ts';
import { NotFoundError, BadInputError } from '../../../domain/errors.ts';
import { UNIT_KINDS_VI, type Unit } from '../../../domain/unit.ts';
import { compareVi, formatDateShortVi } from '../../../domain/vi-text.ts';
import { formValues, postedField, routeId, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { loadLookups, pageHref, unitOptions } from '../lookups.ts';

const ROLE_OPTIONS = ROLES.map((value) => ({ value, label: ROLE_LABELS_VI[value] }));
const KIND_OPTIONS = Object.entries(UNIT_KINDS_VI).map(([value, label]) => ({ value, label }));

function idParam(p: SignedInPage, what: string): number {
  const id = routeId(p.req.params.id);
  if (id === null) throw new NotFoundError(`no such ${what}`, { userMessage: 'Không tìm thấy.' });
  return id;
}

// ── Users ─────────────────────────────────────────────────────────────────────────────────────────
function usersView(p: SignedInPage, values: Record<string, string> = {}) {
  const l = loadLookups(p);
  const users = p.deps.services.users.list(p.actor).map((u) => ({ ...u, unitName: l.unitName(u.unitId) }));
  return { title: 'Người dùng', users, values, roleOptions: ROLE_OPTIONS, unitOptions: unitOptions(l.units.filter((u) => u.validTo === null)) };
}

async function createUser(p: SignedInPage): Promise<void> {
  const values = formValues(p.req);
  try {
    await p.deps.services.users.create(p.actor, { username: values.username, password: postedField(p.req, 'password'), displayName: values.displayName, role: values.role, unitId: values.unitId });
  } catch (err) {
    p.refused(err, 'users', usersView(p, values));
    return;
  }
  p.redirect('/users', { kind: 'ok', text: `Đã tạo tài khoản ${values.username}.` });
}

function userView(p: SignedInPage, id: number, values?: Record<string, string>) {
  const l = loadLookups(p);
  const user = p.deps.services.users.get(p.actor, id);
  return {
    title: `Người dùng ${user.username}`,
    target: user,
    values: values ?? { displayName: user.displayName, role: user.role, unitId: user.unitId === null ? '' : String(user.unitId) },
    roleOptions: ROLE_OPTIONS,
    unitOptions: unitOptions(l.units),
  };
}

async function updateUser(p: SignedInPage): Promise<void> {
  const id = idParam(p, 'user');
  const values = formValues(p.req);
  const change: Record<string, unknown> = {};
  if (values.action === 'profile') Object.assign(change, { displayName: values.displayName, role: values.role, unitId: values.unitId });
  else if (values.action === 'disable') change.disabled = true;
  else if (values.action === 'enable') change.disabled = false;
  else if (values.action === 'password') {
    if (postedField(p.req, 'password') !== postedField(p.req, 'passwordConfirm')) {
      p.refused(new BadInputError('passwords do not match', { problems: [{ field: 'passwordConfirm', message: 'Hai mật khẩu không khớp.' }] }), 'user', userView(p, id, values));
      return;
    }
    change.password = postedField(p.req, 'password');
  } else throw new BadInputError('unknown action', { field: 'action' });
  try {
    await p.deps.services.users.update(p.actor, id, change);
  } catch (err) {
    p.refused(err, 'user', userView(p, id, values));
    return;
  }
  const texts: Record<string, string> = {
    profile: 'Đã lưu thông tin và vai trò. Các phiên đăng nhập cũ của người này đã kết thúc.',
    disable: 'Đã khóa tài khoản.',
    enable: 'Đã mở khóa tài khoản.',
    password: 'Đã đặt lại mật khẩu. Người dùng cần đăng nhập lại bằng mật khẩu mới.',
  };
  p.redirect(`/users/${id}`, { kind: 'ok', text: texts[values.action ?? ''] ?? 'Đã lưu.' });
}

// ── Units ─────────────────────────────────────────────────────────────────────────────────────────
/** Kinds of units that no longer exist since the 2025 reform but still appear in history. */
const OLD_UNIT_KINDS_VI: Record<string, string> = { district_committee: 'Huyện ủy', town_committee: 'Thị ủy', city_committee: 'Thành ủy' };

interface UnitNode extends Unit {
  kindLabel: string;
  replacedByName: string;
  mergedFromNames: string;
  children: UnitNode[];
}

function unitTree(units: readonly Unit[]): UnitNode[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const nodes = new Map<number, UnitNode>(units.map((u) => [u.id, {
    ...u,
    kindLabel: UNIT_KINDS_VI[u.kind] ?? OLD_UNIT_KINDS_VI[u.kind] ?? u.kind,
    replacedByName: u.replacedBy === null ? '' : (byId.get(u.replacedBy)?.name ?? ''),
    mergedFromNames: u.mergedFrom.map((id) => byId.get(id)?.name ?? `#${id}`).join(', '),
    children: [],
  }]));
  const roots: UnitNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId === null ? undefined : nodes.get(n.parentId);
    (parent ? parent.children : roots).push(n);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => Number(a.validTo !== null) - Number(b.validTo !== null) || compareVi(a.name, b.name));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

function unitsView(p: SignedInPage, values: Record<string, string> = {}) {
  const units = p.deps.services.units.list(p.actor);
  const active = units.filter((u) => u.validTo === null);
  return { title: 'Đơn vị', tree: unitTree(units), values, kindOptions: KIND_OPTIONS, unitOptions: unitOptions(active), today: p.deps.clock().toISOString().slice(0, 10) };
}

function createUnit(p: SignedInPage): void {
  const values = formValues(p.req);
  try {
    p.deps.services.units.create(p.actor, { name: values.name, kind: values.kind, parentId: values.parentId });
  } catch (err) {
    p.refused(err, 'units', unitsView(p, values));
    return;
  }
  p.redirect('/units', { kind: 'ok', text: `Đã thêm đơn vị ${values.name}.` });
}

function mergeUnits(p: SignedInPage): void {
  const values = formValues(p.req);
  const from = routeId(values.from);
  try {
    if (from === null) throw new BadInputError('choose the unit to merge', { field: 'from', problems: [{ field: 'from', message: 'Hãy chọn đơn vị được sáp nhập.' }] });
    if (values.into === values.from) throw new BadInputError('choose two different units', { problems: [{ field: 'into', message: 'Hãy chọn một đơn vị khác với đơn vị được sáp nhập.' }] });
    p.deps.services.units.merge(p.actor, from, { into: values.into, date: values.date || undefined });
  } catch (err) {
    p.refused(err, 'units', unitsView(p, values));
    return;
  }
  p.redirect('/units', { kind: 'ok', text: 'Đã sáp nhập đơn vị. Bài viết và tài khoản đã chuyển sang đơn vị mới; lịch sử vẫn giữ đơn vị gửi bài.' });
}

// ── Sections ──────────────────────────────────────────────────────────────────────────────────────
function sectionsView(p: SignedInPage, values: Record<string, string> = {}) {
  return { title: 'Chuyên mục', sections: p.deps.services.sections.list(p.actor), values };
}

function createSection(p: SignedInPage): void {
  const values = formValues(p.req);
  try {
    p.deps.services.sections.create(p.actor, { title: values.title });
  } catch (err) {
    p.refused(err, 'sections', sectionsView(p, values));
    return;
  }
  p.redirect('/sections', { kind: 'ok', text: `Đã thêm chuyên mục “${values.title?.trim() ?? ''}”.` });
}

function updateSection(p: SignedInPage): void {
  const id = idParam(p, 'section');
  const values = formValues(p.req);
  const position = values.position === undefined || values.position === '' ? undefined : Number(values.position);
  try {
    p.deps.services.sections.update(p.actor, id, { title: values.title, position });
  } catch (err) {
    p.refused(err, 'sections', sectionsView(p, {}));
    return;
  }
  p.redirect('/sections', { kind: 'ok', text: 'Đã lưu chuyên mục.' });
}

// ── Audit log ─────────────────────────────────────────────────────────────────────────────────────
const AUDIT_ACTIONS_VI: Record<string, string> = {
  'setup.first_admin': 'Thiết lập lần đầu', login: 'Đăng nhập', 'login.failed': 'Đăng nhập sai', logout: 'Đăng xuất',
  'logout.everywhere': 'Đăng xuất mọi nơi', 'user.create': 'Tạo người dùng', 'user.permission_changed': 'Đổi quyền',
  'user.password_reset': 'Đặt lại mật khẩu', 'user.password_changed': 'Đổi mật khẩu', 'unit.create': 'Thêm đơn vị',
  'unit.update': 'Sửa đơn vị', 'unit.merge': 'Sáp nhập đơn vị', 'section.create': 'Thêm chuyên mục', 'section.update': 'Sửa chuyên mục',
  'bulletin.update': 'Sửa thông tin bản tin', 'article.submit': 'Gửi bài', 'article.state': 'Đổi trạng thái bài',
  'article.assign': 'Giao bài', 'article.lock_takeover': 'Tiếp quản bài đang sửa',
};
const AUDIT_PAGE = 100;
const TARGET_TYPES_VI: Record<string, string> = { article: 'Bài', user: 'Người dùng', unit: 'Đơn vị', section: 'Chuyên mục', issue: 'Số bản tin' };

/** The details an admin reads most, in words; anything else as compact JSON so nothing is hidden. */
function describeDetails(action: string, d: Record<string, unknown> | null, names: Map<number, string>): string {
  if (!d) return '';
  const who = (v: unknown) => (typeof v === 'number' ? (names.get(v) ?? `#${v}`) : 'chưa giao');
  if (action === 'login') return d.kind === 'browser' ? 'qua trình duyệt' : 'qua API';
  if (action === 'article.assign') return `${who(d.from)} → ${who(d.to)}${typeof d.dueDate === 'string' ? `; hạn ${formatDateShortVi(d.dueDate)}` : ''}`;
  if (action === 'article.submit') return d.source === 'json' ? 'soạn trực tiếp / API' : `từ tệp ${String(d.source ?? '')}`;
  const state = (v: unknown) => (typeof v === 'string' && v in ARTICLE_STATE_LABELS_VI ? ARTICLE_STATE_LABELS_VI[v as ArticleState] : String(v ?? ''));
  if (action === 'article.state') return `${state(d.from)} → ${state(d.to)}${typeof d.reason === 'string' && d.reason ? `; lý do: ${d.reason}` : ''}`;
  if (action === 'user.create' && typeof d.role === 'string') return `${String(d.username ?? '')} · ${ROLE_LABELS_VI[d.role as Role] ?? d.role}`;
  if (action === 'login.failed') return `tên đăng nhập: ${String(d.username ?? '')}${d.disabled ? ' (tài khoản bị khóa)' : ''}`;
  return JSON.stringify(d);
}

function audit(p: SignedInPage): void {
  const action = typeof p.req.query.action === 'string' && p.req.query.action ? p.req.query.action : undefined;
  const offset = Math.max(0, Number(p.req.query.offset) || 0);
  const entries = p.deps.services.inbox.auditLog(p.actor, { action, limit: AUDIT_PAGE + 1, offset });
  const names = p.deps.people.displayNames(p.actor, entries.flatMap((e) => (e.action === 'article.assign' && e.details ? [e.details.from, e.details.to] : [])).filter((v): v is number => typeof v === 'number'));
  const items = entries.slice(0, AUDIT_PAGE).map((e) => ({
    ...e,
    actionLabel: AUDIT_ACTIONS_VI[e.action] ?? e.action,
    target: e.targetType ? `${TARGET_TYPES_VI[e.targetType] ?? e.targetType} #${e.targetId ?? ''}` : '',
    targetHref: e.targetType === 'article' ? `/articles/${e.targetId}` : e.targetType === 'user' ? `/users/${e.targetId}` : null,
    detailsText: describeDetails(e.action, e.details, names),
  }));
  const query = { action: action ?? '' };
  p.render('audit', {
    title: 'Nhật ký hệ thống',
    items,
    query,
    actionOptions: Object.entries(AUDIT_ACTIONS_VI).map(([value, label]) => ({ value, label })),
    pager: { prev: offset > 0 ? pageHref('/audit', query, Math.max(0, offset - AUDIT_PAGE)) : null, next: entries.length > AUDIT_PAGE ? pageHref('/audit', query, offset + AUDIT_PAGE) : null },
  });
}

export const adminRoutes: UiRoute[] = [
  { method: 'get', path: '/users', access: 'user.manage', handler: (p) => p.render('users', usersView(p)) },
  { method: 'post', path: '/users', access: 'user.manage', handler: createUser },
  { method: 'get', path: '/users/:id', access: 'user.manage', handler: (p) => p.render('user', userView(p, idParam(p, 'user'))) },
  { method: 'post', path: '/users/:id', access: 'user.manage', handler: updateUser },
  { method: 'get', path: '/units', access: 'unit.manage', handler: (p) => p.render('units', unitsView(p)) },
  { method: 'post', path: '/units', access: 'unit.manage', handler: createUnit },
  { method: 'post', path: '/units/merge', access: 'unit.manage', handler: mergeUnits },
  { method: 'get', path: '/sections', access: 'section.manage', handler: (p) => p.render('sections', sectionsView(p)) },
  { method: 'post', path: '/sections', access: 'section.manage', handler: createSection },
  { method: 'post', path: '/sections/:id', access: 'section.manage', handler: updateSection },
  { method: 'get', path: '/audit', access: 'audit.read', handler: audit },
];
