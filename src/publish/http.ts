/**
 * The one place channels make HTTP requests: a timeout per request, the app's shutdown signal, and
 * every failure turned into a RemoteError that says whether a retry may help.
 */
import { RemoteError, isRetryableStatus } from './remote-error.ts';
import type { ChannelContext } from './channel.ts';

export interface RemoteReply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function request(ctx: ChannelContext, url: string, init: RequestInit, what: string): Promise<RemoteReply> {
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
  let res: Response;
  let text: string;
  try {
    // Redirects are not followed: credentials must not travel to another host, and a moved portal is a
    // configuration error for a person to fix (answered below), not something retrying would cure.
    res = await ctx.fetch(url, { ...init, signal, redirect: 'manual' });
    text = await res.text();
  } catch (err) {
    if (ctx.signal.aborted) throw new RemoteError(`${what}: cancelled because the app is stopping`, true, undefined, { cause: err });
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const detail = timedOut ? `no answer within ${ctx.timeoutMs} ms` : describeNetworkError(err);
    throw new RemoteError(`${what}: ${detail}`, true, undefined, { cause: err });
  }
  if (res.status >= 300 && res.status < 400) {
    throw new RemoteError(`${what}: the portal redirects (HTTP ${res.status}) to ${res.headers.get('location') ?? '(no location)'}; configure that URL instead`, false, res.status);
  }
  let json: unknown = undefined;
  if (text && (res.headers.get('content-type') ?? '').includes('json')) {
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new RemoteError(`${what}: the portal answered ${res.status} with invalid JSON`, isRetryableStatus(res.status), res.status, { cause: err });
    }
  }
  if (res.status >= 400) {
    const message = remoteMessage(json) ?? text.slice(0, 200).trim();
    throw new RemoteError(`${what}: HTTP ${res.status}${message ? ` — ${message}` : ''}`, isRetryableStatus(res.status), res.status);
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** WordPress and most JSON APIs answer errors as `{code, message}`; keep the remote's own words. */
function remoteMessage(json: unknown): string | undefined {
  if (json && typeof json === 'object' && 'message' in json && typeof json.message === 'string') return json.message;
  return undefined;
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, certificate…) is the cause.
  const cause: unknown = err.cause;
  if (cause && typeof cause === 'object') {
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
    const message = 'message' in cause && typeof cause.message === 'string' ? cause.message : undefined;
    if (code || message) return `${err.message}: ${[code, message].filter(Boolean).join(' ')}`;
  }
  return err.message;
}

/** Channels talk HTTPS to real portals; plain HTTP is allowed only on loopback (tests, a local proxy). */
export function isSafePortalUrl(url: URL): boolean {
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\./.test(url.hostname);
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}

/** Settings are validated when saved; this re-checks what is read back from the database before use. */
export function requireSafeBaseUrl(raw: string, field: string): URL {
  const url = new URL(raw);
  if (!isSafePortalUrl(url)) throw new RemoteError(`${field} must be an https:// URL (plain http is allowed only for loopback), got ${url.protocol}//${url.host}`, false);
  return url;
}
