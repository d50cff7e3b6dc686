/**
 * The outbox sender against a real SMTP server on loopback: a temporary refusal (4xx) is retried with
 * backoff until the server takes the mail; a permanent one (5xx) fails at once with the server's words;
 * pending mail left by a previous process goes out when the sender starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { MailDelivery } from '../../src/notify/mail-delivery.ts';
import { smtpMailer } from '../../src/notify/mailer.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

const WAIT = { timeout: 60_000, interval: 25 };
let dataDir: string;
let store: Store;
let sink: SmtpSink;
let delivery: MailDelivery;

function queue(to: string, subject: string): number {
  return store.mail.enqueue({ kind: 'test', userId: null, to, subject, text: `${subject}\n\nNội dung thư.`, html: null }, new Date().toISOString());
}

async function settled(id: number) {
  return vi.waitFor(() => {
    const m = store.mail.get(id)!;
    if (m.state === 'pending') throw new Error(`mail ${id} still pending after ${m.attempts} attempts`);
    return m;
  }, WAIT);
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-mail-'));
  store = openStore(dataDir);
  sink = await startSmtpSink();
  delivery = new MailDelivery(
    { store, mailer: smtpMailer({ url: sink.url, from: 'bantin@tinhuy.vn' }, { timeoutMs: 20_000 }), clock: () => new Date() },
    { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100, batchSize: 5 },
  );
});

afterAll(async () => {
  await delivery?.close();
  await sink?.close();
  store?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('mail delivery from the outbox', () => {
  it('sends what a previous process left pending as soon as it starts', async () => {
    const id = queue('chibo1@tayninh.vn', 'Thư còn chờ gửi');
    delivery.kick();
    expect(await settled(id)).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
    expect(sink.received.find((m) => m.subject === 'Thư còn chờ gửi')?.to).toEqual(['chibo1@tayninh.vn']);
  });

  it('retries after a temporary refusal (451) and sends on a later attempt', async () => {
    sink.refuseNext(2, 451);
    const id = queue('chibo2@tayninh.vn', 'Thư gửi lại sau lỗi tạm thời');
    delivery.kick();
    const m = await settled(id);
    expect(m).toMatchObject({ state: 'sent', attempts: 3 });
    expect(sink.received.filter((r) => r.subject === 'Thư gửi lại sau lỗi tạm thời')).toHaveLength(1);
  });

  it('gives up at once on a permanent refusal (550), keeping the server’s answer', async () => {
    sink.refuseNext(1, 550);
    const id = queue('khong-ton-tai@tayninh.vn', 'Thư đến hộp thư không có');
    delivery.kick();
    const m = await settled(id);
    expect(m.state).toBe('failed');
    expect(m.attempts).toBe(1);
    expect(m.lastError).toContain('550');
  });

  it('stops after the last allowed attempt when the refusals go on', async () => {
    sink.refuseNext(10, 421);
    const id = queue('chibo3@tayninh.vn', 'Thư bị từ chối mãi');
    delivery.kick();
    const m = await settled(id);
    expect(m).toMatchObject({ state: 'failed', attempts: 4 });
    sink.refuseNext(0, 0);
  });
});
