/** What the web layer attaches to a request: who is asking and how they proved it, its id and logger. */
import type { Logger } from 'pino';
import type { Actor } from '../domain/user.ts';

export interface RequestAuth {
  actor: Actor;
  token: string;
  via: 'bearer' | 'cookie';
  csrfToken: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the auth middleware when a valid Bearer token or session cookie came with the request. */
    auth?: RequestAuth;
    /** The request id (X-Request-Id), set by request-log.ts. */
    id: string;
    /** A logger bound to this request (request-log.ts). */
    log: Logger;
  }
}
