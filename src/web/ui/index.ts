/**
 * The editorial app's screens: `createUiRouter(deps)` returns an Express router that web-core mounts
 * at `/`. It serves the static assets (CSS, small JS, the bundled editor, the Noto fonts), resolves the
 * browser session from its cookie, checks access and CSRF for every route of the table in one place,
 * and renders refusals as Vietnamese pages with the right 4xx status.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import multer from 'multer';
import { can } from '../../domain/roles.ts';
import { BadInputError, isAppError, TooLargeError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';
import type { UiDeps } from './deps.ts';
import { createViewEngine, type ViewEngine } from './views.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { assertCsrf, preSessionToken, PRE_SESSION_COOKIE } from './csrf.ts';
import { createPage, type PublicPage, type SignedInPage } from './page.ts';
import type { UiRoute } from './routes.ts';
import { authRoutes } from './pages/auth.ts';
import { dashboardRoutes } from './pages/dashboard.ts';
import { articleRoutes } from './pages/articles.ts';
import { editRoutes } from './pages/article-edit.ts';
import { compareRoutes } from './pages/compare.ts';
import { reviewRoutes } from './pages/review.ts';
import { userRoutes } from './pages/users.ts';
import { unitRoutes } from './pages/units.ts';
import { sectionRoutes } from './pages/sections.ts';
import { auditRoutes } from './pages/audit.ts';
import { accountRoutes } from './pages/account.ts';
import { issueRoutes } from './pages/issues.ts';
import { issueActionRoutes } from './pages/issue-actions.ts';
import { printInboxRoutes } from './pages/print-inbox.ts';
import { portalRoutes } from './pages/portal.ts';
import { archiveFeedRoutes } from './pages/archive-feed.ts';
import { archiveCoverRoutes } from './pages/archive-cover.ts';
import { downloadLinkRoutes } from './pages/download-links.ts';
import { reportRoutes } from './pages/reports.ts';
import { systemRoutes } from './pages/system.ts';

export type { UiDeps } from './deps.ts';

/** Builds UiDeps from what the composition root already has (one line in main.ts / tests). */
export function uiDepsFrom(rt: { services: UiDeps['services']; config: { uploadLimitBytes: number }; logger: UiDeps['logger']; clock: () => Date }): UiDeps {
  return { services: rt.services, people: rt.services.people, uploadLimitBytes: rt.config.uploadLimitBytes, logger: rt.logger, clock: rt.clock };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const PUBLIC_DIR = path.join(here, '..', 'public');
const FONTS_DIR = path.join(here, '..', '..', '..', 'fonts');

// '/articles/new' and '/articles/mine' come before '/articles/:id' so they are not read as ids.
export const UI_ROUTES: readonly UiRoute[] = [...authRoutes, ...dashboardRoutes, ...articleRoutes, ...editRoutes, ...compareRoutes, ...reviewRoutes, ...userRoutes, ...unitRoutes, ...sectionRoutes, ...auditRoutes, ...accountRoutes, ...issueRoutes, ...issueActionRoutes, ...printInboxRoutes, ...portalRoutes, ...archiveFeedRoutes, ...archiveCoverRoutes, ...downloadLinkRoutes, ...reportRoutes, ...systemRoutes];

interface SessionState {
  actor: Actor | null;
  sessionToken: string | null;
  csrfToken: string | null;
}

function resolveSession(deps: UiDeps, req: Request): SessionState {
  const token = readCookie(req, SESSION_COOKIE);
  const found = token ? deps.services.auth.authenticate(token) : null;
  // An API token sent as a cookie is not a browser session (it has no CSRF duty in the API).
  if (!token || !found || found.kind !== 'browser') return { actor: null, sessionToken: null, csrfToken: null };
  return { actor: found.actor, sessionToken: token, csrfToken: found.csrfToken };
}

export function createUiRouter(deps: UiDeps, views: ViewEngine = createViewEngine()): Router {
  const router = express.Router();
  const staticOptions = { fallthrough: true, index: false, maxAge: '1h' } as const;
  router.use('/static/fonts', express.static(FONTS_DIR, { ...staticOptions, maxAge: '7d' }));
  router.use('/static', express.static(PUBLIC_DIR, staticOptions));

  const forms = express.urlencoded({ extended: false, limit: '10mb', parameterLimit: 2000 });
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: deps.uploadLimitBytes, files: 21, fields: 200, fieldSize: 10 * 1024 * 1024 },
  }).fields([{ name: 'file', maxCount: 1 }, { name: 'photos', maxCount: 20 }]);

  const unread = (actor: Actor): number => deps.services.inbox.notifications(actor, true, 1).unread;

  for (const route of UI_ROUTES) {
    // Who is asking is settled before any body is parsed: a signed-out visitor never gets to upload.
    const gate = (req: Request, res: Response, next: NextFunction): void => {
      const session = resolveSession(deps, req);
      res.locals.uiSession = session;
      if (route.access === 'public') return next();
      if (!session.actor) {
        return res.redirect(303, req.method === 'GET' ? `/login?next=${encodeURIComponent(req.originalUrl)}` : '/login');
      }
      if (route.access !== 'signed-in' && !can(session.actor.role, route.access)) {
        const page = createPage({ req, res, deps, views, actor: session.actor, csrfToken: session.csrfToken ?? '', sessionToken: session.sessionToken, unread });
        return renderError(page, 403, 'Không có quyền truy cập', 'Tài khoản của bạn không có quyền mở trang này.');
      }
      next();
    };
    // Upload forms are multipart, but a plain form (no file chosen, no JS) is accepted there too.
    const parsers = route.method === 'post' ? (route.upload ? [forms, uploadWithLimits(upload)] : [forms]) : [];
    router[route.method](route.path, gate, ...parsers, async (req: Request, res: Response) => {
      const session = res.locals.uiSession as SessionState;
      if (req.method === 'POST') assertCsrf(req, session.csrfToken ?? readCookie(req, PRE_SESSION_COOKIE));
      const csrfToken = session.csrfToken ?? preSessionToken(req, res);
      const page = createPage({ req, res, deps, views, actor: session.actor, csrfToken, sessionToken: session.sessionToken, unread });
      if (route.access === 'public') return route.handler(page);
      return route.handler(page as SignedInPage);
    });
  }

  // A browser asking for a page that does not exist gets a Vietnamese page; other clients get the
  // app's JSON 404 (next()).
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || !req.accepts('html')) return next();
    const session = resolveSession(deps, req);
    const page = createPage({ req, res, deps, views, actor: session.actor, csrfToken: session.csrfToken ?? '', sessionToken: session.sessionToken, unread });
    renderError(page, 404, 'Không tìm thấy', 'Trang này không tồn tại. Có thể đường dẫn đã cũ hoặc gõ nhầm.');
  });

  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent || req.path.startsWith('/api/')) return next(err);
    const session = safeSession(deps, req);
    const page = createPage({ req, res, deps, views, actor: session.actor, csrfToken: session.csrfToken ?? '', sessionToken: session.sessionToken, unread });
    err = fromBodyParser(err);
    if (isAppError(err) && err.httpStatus < 500) {
      if (err.code === 'not_authenticated') return res.redirect(303, '/login');
      const heading = err.httpStatus === 404 ? 'Không tìm thấy' : err.httpStatus === 403 ? 'Không có quyền' : 'Không thực hiện được';
      const message = err.userMessage !== err.message ? err.userMessage : 'Yêu cầu không hợp lệ.';
      return renderError(page, err.httpStatus, heading, message);
    }
    deps.logger.error({ err, url: req.originalUrl }, 'ui request failed');
    return renderError(page, 500, 'Đã có lỗi', 'Hệ thống gặp lỗi ngoài dự kiến; thao tác chưa được thực hiện. Vui lòng thử lại hoặc báo quản trị.');
  });
  return router;
}

