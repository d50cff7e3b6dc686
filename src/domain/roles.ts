/**
 * Roles and the "who may" table (DESIGN.md "Contract details"). Kept as data so the web layer, the UI and
 * the RBAC tests read the same table. Unit scoping (a contributor sees only its unit) is a separate rule
 * in article-rules.ts because it depends on the article, not only on the role.
 */
export const ROLES = ['admin', 'editor_in_chief', 'editor', 'contributor', 'print_shop', 'reader'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Vietnamese names for the UI. */
export const ROLE_LABELS_VI: Readonly<Record<Role, string>> = {
  admin: 'Quản trị hệ thống',
  editor_in_chief: 'Tổng biên tập',
  editor: 'Biên tập viên',
  contributor: 'Cộng tác viên',
  print_shop: 'Nhà in',
  reader: 'Đơn vị nhận bản tin',
};

export type Action =
  | 'unit.manage'
  | 'user.manage'
  | 'section.manage'
  | 'bulletin.manage'
  | 'article.submit'
  | 'article.read'
  | 'article.edit'
  | 'article.resubmit'
  | 'article.review' // in_review, approved, returned, rejected
  | 'article.assign'
  | 'article.comment'
  | 'article.lock.takeover'
  | 'issue.manage' // create, plan, typeset
  | 'issue.signoff' // sign-off, send-to-print, publish
  | 'download_link.manage'
  | 'channel.manage' // portal channel settings and secrets
  | 'channel.deliver' // see portal delivery status per issue, retry a channel
  | 'audit.read'
  | 'system.read' // the admin's system page: versions, disk, backups, licence, queue
  | 'reference.read'; // list units and sections (needed to fill forms)

const EDITORS: readonly Role[] = ['editor', 'editor_in_chief'];
const NEWSROOM: readonly Role[] = ['admin', 'editor_in_chief', 'editor', 'contributor'];

export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = {
  'unit.manage': ['admin'],
  'user.manage': ['admin'],
  'section.manage': ['admin', 'editor_in_chief'],
  'bulletin.manage': ['admin', 'editor_in_chief'],
  'article.submit': NEWSROOM,
  'article.read': NEWSROOM,
  'article.edit': ['editor_in_chief', 'editor', 'contributor'],
  'article.resubmit': ['editor_in_chief', 'editor', 'contributor'],
  'article.review': EDITORS,
  'article.assign': EDITORS,
  'article.comment': ['editor_in_chief', 'editor', 'contributor'],
  'article.lock.takeover': ['editor_in_chief'],
  'issue.manage': EDITORS,
  'issue.signoff': ['editor_in_chief'],
  'download_link.manage': ['admin', 'editor_in_chief', 'editor'],
  'channel.manage': ['admin'],
  'channel.deliver': ['admin', 'editor_in_chief', 'editor'],
  'audit.read': ['admin'],
  'system.read': ['admin'],
  'reference.read': ['admin', 'editor_in_chief', 'editor', 'contributor', 'print_shop', 'reader'],
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[action].includes(role);
}
