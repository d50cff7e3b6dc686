/**
 * Webhook signatures (the Stripe/GitHub pattern): HMAC-SHA256 with the shared key over
 * `<timestamp>.<raw body>`, sent as `X-Bantin-Timestamp: <unix seconds>` and
 * `X-Bantin-Signature: sha256=<hex>`. A receiver recomputes it over the raw bytes it received, compares
 * in constant time and refuses timestamps outside its replay window (default 5 minutes).
 */
import crypto from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-bantin-timestamp';
export const SIGNATURE_HEADER = 'x-bantin-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'sha256=' + crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export type WebhookVerdict = { ok: true } | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'outside-window' | 'bad-signature' };

export function verifyWebhook(
  secret: string,
  headers: { timestamp?: string | null; signature?: string | null },
  rawBody: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): WebhookVerdict {
  if (!headers.timestamp || !headers.signature) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(headers.timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const ts = Number(headers.timestamp);
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return { ok: false, reason: 'outside-window' };
  const expected = Buffer.from(signWebhook(secret, ts, rawBody));
  const got = Buffer.from(headers.signature);
  return got.length === expected.length && crypto.timingSafeEqual(got, expected) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
