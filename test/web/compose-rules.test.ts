/**
 * The composing API's refusals over real HTTP and a real SQLite file, without Chromium (the in-process
 * worker is off, so typeset jobs stay queued): who may do what (403 before any state check), the 422
 * reasons, one queued job per issue, and nothing unpublished reachable by readers, contributors or
 * print shops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULLETIN, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string; problems?: { field?: string; message: string }[] };
}

let srv: TestServer;
let admin: string;
let editor: string;
let chief: string;
let contributor: string;
let reader: string;
let printer: string;
let unitId: number;
let approved: number[] = [];
let submitted: number;
let issueId: number;

async function article(token: string, title: string, to: string[]): Promise<number> {
  const a = await srv.api<{ id: number }>('POST', '/articles', { token, json: { title, bodyHtml: `<p>${title} – nội dung.</p>` } });
  for (const step of to) expect((await srv.api('POST', `/articles/${a.body.id}/transition`, { token: editor, json: { to: step } })).status).toBe(200);
  return a.body.id;
}

beforeAll(async () => {
  srv = await startTestServer({ config: { inProcessWorker: false } });
  admin = await setupAdmin(srv.api);
  unitId = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Chi bộ ấp Trường Đông', kind: 'party_cell' } })).body.id;
  editor = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  chief = (await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief')).token;
  contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor', unitId)).token;
  reader = (await userWithRole(srv.api, admin, 'docgia', 'reader', unitId)).token;
  printer = (await userWithRole(srv.api, admin, 'nhain', 'print_shop')).token;
  await srv.api('PUT', '/bulletin', { token: admin, json: BULLETIN });
  approved = [await article(contributor, 'Bài đã duyệt một', ['in_review', 'approved']), await article(contributor, 'Bài đã duyệt hai', ['in_review', 'approved'])];
  submitted = await article(contributor, 'Bài chưa duyệt', []);
});

afterAll(async () => {
  await srv?.close();
});

describe('issues: who may create and plan', () => {
  it('lets editors create an issue (201) and refuses every other role with 403', async () => {
    for (const token of [admin, contributor, reader, printer]) {
      expect((await srv.api('POST', '/issues', { token, json: { number: 11, date: '2026-11-15', printRun: 3110 } })).status).toBe(403);
    }
    const r = await srv.api<{ id: number; state: string; printRun: number; trim: { widthMm: number } }>('POST', '/issues', { token: editor, json: { number: 11, date: '2026-11-15', printRun: 3110 } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ state: 'draft', printRun: 3110, trim: { widthMm: 190 } });
    issueId = r.body.id;
  });

  it('answers 409 for a second issue with the same number in the year and 400 for a bad date', async () => {
    expect((await srv.api('POST', '/issues', { token: chief, json: { number: 11, date: '2026-11-20', printRun: 10 } })).status).toBe(409);
    const bad = await srv.api<ErrorBody>('POST', '/issues', { token: editor, json: { number: 12, date: '15/11/2026', printRun: 10 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/date/);
  });

  it('refuses a plan with an unapproved or unknown article with 422 naming them, and changes nothing', async () => {
    const r = await srv.api<ErrorBody>('PUT', `/issues/${issueId}/plan`, {
      token: editor,
      json: { sections: [{ title: 'Tin tức – sự kiện', articleIds: [approved[0], submitted, 999_999] }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toContain(`article ${submitted} "Bài chưa duyệt" is submitted, not approved`);
    expect(r.body.error.message).toContain('article 999999 does not exist');
    const issue = await srv.api<{ sections: unknown[] }>('GET', `/issues/${issueId}`, { token: editor });
    expect(issue.body.sections).toEqual([]);
    expect((await srv.api<{ state: string }>('GET', `/articles/${approved[0]}`, { token: editor })).body.state).toBe('approved');
  });

  it('refuses planning to contributors with 403 even for a bad plan (authorisation before state)', async () => {
    expect((await srv.api('PUT', `/issues/${issueId}/plan`, { token: contributor, json: { sections: [{ title: 'X', articleIds: [submitted] }] } })).status).toBe(403);
  });

  it('creates a section named in the plan, schedules placed articles, and keeps an article in one issue only', async () => {
    const r = await srv.api<{ sections: { title: string; articleIds: number[] }[] }>('PUT', `/issues/${issueId}/plan`, {
      token: editor,
      json: { sections: [{ title: 'Chuyên mục mới tinh', articleIds: [approved[1], approved[0]] }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.sections).toEqual([expect.objectContaining({ title: 'Chuyên mục mới tinh', articleIds: [approved[1], approved[0]] })]);
    const sections = await srv.api<{ items: { title: string }[] }>('GET', '/sections', { token: editor });
    expect(sections.body.items.map((s) => s.title)).toContain('Chuyên mục mới tinh');
    expect((await srv.api<{ state: string }>('GET', `/articles/${approved[0]}`, { token: editor })).body.state).toBe('scheduled');

    const other = await srv.api<{ id: number }>('POST', '/issues', { token: editor, json: { number: 12, date: '2026-12-15', printRun: 100 } });
    const clash = await srv.api<ErrorBody>('PUT', `/issues/${other.body.id}/plan`, { token: editor, json: { sections: [{ title: 'Tin', articleIds: [approved[0]] }] } });
    expect(clash.status).toBe(422);
    expect(clash.body.error.message).toContain(`already placed in issue ${issueId}`);
  });

  it('puts an article taken out of the plan back to approved', async () => {
    await srv.api('PUT', `/issues/${issueId}/plan`, { token: editor, json: { sections: [{ title: 'Chuyên mục mới tinh', articleIds: [approved[1]] }] } });
    expect((await srv.api<{ state: string }>('GET', `/articles/${approved[0]}`, { token: editor })).body.state).toBe('approved');
    await srv.api('PUT', `/issues/${issueId}/plan`, { token: editor, json: { sections: [{ title: 'Chuyên mục mới tinh', articleIds: [approved[1], approved[0]] }] } });
  });
});

describe('typeset jobs', () => {
  it('queues one job (202 {jobId}); a second request while it is queued gets the same job', async () => {
    const first = await srv.api<{ jobId: number; state: string }>('POST', `/issues/${issueId}/typeset`, { token: editor });
    expect(first.status).toBe(202);
    expect(first.body.state).toBe('queued');
    const second = await srv.api<{ jobId: number }>('POST', `/issues/${issueId}/typeset`, { token: chief, raw: '', headers: { 'content-type': 'application/json' } });
    expect(second.status).toBe(202);
    expect(second.body.jobId).toBe(first.body.jobId);
    const job = await srv.api<{ state: string; progress: number }>('GET', `/jobs/${first.body.jobId}`, { token: editor });
    expect(job.body).toMatchObject({ state: 'queued', progress: 0 });
    expect(job.body).not.toHaveProperty('error');
  });

  it('refuses typesetting to readers (403) and an empty plan or a zero print run with 422 reasons', async () => {
    expect((await srv.api('POST', `/issues/${issueId}/typeset`, { token: reader })).status).toBe(403);
    const empty = await srv.api<{ id: number }>('POST', '/issues', { token: editor, json: { number: 13, date: '2026-12-31', printRun: 0 } });
    expect(empty.status).toBe(201);
    const r = await srv.api<ErrorBody>('POST', `/issues/${empty.body.id}/typeset`, { token: editor });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/print run must be positive/);
    expect(r.body.error.message).toMatch(/plan has no articles/);
  });

  it('cancels a queued job (a finished one cannot be cancelled again: 422); the next request queues a new job', async () => {
    const queued = await srv.api<{ jobId: number }>('POST', `/issues/${issueId}/typeset`, { token: editor });
    expect((await srv.api('POST', `/jobs/${queued.body.jobId}/cancel`, { token: reader })).status).toBe(403);
    const cancelled = await srv.api<{ state: string }>('POST', `/jobs/${queued.body.jobId}/cancel`, { token: editor });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect((await srv.api('POST', `/jobs/${queued.body.jobId}/cancel`, { token: editor })).status).toBe(422);
    const next = await srv.api<{ jobId: number }>('POST', `/issues/${issueId}/typeset`, { token: editor });
    expect(next.body.jobId).not.toBe(queued.body.jobId);
  });

  it('hides jobs from other roles and answers 404 for unknown jobs', async () => {
    expect((await srv.api('GET', '/jobs/1', { token: reader })).status).toBe(403);
    expect((await srv.api('GET', '/jobs/424242', { token: editor })).status).toBe(404);
  });
});

describe('sign-off, print and publish refusals', () => {
  it('refuses sign-off to editors with 403 and to the editor-in-chief of a never-typeset issue with 422 reasons', async () => {
    expect((await srv.api('POST', `/issues/${issueId}/sign-off`, { token: editor })).status).toBe(403);
    await srv.api('PUT', `/issues/${issueId}/distribution`, { token: editor, json: { distribution: [{ unitId, copies: 3000 }] } });
    const r = await srv.api<ErrorBody>('POST', `/issues/${issueId}/sign-off`, { token: chief });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/no rendition/);
    expect(r.body.error.message).toMatch(/distribution list sums to 3000 copies but the print run is 3110/);
    const csv = await fetch(`${srv.url}/api/v1/issues/${issueId}/distribution.csv`, { headers: { authorization: `Bearer ${editor}` } });
    expect(csv.headers.get('content-disposition')).toContain('phan-phoi-so-11-2026.csv');
    expect(await csv.text()).toBe('STT,Đơn vị nhận,Số bản\r\n1,Chi bộ ấp Trường Đông,3000\r\n,Tổng cộng,3000\r\n');
    expect((await fetch(`${srv.url}/api/v1/issues/${issueId}/distribution.csv`, { headers: { authorization: `Bearer ${reader}` } })).status).toBe(403);
  });

  it('refuses send-to-print and publish before sign-off (422) and to editors (403)', async () => {
    for (const action of ['send-to-print', 'publish']) {
      expect((await srv.api('POST', `/issues/${issueId}/${action}`, { token: editor })).status).toBe(403);
      const r = await srv.api<ErrorBody>('POST', `/issues/${issueId}/${action}`, { token: chief });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/sign it off first/);
    }
  });

  it('keeps unpublished issues unreachable for readers, contributors and print shops', async () => {
    for (const token of [reader, contributor, printer]) {
      expect((await srv.api('GET', `/issues/${issueId}`, { token })).status).toBe(404);
      expect((await srv.api('GET', `/issues/${issueId}/files/print.pdf`, { token })).status).toBe(404);
      expect((await srv.api('GET', `/issues/${issueId}/files/screen.pdf`, { token })).status).toBe(404);
      expect((await srv.api<{ items: unknown[] }>('GET', '/issues', { token })).body.items).toEqual([]);
      expect((await srv.api<{ items: unknown[] }>('GET', '/published', { token })).body.items).toEqual([]);
    }
    expect((await srv.api('GET', `/issues/${issueId}/files/..%2F..%2Fbantin.sqlite`, { token: editor })).status).toBe(404);
  });
});

describe('download links', () => {
  it('are managed by the office only; bad units are 400, unknown links 404, bad tokens 403', async () => {
    expect((await srv.api('POST', '/download-links', { token: reader, json: { unitId, expiresAt: '2027-01-01' } })).status).toBe(403);
    expect((await srv.api('POST', '/download-links', { token: contributor, json: { unitId, expiresAt: '2027-01-01' } })).status).toBe(403);
    expect((await srv.api('POST', '/download-links', { token: editor, json: { unitId: 999_999, expiresAt: '2027-01-01' } })).status).toBe(400);
    expect((await srv.api('POST', '/download-links', { token: editor, json: { unitId, expiresAt: 'next month' } })).status).toBe(400);
    expect((await srv.api('DELETE', '/download-links/999999', { token: editor })).status).toBe(404);
    const dead = await fetch(`${srv.url}/d/not-a-real-token-at-all`, { headers: { accept: 'text/html' } });
    expect(dead.status).toBe(403);
    expect(await dead.text()).toContain('Liên kết tải bản tin không còn hiệu lực');
  });

  it('gives an absolute url when a public base URL is configured', async () => {
    const other = await startTestServer({ config: { inProcessWorker: false, publicBaseUrl: 'https://bantin.tinhuy.vn/' } });
    try {
      const token = await setupAdmin(other.api);
      const unit = await other.api<{ id: number }>('POST', '/units', { token, json: { name: 'Chi bộ 1', kind: 'party_cell' } });
      const link = await other.api<{ url: string }>('POST', '/download-links', { token, json: { unitId: unit.body.id, expiresAt: '2027-01-01T00:00:00Z' } });
      expect(link.status).toBe(201);
      expect(link.body.url).toMatch(/^https:\/\/bantin\.tinhuy\.vn\/d\/[A-Za-z0-9_-]+$/);
    } finally {
      await other.close();
    }
  });
});
