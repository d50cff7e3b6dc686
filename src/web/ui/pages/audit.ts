/** The audit log (admin): who did what, when, from where; details in words where we know them. */
import { ROLE_LABELS_VI, type Role } from '../../../domain/roles.ts';
import { ARTICLE_STATE_LABELS_VI, type ArticleState } from '../../../domain/article.ts';
import { formatDateShortVi } from '../../../domain/vi-text.ts';
import type { SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { pageHref } from '../lookups.ts';

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

export const auditRoutes: UiRoute[] = [
  { method: 'get', path: '/audit', access: 'audit.read', handler: audit },
];
