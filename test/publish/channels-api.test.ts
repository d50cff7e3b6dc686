/**
 * The channels API on the real app (real HTTP, real SQLite file): admin-only settings whose secrets never
 * come back, editors' status view and retry, and publishing that does not wait for a portal that hangs
 * (the delivery stays pending across a restart and completes when the portal answers).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { setupAdmin, startTestServer, userWithRole, type TestServer } from '../web/helpers.ts';
import { startFakeWebhook } from './fake-webhook.ts';
import { seedSignedIssue } from './published-issue.ts';

const WP_SECRET = 'wp-app-pass-SECRET-9f8e7d';
const HOOK_SECRET = 'hook-SECRET-1a2b3c';
let srv: TestServer;
let admin: string;
let editor: string;
let chief: { id: number; token: string };
let contributor: string;
let hanging: http.Server;
let hangingUrl: string;

interface Delivery {
  kind: string;
  state: string;
  running: boolean;
  attempts: number;
  lastError: string | null;
}

beforeAll(async () => {
  srv = await startTestServer();
  admin = await setupAdmin(srv.api);
  editor = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  chief = await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief');
  contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor')).token;
  // A portal that accepts the connection and never answers.
  hanging = http.createServer(() => undefined);
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await srv.close();
  hanging.closeAllConnections();
  await new Promise<void>((r) => hanging.close(() => r()));
});

async function waitFor(issueId: number, kind: string, done: (d: Delivery) => boolean, server = srv): Promise<Delivery> {
  // Polls the state for up to a minute: background deliveries wait for CPU on a loaded two-core machine.
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    const r = await server.api<{ items: Delivery[] }>('GET', `/issues/${issueId}/channels`, { token: editor });
    const d = r.body.items.find((x) => x.kind === kind);
    if (d && done(d)) return d;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`delivery ${kind} of issue ${issueId} did not reach the expected state`);
}

describe('channel settings', () => {
  it('lists the four channels; only the package is active on a new install', async () => {
    const r = await srv.api<{ items: { kind: string; enabled: boolean; active: boolean; hasSecret: boolean }[] }>('GET', '/channels', { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i) => [i.kind, i.active])).toEqual([
      ['package', true],
      ['wordpress', false],
      ['nukeviet', false],
      ['webhook', false],
    ]);
  });

  it('stores a secret and never returns it: hasSecret instead, in the answer and in later reads', async () => {
    const put = await srv.api('PUT', '/channels/wordpress', {
      token: admin,
      json: { enabled: true, config: { baseUrl: 'https://tinhuy.tayninh.example/', username: 'bientap' }, secret: WP_SECRET },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ kind: 'wordpress', enabled: true, active: true, hasSecret: true, config: { baseUrl: 'https://tinhuy.tayninh.example', username: 'bientap', status: 'publish' } });
    expect(JSON.stringify(put.body)).not.toContain(WP_SECRET);
    // Saving again without a secret keeps the stored one.
    const again = await srv.api('PUT', '/channels/wordpress', { token: admin, json: { enabled: false, config: { baseUrl: 'https://tinhuy.tayninh.example', username: 'bientap' } } });
    expect(again.body).toMatchObject({ enabled: false, hasSecret: true });
    const list = await srv.api('GET', '/channels', { token: admin });
    expect(JSON.stringify(list.body)).not.toContain(WP_SECRET);
    expect(srv.running.runtime.store.channels.getSettings('wordpress')!.secret).toBe(WP_SECRET);
    // The audit log says the secret changed, never what it is.
    const audit = srv.running.runtime.store.audit.list({ action: 'channel.settings', limit: 10, offset: 0 });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(WP_SECRET);
  });

  it('refuses plain http to a non-loopback portal, an enabled channel without secret, unknown keys and kinds', async () => {
    const http1 = await srv.api<{ error: { code: string; message: string } }>('PUT', '/channels/webhook', { token: admin, json: { config: { url: 'http://portal.example/hook' }, secret: 'long-enough-key' } });
    expect(http1.status).toBe(400);
    expect(http1.body.error.message).toContain('https');
    const noSecret = await srv.api<{ error: { message: string } }>('PUT', '/channels/nukeviet', { token: admin, json: { enabled: true, config: { baseUrl: 'https://tinhuy.example', apiKey: 'k' } } });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error.message).toContain('needs a secret');
    const unknownKey = await srv.api('PUT', '/channels/webhook', { token: admin, json: { config: { url: 'https://portal.example/hook', extra: 1 }, secret: 'long-enough-key' } });
    expect(unknownKey.status).toBe(400);
    expect((await srv.api('PUT', '/channels/ftp', { token: admin, json: { config: {} } })).status).toBe(404);
    const credsInUrl = await srv.api<{ error: { message: string } }>('PUT', '/channels/webhook', { token: admin, json: { config: { url: 'https://u:p@portal.example/hook' }, secret: 'long-enough-key' } });
    expect(credsInUrl.status).toBe(400);
    expect(credsInUrl.body.error.message).toContain('must not contain a user name or password');
    expect((await srv.api('PUT', '/channels/webhook', { token: admin, json: { config: { url: 'https://portal.example/hook' }, secret: 'short' } })).status).toBe(400);
    expect(srv.running.runtime.store.channels.getSettings('webhook')).toBeUndefined();
  });

  it('only admins read or change settings', async () => {
    for (const token of [editor, chief.token, contributor]) {
      expect((await srv.api('GET', '/channels', { token })).status).toBe(403);
      expect((await srv.api('PUT', '/channels/package', { token, json: { enabled: false } })).status).toBe(403);
    }
    expect((await srv.api('GET', '/channels')).status).toBe(401);
  });
});

describe('publishing with a portal that hangs', () => {
  let issueId: number;

  it('publish answers at once; the package is delivered; the webhook stays pending while the portal hangs', async () => {
    const put = await srv.api('PUT', '/channels/webhook', { token: admin, json: { enabled: true, config: { url: hangingUrl }, secret: HOOK_SECRET } });
    expect(put.status).toBe(200);
    ({ issueId } = await seedSignedIssue(srv.running.runtime.store, srv.dataDir, { publish: false, userId: chief.id }));
    const pub = await srv.api<{ state: string }>('POST', `/issues/${issueId}/publish`, { token: chief.token });
    expect(pub.status).toBe(200);
    expect(pub.body.state).toBe('published');
    const webhook = await waitFor(issueId, 'webhook', (d) => d.running);
    expect(webhook.state).toBe('pending');
    const pkg = await waitFor(issueId, 'package', (d) => d.state === 'ok');
    expect(pkg.attempts).toBe(1);
    // The app keeps answering meanwhile.
    expect((await srv.api('GET', '/published', { token: editor })).status).toBe(200);
  });

  it('editors see status; contributors do not; retry needs a published issue and an active channel', async () => {
    expect((await srv.api('GET', `/issues/${issueId}/channels`, { token: contributor })).status).toBe(403);
    expect((await srv.api('GET', `/issues/999999/channels`, { token: editor })).status).toBe(404);
    expect((await srv.api('POST', `/issues/${issueId}/channels/nukeviet/retry`, { token: editor })).status).toBe(422);
    const retry = await srv.api<{ items: Delivery[] }>('POST', `/issues/${issueId}/channels/package/retry`, { token: editor });
    expect(retry.status).toBe(202);
    await waitFor(issueId, 'package', (d) => d.state === 'ok' && !d.running);
    const { issueId: unpublished } = await seedSignedIssue(srv.running.runtime.store, srv.dataDir, { number: 12, publish: false, userId: chief.id });
    const refused = await srv.api<{ error: { code: string } }>('POST', `/issues/${unpublished}/channels/package/retry`, { token: editor });
    expect(refused.status).toBe(422);
  });

  it('after a restart the pending delivery resumes and completes once the portal answers', async () => {
    await srv.close();
    const hook = await startFakeWebhook(HOOK_SECRET);
    try {
      const store = openStore(srv.dataDir);
      expect(store.channels.delivery(issueId, 'webhook')!.state).toBe('pending');
      const row = store.channels.getSettings('webhook')!;
      store.channels.saveSettings('webhook', true, { url: hook.url }, undefined, null, new Date().toISOString());
      expect(store.channels.getSettings('webhook')!.secret).toBe(row.secret);
      store.close();
      srv = await startTestServer({ dataDir: srv.dataDir });
      editor = (await srv.api<{ token: string }>('POST', '/auth/login', { json: { username: 'bientap', password: 'mat-khau-an-toan-1' } })).body.token;
      const d = await waitFor(issueId, 'webhook', (x) => x.state !== 'pending');
      expect(d).toMatchObject({ state: 'ok', attempts: 1, lastError: null });
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0]!.body.issue.title).toBe('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026');
    } finally {
      await hook.close();
    }
  });
});
