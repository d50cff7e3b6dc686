/** What the web layer attaches to a request: who is asking and how they proved it. */
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
  }
}
