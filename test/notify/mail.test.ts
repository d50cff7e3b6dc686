/**
 * E-mail through the real app and a real SMTP server on loopback: a contributor learns that an article was
 * returned (with the reason) or approved; readers of the units an issue is published to are told in the
 * app and, when they have an address, by e-mail — readers of other units are not. Addresses are validated
 * and only admins set other people's. A mail server that is down never fails the request.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupAdmin, startTestServer, userWithRole, type TestServer } from '../web/helpers.ts';
import { seedSignedIssue } from '../publish/published-issue.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink.ts';

const BASE = 'https://bantin.tinhuy.vn';
const WAIT = { timeout: 60_000, interval: 50 };

let sink: SmtpSink;
let srv: TestServer;
let admin: string;
let editor: string;
let chief: { id: number; token: string };
let contributor: { id: number; token: string };
let readerA: { id: number; token: string };
let readerA2: { id: number; token: string };
let readerB: { id: number; token: string };
let unitA: number;
let unitB: number;

async function mailTo(address: string, subjectPart: string): Promise<ReceivedMail> {
  return vi.waitFor(() => {
    const m = sink.received.find((r) => r.to.includes(address) && r.subject.includes(subjectPart));
    if (!m) throw new Error(`no mail to ${address} about "${subjectPart}" yet (got ${sink.received.length})`);
    return m;
  }, WAIT);
}

async function submit(title: string): Promise<number> {
  const r = await srv.api<{ id: number }>('POST', '/articles', { token: contributor.token, json: { title, bodyHtml: `<p>${title}: nội dung bài viết.</p>` } });
  expect(r.status).toBe(201);
  return r.body.id;
}

async function move(id: number, to: string, reason?: string): Promise<void> {
  const r = await srv.api('POST', `/articles/${id}/transition`, { token: editor, json: { to, ...(reason ? { reason } : {}) } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

beforeAll(async () => {
  sink = await startSmtpSink();
  srv = await startTestServer({ config: { inProcessWorker: false, publicBaseUrl: BASE, smtp: { url: sink.url, from: 'Ban biên tập <bantin@tinhuy.vn>' } } });
  admin = await setupAdmin(srv.api);
  unitA = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Hòa Hội', kind: 'commune' } })).body.id;
  unitB = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Chi bộ ấp Bình Minh', kind: 'party_cell' } })).body.id;
  editor = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  chief = await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief');
  contributor = await userWithRole(srv.api, admin, 'ctv-hoahoi', 'contributor', unitA);
  readerA = await userWithRole(srv.api, admin, 'docgia-hoahoi', 'reader', unitA);
  readerA2 = await userWithRole(srv.api, admin, 'docgia-hoahoi-2', 'reader', unitA);
  readerB = await userWithRole(srv.api, admin, 'docgia-binhminh', 'reader', unitB);
}, 120_000);

afterAll(async () => {
  await srv?.close({ removeData: true });
  await sink?.close();
});

describe('e-mail addresses', () => {
  it('a user sets their own address; an admin sets anyone’s; others may not', async () => {
    expect((await srv.api('PUT', '/account/email', { token: contributor.token, json: { email: ' ctv@hoahoi.tayninh.vn ' } })).body).toEqual({ email: 'ctv@hoahoi.tayninh.vn' });
    expect((await srv.api('GET', '/account/email', { token: contributor.token })).body).toEqual({ email: 'ctv@hoahoi.tayninh.vn' });
    expect((await srv.api('PUT', `/users/${readerA.id}/email`, { token: admin, json: { email: 'chibo@hoahoi.tayninh.vn' } })).status).toBe(200);
    expect((await srv.api('PUT', `/users/${readerB.id}/email`, { token: admin, json: { email: 'chibo@binhminh.tayninh.vn' } })).status).toBe(200);
    expect((await srv.api('PUT', `/users/${readerB.id}/email`, { token: readerA.token, json: { email: 'ke-gian@example.com' } })).status).toBe(403);
    expect((await srv.api('GET', `/users/${readerB.id}/email`, { token: admin })).body).toEqual({ email: 'chibo@binhminh.tayninh.vn' });
  });

  it('refuses what is not an address and keeps the one stored', async () => {
    const r = await srv.api<{ error: { code: string; message: string } }>('PUT', '/account/email', { token: contributor.token, json: { email: 'không phải địa chỉ' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_input');
    expect((await srv.api('GET', '/account/email', { token: contributor.token })).body).toEqual({ email: 'ctv@hoahoi.tayninh.vn' });
    expect((await srv.api('PUT', '/users/999999/email', { token: admin, json: { email: 'a@b.vn' } })).status).toBe(404);
  });
});

describe('a contributor learns of an editor’s decision by e-mail', () => {
  it('returned: the subject in Vietnamese (RFC 2047 on the wire), the reason, a link to the article', async () => {
    const id = await submit('Chi bộ ấp Trường Đông học tập và làm theo lời Bác');
    await move(id, 'in_review');
    await move(id, 'returned', 'Cần bổ sung số liệu kết nạp đảng viên quý III.');
    const mail = await mailTo('ctv@hoahoi.tayninh.vn', 'bị trả lại');
    expect(mail.subject).toBe('Bài “Chi bộ ấp Trường Đông học tập và làm theo lời Bác” bị trả lại');
    expect(mail.rawSubject).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect(mail.from).toContain('bantin@tinhuy.vn');
    expect(mail.text).toContain('Lý do: Cần bổ sung số liệu kết nạp đảng viên quý III.');
    expect(mail.text).toContain(`${BASE}/articles/${id}`);
    expect(mail.html).toContain(`href="${BASE}/articles/${id}"`);
  });

  it('approved (accepted): one mail saying so', async () => {
    const id = await submit('Đảng ủy xã Hòa Hội sơ kết 6 tháng');
    await move(id, 'in_review');
    await move(id, 'approved');
    const mail = await mailTo('ctv@hoahoi.tayninh.vn', 'đã được duyệt');
    expect(mail.subject).toBe('Bài “Đảng ủy xã Hòa Hội sơ kết 6 tháng” đã được duyệt');
    expect(mail.text).toContain(`${BASE}/articles/${id}`);
    expect(sink.received.filter((m) => m.subject.includes('sơ kết 6 tháng'))).toHaveLength(1);
  });
});

describe('publishing an issue tells the readers it reaches', () => {
  let issueId: number;

  it('readers of the chosen unit: in-app notice for all, e-mail for those with an address; other units nothing', async () => {
    issueId = (await seedSignedIssue(srv.running.runtime.store, srv.dataDir, { number: 11, userId: chief.id, publish: false })).issueId;
    const r = await srv.api('POST', `/issues/${issueId}/publish`, { token: chief.token, json: { unitIds: [unitA] } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);

    const mail = await mailTo('chibo@hoahoi.tayninh.vn', 'đã phát hành');
    expect(mail.subject).toBe('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026 đã phát hành');
    expect(mail.text).toContain('Kính gửi Người dùng docgia-hoahoi,');
    expect(mail.text).toContain('cho Đảng ủy xã Hòa Hội');
    expect(mail.text).toContain(`${BASE}/archive/${issueId}`);
    expect(mail.text).toContain('- Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh (Văn bản, chính sách mới), trang 2');

    for (const reader of [readerA, readerA2]) {
      const inbox = await srv.api<{ items: { kind: string; message: string }[] }>('GET', '/notifications', { token: reader.token });
      expect(inbox.body.items.filter((n) => n.kind === 'issue.published').map((n) => n.message)).toEqual(['Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026 đã phát hành.']);
    }
    const other = await srv.api<{ items: { kind: string }[] }>('GET', '/notifications', { token: readerB.token });
    expect(other.body.items.filter((n) => n.kind === 'issue.published')).toEqual([]);
    // Everything queued for this publish has been handled: exactly one mail, to the one reader with an address.
    // (The server has the message before bantin records it as sent: wait for that state.)
    const queued = await vi.waitFor(() => {
      const rows = srv.running.runtime.store.mail.list({ kind: 'issue.published' });
      if (rows.some((m) => m.state === 'pending')) throw new Error('still sending');
      return rows;
    }, WAIT);
    expect(queued.map((m) => [m.to, m.state])).toEqual([['chibo@hoahoi.tayninh.vn', 'sent']]);
    expect(sink.received.filter((m) => m.to.includes('chibo@binhminh.tayninh.vn'))).toEqual([]);
  });
});

describe('a mail server that is down', () => {
  it('does not fail or hold the request; the mail stays queued with the error, for a later retry', async () => {
    await sink.close();
    const id = await submit('Bài gửi khi máy chủ thư ngừng');
    await move(id, 'in_review');
    await move(id, 'returned', 'Thiếu ảnh minh họa.');
    const store = srv.running.runtime.store;
    const row = await vi.waitFor(() => {
      const m = store.mail.list({ kind: 'article.returned' }).find((x) => x.subject.includes('máy chủ thư ngừng'));
      if (!m || m.attempts < 1) throw new Error('not tried yet');
      return m;
    }, WAIT);
    expect(row.state).toBe('pending');
    expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(row.nextAttemptAt > new Date().toISOString()).toBe(true);
    // The article itself moved on as asked.
    expect((await srv.api<{ state: string }>('GET', `/articles/${id}`, { token: editor })).body.state).toBe('returned');
  });
});