function safeSession(deps: UiDeps, req: Request): SessionState {
  try {
    return resolveSession(deps, req);
  } catch (err) {
    // The error page must render even when the session store is what failed; the caller logs `err` too.
    deps.logger.error({ err }, 'session lookup failed while rendering an error page');
    return { actor: null, sessionToken: null, csrfToken: null };
  }
}

function renderError(page: PublicPage, status: number, heading: string, message: string): void {
  page.render('error', { title: heading, heading, message }, status);
}

/** body-parser's own errors (too large, malformed form) are the visitor's, not bugs. */
function fromBodyParser(err: unknown): unknown {
  if (!err || typeof err !== 'object' || isAppError(err)) return err;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (type === 'entity.too.large') return new TooLargeError('form larger than the limit', { cause: err, userMessage: 'Dữ liệu gửi lên quá lớn.' });
  if (typeof status === 'number' && status >= 400 && status < 500) return new BadInputError(`malformed form: ${String(type ?? status)}`, { cause: err, userMessage: 'Dữ liệu gửi lên không hợp lệ. Vui lòng tải lại trang và thử lại.' });
  return err;
}

/** multer's size/count errors become the app's own errors (413 / 400) so the page can explain them. */
function uploadWithLimits(upload: express.RequestHandler): express.RequestHandler {
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') {
          return next(new TooLargeError(`upload larger than the limit`, { field: err.field, userMessage: 'Tệp tải lên vượt quá dung lượng cho phép.' }));
        }
        if (err.code === 'LIMIT_UNEXPECTED_FILE') {
          return next(new BadInputError(`unexpected file field ${err.field ?? ''}`, { field: err.field, userMessage: 'Biểu mẫu gửi kèm tệp ở ô không đúng.' }));
        }
        return next(new TooLargeError(`upload refused: ${err.code}`, { field: err.field, userMessage: 'Quá nhiều tệp hoặc dữ liệu trong một lần gửi.' }));
      }
      // busboy's "Unexpected end of form" and the like: a cut or malformed upload is bad input, not a bug.
      if (err) return next(new BadInputError(`malformed multipart form: ${err instanceof Error ? err.message : String(err)}`, { cause: err, userMessage: 'Dữ liệu gửi lên không đầy đủ (mạng bị gián đoạn?). Vui lòng gửi lại.' }));
      next();
    });
  };
}
