/**
 * The per-request object every screen handler receives: who is signed in, the CSRF token the forms must
 * echo, rendering inside the layout (menu, flash, token), re-showing a refused form with a Vietnamese
 * message, the user's input and a 4xx status, and post/redirect/get with a notice.
 */
import type { Request, Response } from 'express';
import type { Actor } from '../../domain/user.ts';
import type { RequestMeta } from '../../workflow/context.ts';
import type { UiDeps } from './deps.ts';
import type { ViewEngine } from './views.ts';
import { takeFlash, setFlash, type Flash } from './flash.ts';
import { navFor } from './nav.ts';
import { formErrorsFrom } from './form-errors.ts';

export interface PublicPage {
  req: Request;
  res: Response;
  deps: UiDeps;
  actor: Actor | null;
  csrfToken: string;
  /** The browser session token (cookie) when signed in. */
  sessionToken: string | null;
  meta: RequestMeta;
  render(view: string, data?: Record<string, unknown>, status?: number): void;
  /** Re-shows a form after a refused action; rethrows anything that is not a 4xx AppError (→ 500). */
  refused(err: unknown, view: string, data: Record<string, unknown>): void;
  redirect(to: string, flash?: Flash): void;
}

export interface SignedInPage extends PublicPage {
  actor: Actor;
  sessionToken: string;
}

export interface PageInit {
  req: Request;
  res: Response;
  deps: UiDeps;
  views: ViewEngine;
  actor: Actor | null;
  csrfToken: string;
  sessionToken: string | null;
  /** Unread in-app notifications for the menu badge. */
  unread: (actor: Actor) => number;
}

export function createPage(init: PageInit): PublicPage {
  const { req, res, views, actor, csrfToken } = init;
  const render = (view: string, data: Record<string, unknown> = {}, status = 200): void => {
    const html = views.render(view, {
      ...data,
      user: actor,
      nav: actor ? navFor(actor.role, init.unread(actor)) : [],
      csrfToken,
      currentPath: req.path,
      flash: takeFlash(req, res),
    });
    res.status(status).type('html').send(html);
  };
  return {
    req,
    res,
    deps: init.deps,
    actor,
    csrfToken,
    sessionToken: init.sessionToken,
    meta: { ip: req.ip ?? null },
    render,
    refused(err, view, data) {
      const fe = formErrorsFrom(err);
      if (!fe) throw err;
      render(view, { ...data, formError: fe.formError, errors: fe.errors, errorList: fe.errorList }, fe.status);
    },
    redirect(to, flash) {
      if (flash) setFlash(req, res, flash);
      res.redirect(303, to);
    },
  };
}

/** The submitted form as plain strings (passwords removed), to refill the form after a refusal. */
export function formValues(req: Request, omit: readonly string[] = ['password', 'passwordConfirm', 'newPassword', 'currentPassword', '_csrf']): Record<string, string> {
  const out: Record<string, string> = {};
  const body: unknown = req.body;
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (omit.includes(k)) continue;
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/**
 * A whole number typed in a form ("3.110" with the Vietnamese thousands dot too); blank is "not given";
 * anything else ("170.5", "hai") is passed on as typed so validation names the field — a dot is only a
 * thousands separator between groups of three digits, never dropped from a decimal.
 */
export function formNumber(v: string | undefined): number | string | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const t = v.trim();
  return /^-?\d+$/.test(t) || /^-?\d{1,3}(\.\d{3})+$/.test(t) ? Number(t.replace(/\./g, '')) : v;
}

/** A positive integer id from a route parameter; anything else is "not found" for a page. */
export function routeId(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : null;
}

/** One posted field as a string (e.g. a password, which formValues leaves out on purpose). */
export function postedField(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}
