/**
 * One-shot messages after a redirect ("Đã lưu bài viết."): kept in a short-lived httpOnly cookie,
 * shown on the next page and cleared there. Post/redirect/get keeps browser reloads from re-posting.
 */
import type { Request, Response } from 'express';
import { cookieOptions, readCookie } from './cookies.ts';

export interface Flash {
  kind: 'ok' | 'info' | 'warn' | 'error';
  text: string;
}

const FLASH_COOKIE = 'bantin_flash';

export function setFlash(req: Request, res: Response, flash: Flash): void {
  res.cookie(FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), cookieOptions(req, 60_000));
}

export function takeFlash(req: Request, res: Response): Flash | undefined {
  const raw = readCookie(req, FLASH_COOKIE);
  if (!raw) return undefined;
  res.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && 'text' in value && 'kind' in value) {
      const { kind, text } = value as Record<string, unknown>;
      if (typeof text === 'string' && (kind === 'ok' || kind === 'info' || kind === 'warn' || kind === 'error')) return { kind, text };
    }
  } catch {
    // A tampered or truncated flash cookie only loses a one-line notice; the page itself still renders.
  }
  return undefined;
}
