/**
 * The shape of one JSON API route. Handlers receive a typed context (no Express objects) and return
 * status + body, so the routes table reads like the contract in DESIGN.md.
 */
import type { Actor } from '../../domain/user.ts';
import type { RequestMeta } from '../../workflow/context.ts';
import type { ArticleUpload } from '../../workflow/article-upload.ts';

export interface ApiContext {
  actor: Actor;
  token: string;
  body: unknown;
  query: Record<string, unknown>;
  params: Record<string, string>;
  meta: RequestMeta;
  file?: ArticleUpload;
}

export type PublicContext = Omit<ApiContext, 'actor' | 'token'> & { actor: Actor | null };

export interface ApiReply {
  status?: number;
  body?: unknown;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type ApiRoute =
  | { method: Method; path: string; public?: false; upload?: boolean; handler: (ctx: ApiContext) => ApiReply | Promise<ApiReply> }
  | { method: Method; path: string; public: true; upload?: false; handler: (ctx: PublicContext) => ApiReply | Promise<ApiReply> };

export function route(method: Method, path: string, handler: (ctx: ApiContext) => ApiReply | Promise<ApiReply>, opts: { upload?: boolean } = {}): ApiRoute {
  return { method, path, handler, upload: opts.upload };
}

export function publicRoute(method: Method, path: string, handler: (ctx: PublicContext) => ApiReply | Promise<ApiReply>): ApiRoute {
  return { method, path, public: true, handler };
}
