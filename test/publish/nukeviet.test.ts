import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nukevietHashSecret, verifyNukevietHashSecret } from '../../src/publish/channels/nukeviet-auth.ts';
import { startFakeNukeViet, type FakeNukeViet } from './fake-nukeviet.ts';
import { startHarness, type Harness } from './harness.ts';
import { seedSignedIssue } from './published-issue.ts';

const SECRET = 'nv-api-secret-Tay-Ninh-2026';
let nv: FakeNukeViet | undefined;
let h: Harness;

async function setup(version: '4.5' | '4.6', configured: { secret?: string; apiKey?: string } = {}) {
  nv = await startFakeNukeViet({ apiKey: 'bantin-key', secret: SECRET, version });
  h.store.channels.saveSettings(
    'nukeviet',
    true,
    { baseUrl: nv.url, apiKey: configured.apiKey ?? 'bantin-key', version, module: 'news', language: 'vi', action: 'BantinPublishIssue' },
    configured.secret ?? SECRET,
    null,
    new Date().toISOString(),
  );
  return seedSignedIssue(h.store, h.dataDir);
}

async function publish(issueId: number) {
  h.dispatcher.enqueue(issueId, ['nukeviet']);
  await h.dispatcher.idle();
  return h.store.channels.delivery(issueId, 'nukeviet')!;
}

beforeEach(() => {
  h = startHarness({ baseDelayMs: 10, maxAttempts: 3 });
});
afterEach(async () => {
  await nv?.close();
  nv = undefined;
  await h.close();
});
afterAll(async () => nv?.close());

describe('NukeViet hashsecret', () => {
  it('4.5 is a bcrypt hash PHP password_verify accepts ($2y$) of secret_timestamp; 4.6 is md5', () => {
    const bcrypt = nukevietHashSecret(SECRET, 1795000000, '4.5');
    expect(bcrypt).toMatch(/^\$2y\$10\$/);
    expect(verifyNukevietHashSecret(SECRET, 1795000000, bcrypt, '4.5')).toBe(true);
    expect(verifyNukevietHashSecret(SECRET, 1795000001, bcrypt, '4.5')).toBe(false);
    // md5 values computed independently (Python hashlib) for `<secret>_<timestamp>`.
    expect(nukevietHashSecret(SECRET, 1795000000, '4.6')).toBe('bc2a951251766c1a4a51162a0d78069d');
    expect(nukevietHashSecret('abc', 123, '4.6')).toBe('408c06609ccabfc09e76f1807156d01c');
    expect(verifyNukevietHashSecret('abc', 123, '408c06609ccabfc09e76f1807156d01c', '4.5')).toBe(false);
  });
});

describe('nukeviet channel', () => {
  for (const version of ['4.5', '4.6'] as const) {
    it(`publishes through api.php with ${version} credentials and updates the same article on re-publish`, async () => {
      const { issueId, pdf } = await setup(version);
      const first = await publish(issueId);
      expect(first.lastError).toBeNull();
      expect(first.state).toBe('ok');
      expect(nv!.articles.size).toBe(1);
      const article = nv!.articles.get(Number(first.remoteId))!;
      expect(article.title).toBe('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026');
      expect(article.pdfBytes).toBe(pdf.length);
      expect(article.coverBytes).toBeGreaterThan(1000);
      expect(first.remoteUrl).toContain('/news/');
      const second = await publish(issueId);
      expect(second.state).toBe('ok');
      expect(second.remoteId).toBe(first.remoteId);
      expect(nv!.articles.size).toBe(1);
      expect(article.updates).toBe(1);
    });
  }

  it('0011: the portal’s Remote API is off — fails at once with what to do', async () => {
    const { issueId } = await setup('4.5');
    nv!.remoteApiOn = false;
    const d = await publish(issueId);
    expect(d.state).toBe('failed');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toMatch(/0011.*Remote API is turned off/);
  });

  it('0014: a wrong secret is an authentication failure, not retried', async () => {
    const { issueId } = await setup('4.5', { secret: 'not-the-secret' });
    const d = await publish(issueId);
    expect(d.state).toBe('failed');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toMatch(/0014.*rejected the API key\/secret/);
    expect(nv!.articles.size).toBe(0);
  });

  it('0013: an API key the portal does not know', async () => {
    const { issueId } = await setup('4.6', { apiKey: 'other-key' });
    const d = await publish(issueId);
    expect(d.lastError).toMatch(/0013/);
  });

  it('0020: clocks more than 5 seconds apart — says to check NTP', async () => {
    const { issueId } = await setup('4.6');
    nv!.clockSkew = 120;
    const d = await publish(issueId);
    expect(d.state).toBe('failed');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toMatch(/0020.*clock.*NTP/);
  });
});
