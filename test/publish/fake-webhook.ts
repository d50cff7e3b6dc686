/**
 * A webhook receiver on 127.0.0.1 doing what docs/webhooks tells receivers to do: verify the HMAC over
 * `timestamp.rawBody` in constant time, refuse timestamps outside a 5-minute window (401), remember
 * deliveries per `key` and answer `{id, url}` (the same id when the key comes again).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../src/publish/webhook-signature.ts';

export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { event: string; key: string; previousRemoteId: string | null; issue: { title: string; pages: number }; files: { role: string; url?: string; base64?: string; sha256: string }[] };
}

export interface FakeWebhook {
  url: string;
  received: ReceivedDelivery[];
  refused: { reason: string }[];
  items: Map<string, { id: string; updates: number }>;
  /** Seconds the receiver's clock is ahead of ours */
  clockSkew: number;
  close(): Promise<void>;
}

export async function startFakeWebhook(secret: string): Promise<FakeWebhook> {
  const items = new Map<string, { id: string; updates: number }>();
  const received: ReceivedDelivery[] = [];
  const refused: { reason: string }[] = [];
  const state = { clockSkew: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verdict = verifyWebhook(
        secret,
        { timestamp: req.headers['x-bantin-timestamp'] as string | undefined, signature: req.headers['x-bantin-signature'] as string | undefined },
        raw,
        Math.floor(Date.now() / 1000) + state.clockSkew,
      );
      res.setHeader('content-type', 'application/json');
      if (!verdict.ok) {
        refused.push({ reason: verdict.reason });
        res.statusCode = 401;
        return res.end(JSON.stringify({ message: `signature refused: ${verdict.reason}` }));
      }
      const body = JSON.parse(raw) as ReceivedDelivery['body'];
      received.push({ headers: req.headers, raw, body });
      const item = items.get(body.key) ?? { id: `p-${items.size + 1}`, updates: -1 };
      item.updates++;
      items.set(body.key, item);
      res.end(JSON.stringify({ id: item.id, url: `https://portal.example/ban-tin/${item.id}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const fake = { url: `http://127.0.0.1:${port}/hooks/bantin`, received, refused, items, close: () => new Promise<void>((r) => server.close(() => r())) } as FakeWebhook;
  Object.defineProperty(fake, 'clockSkew', { get: () => state.clockSkew, set: (v: number) => (state.clockSkew = v) });
  return fake;
}
