/**
 * Request ids and one log line per finished request, with what the routes need of a request logger:
 * `req.id` and `req.log` (a pino child bound to the request). pino-http did the same but built a child
 * logger, three listeners and two arrays for every request, logged or not; at the usual `info` level that
 * was about a tenth of an API request's CPU (bench/RESULTS-web.md). Here the child logger is made only
 * when a route logs something, and the finished line only when its level is enabled.
 */
import { randomUUID } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Level, Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

const requestLoggers = new WeakMap<Request, Logger>();

/** The level of a finished request's line: errors and 5xx are errors, 4xx warnings, the rest info. */
export function levelOf(statusCode: number, aborted: boolean): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 || aborted ? 'warn' : 'info';
}

/**
 * Installs `req.log` on the app's request prototype (made once per request, on first use) and returns the
 * middleware that names each request and logs it when it ends.
 */
export function requestLogging(app: Express, logger: Logger) {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      let log = requestLoggers.get(this);
      if (!log) {
        log = logger.child({ req: { id: this.id, method: this.method, url: this.originalUrl } });
        requestLoggers.set(this, log);
      }
      return log;
    },
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    // Keep a caller's request id when it is sane, so logs can be joined across a proxy.
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    // 'close' comes after 'finish' and also when the client went away first: one listener covers both.
    res.once('close', () => {
      const aborted = !res.writableFinished;
      const level = levelOf(res.statusCode, aborted);
      if (!logger.isLevelEnabled(level)) return;
      req.log[level](
        { res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) },
        aborted ? 'request aborted' : 'request completed',
      );
    });
    next();
  };
}
