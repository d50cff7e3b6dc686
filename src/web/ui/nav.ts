/** The menu each role sees; built from the permission table so a link never leads to a refusal. */
import { can, type Role } from '../../domain/roles.ts';

export interface NavItem {
  href: string;
  label: string;
  count?: number;
}

export function navFor(role: Role, unreadNotifications: number): NavItem[] {
  const items: NavItem[] = [{ href: '/', label: 'Tổng quan' }];
  if (can(role, 'article.review')) items.push({ href: '/review', label: 'Duyệt bài' });
  if (can(role, 'article.submit') && role !== 'admin') {
    items.push({ href: '/articles/new', label: 'Gửi bài' }, { href: '/articles/mine', label: 'Bài của tôi' });
  }
  if (can(role, 'issue.manage')) items.push({ href: '/issues', label: 'Số bản tin' });
  if (role === 'print_shop') items.push({ href: '/print', label: 'Hộp thư nhà in' });
  items.push({ href: '/archive', label: 'Kho bản tin' });
  if (can(role, 'download_link.manage')) items.push({ href: '/download-links', label: 'Liên kết tải' });
  if (role === 'admin' || role === 'editor' || role === 'editor_in_chief') items.push({ href: '/reports', label: 'Báo cáo' });
  if (can(role, 'section.manage')) items.push({ href: '/sections', label: 'Chuyên mục' });
  if (can(role, 'bulletin.manage')) items.push({ href: '/bulletin', label: 'Bản tin' });
  if (can(role, 'unit.manage')) items.push({ href: '/units', label: 'Đơn vị' });
  if (can(role, 'user.manage')) items.push({ href: '/users', label: 'Người dùng' });
  if (can(role, 'audit.read')) items.push({ href: '/audit', label: 'Nhật ký' });
  if (can(role, 'system.read')) items.push({ href: '/system', label: 'Hệ thống' });
  items.push({ href: '/notifications', label: 'Thông báo', ...(unreadNotifications > 0 ? { count: unreadNotifications } : {}) });
  return items;
}
