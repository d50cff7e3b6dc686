/**
 * Following the bulletin from the archive page: a personal Atom feed address (made here, shown once,
 * revocable) and the e-mail address new-issue notices go to (when the office has e-mail configured).
 */
import { feedPath } from '../../../publish/feed.ts';
import { formValues, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { archiveView } from './portal.ts';

/** Absolute, so the address works when pasted into a feed reader on another machine. */
function absolute(p: SignedInPage, pathname: string): string {
  const host = p.req.get('host');
  return host ? `${p.req.protocol}://${host}${pathname}` : pathname;
}

function createFeed(p: SignedInPage): void {
  const { token } = p.deps.services.feeds.createToken(p.actor);
  // Only the token's hash is kept, so the address is shown on this answer and never again.
  p.render('archive', archiveView(p, { feedUrl: absolute(p, feedPath(token)) }), 201);
}

function revokeFeed(p: SignedInPage): void {
  p.deps.services.feeds.revoke(p.actor);
  p.redirect('/archive', { kind: 'ok', text: 'Đã thu hồi địa chỉ nhận tin; địa chỉ cũ không còn dùng được.' });
}

function saveEmail(p: SignedInPage): void {
  const v = formValues(p.req);
  try {
    const { email } = p.deps.services.emailAddresses.setOwn(p.actor, { email: v.email ?? '' });
    p.redirect('/archive', { kind: 'ok', text: email ? `Thư báo số mới sẽ gửi đến ${email}.` : 'Đã bỏ địa chỉ thư điện tử.' });
  } catch (err) {
    p.refused(err, 'archive', archiveView(p, { emailValue: v.email ?? '' }));
  }
}

export const archiveFeedRoutes: UiRoute[] = [
  { method: 'post', path: '/archive/feed', access: 'signed-in', handler: createFeed },
  { method: 'post', path: '/archive/feed/revoke', access: 'signed-in', handler: revokeFeed },
  { method: 'post', path: '/archive/email', access: 'signed-in', handler: saveEmail },
];
