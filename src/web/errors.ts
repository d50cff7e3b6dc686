/**
 * The one place errors become HTTP answers: AppError → its status and the envelope
 * `{"error":{"code","message",...}}`; body-parser and multer failures → 400/413/415; anything else is a bug
 * → 500, logged with the request id, and the client learns nothing about internals.
 */
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { Logger } from 'pino';
import { isAppError } from '../domain/errors.ts';

export interface ErrorReply {
  status: number;
  body: { error: { code: string; message: string } & Record<string, unknown> };
}

interface HttpLikeError {
  type?: string;
  status?: number;
  statusCode?: number;
  message?: string;
}

interface WithDetails {
  details(): Record<string, unknown>;
}

function hasDetails(err: object): err is WithDetails {
  return typeof (err as Partial<WithDetails>).details === 'function';
}

/** Maps a thrown value to status + envelope; null when it is not an error we expected (→ 500). */
export function mapError(err: unknown): ErrorReply | null {
  if (isAppError(err)) {
    const extra: Record<string, unknown> = {};
    if (err.field) extra.field = err.field;
    if (err.expected) extra.expected = err.expected;
    if (err.file) extra.file = err.file;
    if (err.problems.length) extra.problems = err.problems;
    if (hasDetails(err)) Object.assign(extra, err.details());
    return { status: err.httpStatus, body: { error: { code: err.code, message: err.message, ...extra } } };
  }
  if (err instanceof multer.MulterError) {
    const tooLarge = err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE';
    return { status: tooLarge ? 413 : 400, body: { error: { code: tooLarge ? 'too_large' : 'bad_upload', message: `${err.message}${err.field ? ` (${err.field})` : ''}` } } };
  }
  // A full disk is an operations problem, not a bug: say so, and that nothing was saved (the SQLite
  // transaction was rolled back). 507 so monitoring can tell it from a crash.
  if (isDiskFull(err)) {
    return { status: 507, body: { error: { code: 'disk_full', message: 'the server disk is full; nothing was saved. Free space on the server and try again' } } };
  }
  if (err && typeof err === 'object') {
    const e = err as HttpLikeError;
    switch (e.type) {
      case 'entity.too.large':
        return { status: 413, body: { error: { code: 'too_large', message: 'request body is larger than the limit' } } };
      case 'entity.parse.failed':
        return { status: 400, body: { error: { code: 'bad_json', message: 'request body is not valid JSON' } } };
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return { status: 415, body: { error: { code: 'unsupported_type', message: e.message ?? 'unsupported encoding' } } };
      case 'request.aborted':
        return { status: 400, body: { error: { code: 'aborted', message: 'request aborted' } } };
      default:
        break;
    }
    const status = e.status ?? e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { status, body: { error: { code: 'bad_request', message: e.message ?? 'bad request' } } };
    }
  }
  return null;
}

function isDiskFull(err: unknown): boolean {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

export function apiErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const reply = mapError(err);
    if (reply) {
      if (reply.status >= 500) (req.log ?? logger).error({ err }, reply.body.error.message);
      res.status(reply.status).json(reply.body);
      return;
    }
    (req.log ?? logger).error({ err }, 'unexpected error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error; see the server log for request ' + String(req.id ?? '') } });
  };
}

export function apiNotFound(req: Request, res: Response): void {
  res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.originalUrl.split('?')[0]}` } });
}
