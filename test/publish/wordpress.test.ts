import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWordPress, type FakeWordPress } from './fake-wordpress.ts';
import { startHarness, type Harness } from './harness.ts';
import { seedSignedIssue } from './published-issue.ts';

const APP_PASSWORD = 'abcd EFGH 1234 ijkl MNOP 6789';
let wp: FakeWordPress;
let h: Harness;

function configure(password = APP_PASSWORD): void {
  h.store.channels.saveSettings('wordpress', true, { baseUrl: wp.url, username: 'bientap', status: 'publish', categories: [] }, password, null, new Date().toISOString());
}

async function publish(issueId: number) {
  h.dispatcher.enqueue(issueId, ['wordpress']);
  await h.dispatcher.idle();
  return h.store.channels.delivery(issueId, 'wordpress')!;
}

beforeAll(async () => {
  wp = await startFakeWordPress('bientap', APP_PASSWORD);
});
afterAll(async () => {
  await wp.close();
});
beforeEach(async () => {
  await h?.close();
  h = startHarness({ baseDelayMs: 10, maxAttempts: 3 });
  wp.media.clear();
  wp.posts.clear();
  wp.requests.length = 0;
  wp.faults.length = 0;
});
afterAll(async () => h.close());

describe('wordpress channel', () => {
  it('uploads the PDF and the cover, then creates a post with the cover as featured image and a file block linking the PDF', async () => {
    configure();
    const { issueId, pdf } = await seedSignedIssue(h.store, h.dataDir);
    const d = await publish(issueId);
    expect(d.state).toBe('ok');
    expect(d.attempts).toBe(1);
    expect(wp.media.size).toBe(2);
    const media = [...wp.media.values()];
    const pdfMedia = media.find((m) => m.mimeType === 'application/pdf')!;
    const cover = media.find((m) => m.mimeType === 'image/jpeg')!;
    expect(pdfMedia.bytes).toBe(pdf.length);
    expect(pdfMedia.fileName).toBe('bantin-2026-11.pdf');
    expect(cover.bytes).toBeGreaterThan(1000);
    expect(wp.posts.size).toBe(1);
    const post = [...wp.posts.values()][0]!;
    expect(post.title).toBe('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026');
    expect(post.featured_media).toBe(cover.id);
    expect(post.content).toContain(`<!-- wp:file {"id":${pdfMedia.id},"href":"${pdfMedia.source_url}"`);
    expect(post.content).toContain('Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh');
    expect(d.remoteId).toBe(String(post.id));
    expect(d.remoteUrl).toBe(post.link);
  });

  it('re-publishing updates the same post and uploads nothing again when the files did not change', async () => {
    configure();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    const first = await publish(issueId);
    const postId = Number(first.remoteId);
    wp.posts.get(postId)!.title = 'sửa tay trên cổng';
    const second = await publish(issueId);
    expect(second.state).toBe('ok');
    expect(second.remoteId).toBe(first.remoteId);
    expect(wp.posts.size).toBe(1);
    expect(wp.media.size).toBe(2);
    expect(wp.posts.get(postId)!.title).toBe('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026');
    expect(wp.requests.filter((r) => r.path.endsWith(`/posts/${postId}`) && r.status === 200)).toHaveLength(1);
  });

  it('creates a new post when the remembered one was deleted on the portal', async () => {
    configure();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    const first = await publish(issueId);
    wp.posts.delete(Number(first.remoteId));
    const second = await publish(issueId);
    expect(second.state).toBe('ok');
    expect(second.remoteId).not.toBe(first.remoteId);
    expect(wp.posts.size).toBe(1);
  });

  it('a wrong application password fails at once (401, no retry) with WordPress’s own message', async () => {
    configure('wrong password');
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    const d = await publish(issueId);
    expect(d.state).toBe('failed');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toContain('HTTP 401');
    expect(d.lastError).toContain('invalid application password');
    expect(h.sleeps).toEqual([]);
    expect(wp.posts.size).toBe(0);
  });

  it('retries a 500 and a 503 with growing backoff, then succeeds without duplicating the uploaded PDF', async () => {
    configure();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    // 1st attempt: PDF upload OK + its title, then the cover upload hits a 500.
    wp.faults.push(0, 0, 500, 503);
    const d = await publish(issueId);
    expect(d.state).toBe('ok');
    expect(d.attempts).toBe(3);
    expect(h.sleeps).toEqual([10, 20]);
    expect([...wp.media.values()].filter((m) => m.mimeType === 'application/pdf')).toHaveLength(1);
    expect(wp.posts.size).toBe(1);
  });

  it('gives up after the bounded number of attempts and keeps the last error', async () => {
    configure();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    wp.faults.push(502, 502, 502);
    const d = await publish(issueId);
    expect(d.state).toBe('failed');
    expect(d.attempts).toBe(3);
    expect(d.lastError).toMatch(/HTTP 502.*gave up after 3 attempts/);
  });

  it('a portal that does not answer times out and is retried', async () => {
    await h.close();
    // Long enough for the retried (answering) request on a loaded machine, short enough to wait out the hang.
    h = startHarness({ baseDelayMs: 10, maxAttempts: 2, timeoutMs: 3_000 });
    configure();
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    wp.faults.push('hang');
    const d = await publish(issueId);
    expect(d.state).toBe('ok');
    expect(d.attempts).toBe(2);
    expect(h.sleeps).toEqual([10]);
  });
});
