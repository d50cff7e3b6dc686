/** First-start set-up (creates the first admin; gone once any user exists), login and logout. */
import { BadInputError, NotFoundError } from '../../../domain/errors.ts';
import { cookieOptions, SESSION_COOKIE } from '../cookies.ts';
import { PRE_SESSION_COOKIE } from '../csrf.ts';
import { formValues, type PublicPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';

/** Only local paths are followed after login, so a crafted ?next= cannot send people off-site. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/login') ? value : '/';
}

function setupGone(): NotFoundError {
  return new NotFoundError('setup is done', { userMessage: 'Hệ thống đã được thiết lập. Trang thiết lập lần đầu không còn nữa.' });
}

async function postSetup(p: PublicPage): Promise<void> {
  const { auth } = p.deps.services;
  if (!auth.needsSetup()) throw setupGone();
  const values = formValues(p.req);
  try {
    const body = p.req.body as Record<string, unknown>;
    if (body.password !== body.passwordConfirm) {
      throw new BadInputError('passwords do not match', { field: 'passwordConfirm', problems: [{ field: 'passwordConfirm', message: 'Hai mật khẩu không khớp.' }] });
    }
    await auth.setup({ username: body.username, password: body.password, displayName: body.displayName }, p.meta);
  } catch (err) {
    p.refused(err, 'setup', { title: 'Thiết lập lần đầu', values });
    return;
  }
  p.redirect('/login', { kind: 'ok', text: 'Đã tạo tài khoản quản trị. Hãy đăng nhập.' });
}

async function postLogin(p: PublicPage): Promise<void> {
  const body = p.req.body as Record<string, unknown>;
  const next = safeNext(body.next);
  try {
    const session = await p.deps.services.auth.login({ username: body.username, password: body.password }, p.meta, 'browser');
    p.res.cookie(SESSION_COOKIE, session.token, cookieOptions(p.req, Math.max(0, Date.parse(session.expiresAt) - Date.now())));
    p.res.clearCookie(PRE_SESSION_COOKIE, { path: '/' });
  } catch (err) {
    p.refused(err, 'login', { title: 'Đăng nhập', values: formValues(p.req), next });
    return;
  }
  p.redirect(next);
}

export const authRoutes: UiRoute[] = [
  {
    method: 'get', path: '/setup', access: 'public',
    handler: (p) => {
      if (!p.deps.services.auth.needsSetup()) throw setupGone();
      p.render('setup', { title: 'Thiết lập lần đầu', values: {} });
    },
  },
  { method: 'post', path: '/setup', access: 'public', handler: postSetup },
  {
    method: 'get', path: '/login', access: 'public',
    handler: (p) => {
      if (p.deps.services.auth.needsSetup()) return p.redirect('/setup');
      if (p.actor) return p.redirect(safeNext(p.req.query.next));
      p.render('login', { title: 'Đăng nhập', values: {}, next: safeNext(p.req.query.next) });
    },
  },
  { method: 'post', path: '/login', access: 'public', handler: postLogin },
  {
    method: 'post', path: '/logout', access: 'signed-in',
    handler: (p) => {
      p.deps.services.auth.logout(p.sessionToken, p.actor, p.meta);
      p.res.clearCookie(SESSION_COOKIE, { path: '/' });
      p.redirect('/login', { kind: 'info', text: 'Bạn đã đăng xuất.' });
    },
  },
  {
    method: 'post', path: '/logout-everywhere', access: 'signed-in',
    handler: (p) => {
      p.deps.services.auth.logoutEverywhere(p.actor, p.meta);
      p.res.clearCookie(SESSION_COOKIE, { path: '/' });
      p.redirect('/login', { kind: 'info', text: 'Đã đăng xuất khỏi mọi thiết bị.' });
    },
  },
];
