import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/publish/webhook-signature.ts';
import { startFakeWebhook, type FakeWebhook } from './fake-webhook.ts';
import { startHarness, type Harness } from './harness.ts';
import { seedSignedIssue } from './published-issue.ts';

const SECRET = 'whsec-3f9a1c2b7d';
let hook: FakeWebhook;
let h: Harness;

function configure(secret = SECRET): void {
  h.store.channels.saveSettings('webhook', true, { url: hook.url }, secret, null, new Date().toISOString());
}

async function publish(issueId: number) {
  h.dispatcher.enqueue(issueId, ['webhook']);
  await h.dispatcher.idle();
  return h.store.channels.delivery(issueId, 'webhook')!;
}

beforeAll(async () => {
  hook = await startFakeWebhook(SECRET);
});
beforeEach(async () => {
  await h?.close();
  h = startHarness({ baseDelayMs: 10, maxAttempts: 3, publicBaseUrl: 'https://bantin.tinhuy.example' });
  hook.received.length = 0;
  hook.refused.length = 0;
  hook.items.clear();
  hook.clockSkew = 0;
});
afterAll(async () => {
  await h.close();
  await hook.close();
});

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "timestamp.body", hex, prefixed sha256=', () => {
    const expected = crypto.createHmac('sha256', 'k').update('1795000000.{"a":1}').digest('hex');
    expect(signWebhook('k', 1795000000, '{"a":1}')).toBe(`sha256=${expected}`);
  });

  it('a receiver refuses a changed body, a wrong key, missing headers and old timestamps', () => {
    const body = '{"issue":11}';
    const sig = signWebhook(SECRET, 1795000000, body);
    expect(verifyWebhook(SECRET, { timestamp: '1795000000', signature: sig }, body, 1795000010)).toEqual({ ok: true });
    expect(verifyWebhook(SECRET, { timestamp: '1795000000', signature: sig }, '{"issue":12}', 1795000010)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWebhook('other', { timestamp: '1795000000', signature: sig }, body, 1795000010)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWebhook(SECRET, { timestamp: '1795000000' }, body, 1795000010)).toEqual({ ok: false, reason: 'missing-headers' });
    expect(verifyWebhook(SECRET, { timestamp: '1795000000', signature: sig }, body, 1795000000 + 301)).toEqual({ ok: false, reason: 'outside-window' });
    expect(verifyWebhook(SECRET, { timestamp: '17950e5', signature: sig }, body, 1795000010)).toEqual({ ok: false, reason: 'bad-timestamp' });
  });
});

describe('webhook channel', () => {
  it('POSTs signed JSON metadata with the PDF URL and the cover inline; the receiver verifies it', async () => {
    configure();
    const { issueId, pdfSha256 } = await seedSignedIssue(h.store, h.dataDir);
    const d = await publish(issueId);
    expect(d.state).toBe('ok');
    expect(hook.refused).toEqual([]);
    expect(hook.received).toHaveLength(1);
    const { body, headers } = hook.received[0]!;
    expect(body.event).toBe('issue.published');
    expect(headers['idempotency-key']).toBe('bantin-2026-11');
    expect(body.issue.title).toBe('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026');
    expect(body.issue.pages).toBe(4);
    const pdf = body.files.find((f) => f.role === 'pdf')!;
    expect(pdf.url).toBe(`https://bantin.tinhuy.example/api/v1/issues/${issueId}/files/screen.pdf`);
    expect(pdf.sha256).toBe(pdfSha256);
    const cover = body.files.find((f) => f.role === 'cover')!;
    expect(Buffer.from(cover.base64!, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(d.remoteId).toBe('p-1');
    expect(d.remoteUrl).toBe('https://portal.example/ban-tin/p-1');
  });

  it('re-publishing sends the remembered id and the receiver updates instead of adding', async () => {
    configure();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    await publish(issueId);
    const second = await publish(issueId);
    expect(second.remoteId).toBe('p-1');
    expect(hook.items.size).toBe(1);
    expect(hook.items.get('bantin-2026-11')!.updates).toBe(1);
    expect(hook.received[1]!.body.event).toBe('issue.updated');
    expect(hook.received[1]!.body.previousRemoteId).toBe('p-1');
  });

  it('a wrong key is refused by the receiver (401) and not retried', async () => {
    configure('not-the-key');
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    const d = await publish(issueId);
    expect(d.state).toBe('failed');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toContain('HTTP 401');
    expect(d.lastError).toContain('bad-signature');
  });

  it('a captured delivery replayed after the window is refused', async () => {
    configure();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    await publish(issueId);
    const captured = hook.received[0]!;
    hook.clockSkew = 600; // ten minutes later
    const replay = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bantin-timestamp': String(captured.headers['x-bantin-timestamp']), 'x-bantin-signature': String(captured.headers['x-bantin-signature']) },
      body: captured.raw,
    });
    expect(replay.status).toBe(401);
    expect(hook.refused).toEqual([{ reason: 'outside-window' }]);
    expect(hook.received).toHaveLength(1);
  });
});
