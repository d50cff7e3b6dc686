import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../../src/publish/dispatcher.ts';
import { startFakeWordPress, type FakeWordPress } from './fake-wordpress.ts';
import { startHarness, type Harness } from './harness.ts';
import { seedSignedIssue } from './published-issue.ts';

let wp: FakeWordPress;
let h: Harness;

beforeAll(async () => {
  wp = await startFakeWordPress('bientap', 'app-pass');
});
beforeEach(async () => {
  await h?.close();
  h = startHarness({ baseDelayMs: 10, maxAttempts: 4 });
  wp.faults.length = 0;
  wp.posts.clear();
  wp.media.clear();
});
afterAll(async () => {
  await h.close();
  await wp.close();
});

function configureWordPress(): void {
  h.store.channels.saveSettings('wordpress', true, { baseUrl: wp.url, username: 'bientap', status: 'publish', categories: [] }, 'app-pass', null, new Date().toISOString());
}

describe('backoff', () => {
  it('doubles from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 2000, 10_000))).toEqual([2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('dispatcher', () => {
  it('runs the package channel by default and writes a portal package a person can upload by hand', async () => {
    const { issueId, pdf, pdfSha256 } = await seedSignedIssue(h.store, h.dataDir);
    expect(h.dispatcher.activeKinds()).toEqual(['package']);
    h.dispatcher.enqueue(issueId);
    await h.dispatcher.idle();
    const d = h.store.channels.delivery(issueId, 'package')!;
    expect(d.state).toBe('ok');
    expect(d.remoteId).toBe(path.join('portal-packages', 'bantin-2026-11.zip'));
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(h.dataDir, d.remoteId!)));
    expect(Object.keys(zip.files).sort()).toEqual(['HUONG-DAN.txt', 'cover.jpg', 'metadata.json', 'mo-ta.txt', 'screen.pdf']);
    expect(Buffer.from(await zip.file('screen.pdf')!.async('uint8array')).equals(pdf)).toBe(true);
    const cover = Buffer.from(await zip.file('cover.jpg')!.async('uint8array'));
    expect(cover.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const meta = JSON.parse(await zip.file('metadata.json')!.async('string')) as { files: { name: string; sha256: string }[]; pages: number; circulation: string };
    expect(meta.files.find((f) => f.name === 'screen.pdf')!.sha256).toBe(pdfSha256);
    expect(meta.pages).toBe(4);
    expect(meta.circulation).toBe('Lưu hành nội bộ');
    const text = await zip.file('mo-ta.txt')!.async('string');
    expect(text).toContain('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026');
    expect(text).toContain('phát hành ngày 15 tháng 11 năm 2026, 4 trang');
    expect(text).toContain('- Chi bộ ấp Trường Đông làm theo lời Bác (Gương chi bộ, đảng viên), trang 3');
    expect(text.normalize('NFC')).toBe(text);
  });

  it('re-publishing replaces the package in place', async () => {
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    h.dispatcher.enqueue(issueId);
    await h.dispatcher.idle();
    h.dispatcher.enqueue(issueId);
    await h.dispatcher.idle();
    expect(fs.readdirSync(path.join(h.dataDir, 'portal-packages'))).toEqual(['bantin-2026-11.zip']);
  });

  it('retries 429 Too Many Requests', async () => {
    configureWordPress();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    wp.faults.push(429);
    h.dispatcher.enqueue(issueId, ['wordpress']);
    await h.dispatcher.idle();
    expect(h.store.channels.delivery(issueId, 'wordpress')).toMatchObject({ state: 'ok', attempts: 2 });
    expect(h.sleeps).toEqual([10]);
  });

  it('fails fast on a 400 (not retried), keeping the remote’s message', async () => {
    configureWordPress();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    wp.faults.push(400);
    h.dispatcher.enqueue(issueId, ['wordpress']);
    await h.dispatcher.idle();
    const d = h.store.channels.delivery(issueId, 'wordpress')!;
    expect(d).toMatchObject({ state: 'failed', attempts: 1 });
    expect(d.lastError).toContain('HTTP 400 — Có lỗi nghiêm trọng trên trang web này.');
    expect(h.sleeps).toEqual([]);
  });

  it('a portal that refuses connections is retried as a network error, then reported failed', async () => {
    // A port that was just free: nothing listens there any more.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    h.store.channels.saveSettings('webhook', true, { url: `http://127.0.0.1:${port}/hook` }, 'k', null, new Date().toISOString());
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    h.dispatcher.enqueue(issueId, ['webhook']);
    await h.dispatcher.idle();
    const d = h.store.channels.delivery(issueId, 'webhook')!;
    expect(d).toMatchObject({ state: 'failed', attempts: 4 });
    expect(d.lastError).toMatch(/ECONNREFUSED.*gave up after 4 attempts/);
    expect(h.sleeps).toEqual([10, 20, 40]);
  });

  it('an issue that is not published is refused with the reason, nothing is sent', async () => {
    configureWordPress();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir, { publish: false });
    h.dispatcher.enqueue(issueId, ['wordpress']);
    await h.dispatcher.idle();
    expect(h.store.channels.delivery(issueId, 'wordpress')).toMatchObject({ state: 'failed', lastError: `issue ${issueId} is signed_off: only published issues go to the portal` });
    expect(wp.posts.size).toBe(0);
  });

  it('stopping the app mid-delivery leaves it pending; the next start resumes it', async () => {
    configureWordPress();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    wp.faults.push('hang');
    h.dispatcher.enqueue(issueId, ['wordpress']);
    // Wait until the portal holds the request (the fault is used up), not a fixed time: on a loaded machine
    // preparing the bundle can take longer than any guess, and stopping before the request left would leave
    // the hang for the resumed run.
    await vi.waitFor(() => expect(wp.faults).toEqual([]), { timeout: 60_000, interval: 20 });
    expect(h.dispatcher.isRunning(issueId, 'wordpress')).toBe(true);
    await h.dispatcher.close();
    expect(h.store.channels.delivery(issueId, 'wordpress')!.state).toBe('pending');
    // A new process over the same data dir
    const { ChannelDispatcher, DEFAULT_DISPATCHER_OPTIONS } = await import('../../src/publish/dispatcher.ts');
    const next = new ChannelDispatcher({ store: h.store, dataDir: h.dataDir, clock: () => new Date() }, { ...DEFAULT_DISPATCHER_OPTIONS, timeoutMs: 30_000 });
    expect(next.resumePending()).toBe(1);
    await next.idle();
    expect(h.store.channels.delivery(issueId, 'wordpress')).toMatchObject({ state: 'ok', attempts: 1 });
    expect(wp.posts.size).toBe(1);
  });
});

describe('redirects', () => {
  it('a portal that redirects is reported with where it points, not followed and not retried', async () => {
    const redirecting = http.createServer((_req, res) => {
      res.writeHead(301, { location: 'https://new-portal.example/hook' });
      res.end();
    });
    await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r));
    try {
      const { port } = redirecting.address() as AddressInfo;
      h.store.channels.saveSettings('webhook', true, { url: `http://127.0.0.1:${port}/hook` }, 'k', null, new Date().toISOString());
      const { issueId } = await seedSignedIssue(h.store, h.dataDir);
      h.dispatcher.enqueue(issueId, ['webhook']);
      await h.dispatcher.idle();
      const d = h.store.channels.delivery(issueId, 'webhook')!;
      expect(d).toMatchObject({ state: 'failed', attempts: 1 });
      expect(d.lastError).toContain('redirects (HTTP 301) to https://new-portal.example/hook');
    } finally {
      await new Promise<void>((r) => redirecting.close(() => r()));
    }
  });
});
