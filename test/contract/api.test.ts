/**
 * Black-box contract of the JSON API (DESIGN.md "The JSON API" and "Contract details"), as a client written
 * from DESIGN.md alone sees it: one real `bantin serve` process, Bearer tokens, fetch. Ids travel as the
 * server gave them or as strings (they are opaque). The tests run in order and share the server's state.
 */
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalDocx } from '../fixtures/minimal-docx.ts';
import { serve, type Answer, type Api, type Served } from './serve-process.ts';

const PASSWORD = 'mat-khau-hop-dong-1';
const PUBLIC_URL = 'https://bantin.tinhuy.example';

let srv: Served;
let api: Api;
const token: Record<string, string> = {};
const id: Record<string, string | number> = {};

function expectError(r: Answer<unknown>, status: number): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type') ?? '').toContain('json');
  const body = r.body as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, r.text).toBe('string');
  expect(typeof body.error?.message, r.text).toBe('string');
}

async function created(r: Promise<Answer<{ id: string | number }>>): Promise<string | number> {
  const a = await r;
  expect(a.status, a.text).toBe(201);
  expect(['string', 'number']).toContain(typeof a.body.id);
  return a.body.id;
}

async function login(username: string): Promise<string> {
  const r = await api<{ token: string; user: unknown }>('POST', '/auth/login', { json: { username, password: PASSWORD } });
  expect(r.status, r.text).toBe(200);
  expect(typeof r.body.token).toBe('string');
  expect(r.body.user).toBeTruthy();
  return r.body.token;
}

async function user(name: string, role: string, unitId?: string | number): Promise<void> {
  // Ids are opaque: hand them back as strings, as a client that stores them as text would.
  id[name] = await created(api('POST', '/users', { token: token.admin, json: { username: name, password: PASSWORD, displayName: `Tài khoản ${name}`, role, ...(unitId === undefined ? {} : { unitId: String(unitId) }) } }));
  token[name] = await login(name);
}

async function article(who: string, title: string, bodyHtml: string): Promise<string | number> {
  const r = await api<{ id: string | number; state: string; version: unknown }>('POST', '/articles', { token: token[who], json: { title, bodyHtml, author: 'Nguyễn Văn Bình' } });
  expect(r.status, r.text).toBe(201);
  expect(r.body.state).toBe('submitted');
  expect(r.body.version).toBeDefined();
  return r.body.id;
}

type Job = { state: string; progress: unknown; error?: string };

/** Polls GET /jobs/:id until the job leaves queued/running (states, not time; the test timeout bounds it). */
async function jobEnd(jobId: string | number): Promise<Job> {
  for (;;) {
    const j = await api<Job>('GET', `/jobs/${jobId}`, { token: token.editor });
    expect(j.status, j.text).toBe(200);
    expect(['queued', 'running', 'done', 'failed', 'cancelled']).toContain(j.body.state);
    expect(j.body).toHaveProperty('progress');
    if (!['queued', 'running'].includes(j.body.state)) return j.body;
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function approve(articleId: string | number | undefined): Promise<void> {
  for (const to of ['in_review', 'approved']) {
    const r = await api('POST', `/articles/${articleId}/transition`, { token: token.editor, json: { to } });
    expect(r.status, r.text).toBe(200);
  }
}

beforeAll(async () => {
  srv = await serve({ BANTIN_PUBLIC_URL: PUBLIC_URL });
  api = srv.api;
});
afterAll(async () => {
  await srv?.stop();
});

describe('server, setup and login', () => {
  it('GET /healthz answers exactly {"ok":true}', async () => {
    const r = await fetch(`${srv.base}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });

  it('creates the first admin with 201, then 409 once a user exists', async () => {
    expect((await api('POST', '/setup', { json: { username: 'admin', password: PASSWORD, displayName: 'Quản trị' } })).status).toBe(201);
    expectError(await api('POST', '/setup', { json: { username: 'admin2', password: PASSWORD, displayName: 'Khác' } }), 409);
    token.admin = await login('admin');
  });

  it('answers a wrong password with 401, no or a bad token with 401, in the error envelope', async () => {
    expectError(await api('POST', '/auth/login', { json: { username: 'admin', password: 'sai' } }), 401);
    expectError(await api('GET', '/articles'), 401);
    expectError(await api('GET', '/articles', { token: 'not-a-token' }), 401);
  });

  it('answers malformed JSON with 400, a wrong Content-Type with 415, JSON over 10 MB with 413', async () => {
    expectError(await api('POST', '/units', { token: token.admin, raw: '{"name": "x",', headers: { 'content-type': 'application/json' } }), 400);
    expectError(await api('POST', '/auth/login', { raw: '{"username":', headers: { 'content-type': 'application/json' } }), 400);
    expectError(await api('POST', '/units', { token: token.admin, raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    const big = JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024), kind: 'commune' });
    expectError(await api('POST', '/units', { token: token.admin, raw: big, headers: { 'content-type': 'application/json' } }), 413);
  });

  it('answers unknown routes under /api/v1 with 404 in the error envelope', async () => {
    expectError(await api('GET', '/khong-co', { token: token.admin }), 404);
    expectError(await api('POST', '/articles/1/khong-co', { token: token.admin, json: {} }), 404);
  });
});

describe('units, users, bulletin and sections: who may', () => {
  it('creates units (a parent given as a string id) and users of every role', async () => {
    id.province = await created(api('POST', '/units', { token: token.admin, json: { name: 'Tỉnh ủy Tây Ninh', kind: 'province' } }));
    id.unitA = await created(api('POST', '/units', { token: token.admin, json: { name: 'Đảng ủy xã Hòa Thành', kind: 'commune', parentId: String(id.province) } }));
    id.unitB = await created(api('POST', '/units', { token: token.admin, json: { name: 'Đảng ủy phường Tân Ninh', kind: 'ward', parentId: id.province } }));
    await user('editor', 'editor', id.province);
    await user('chief', 'editor_in_chief', id.province);
    await user('contrib', 'contributor', id.unitA);
    await user('shop1', 'print_shop');
    await user('shop2', 'print_shop');
    await user('readerA', 'reader', id.unitA);
    await user('readerB', 'reader', id.unitB);
  });

  it('lets only admin create units and users (403 for everyone else)', async () => {
    for (const who of ['editor', 'chief', 'contrib', 'shop1', 'readerA']) {
      expectError(await api('POST', '/units', { token: token[who], json: { name: 'Chi bộ X', kind: 'cell' } }), 403);
      expectError(await api('POST', '/users', { token: token[who], json: { username: `x-${who}`, password: PASSWORD, displayName: 'X', role: 'reader' } }), 403);
    }
  });

  const bulletin = {
    name: 'Thông báo Nội bộ',
    publisher: 'Ban Tuyên giáo và Dân vận Tỉnh ủy Tây Ninh',
    address: 'Số 1 đường Trần Hưng Đạo, phường Tân Ninh, tỉnh Tây Ninh',
    responsible: 'Nguyễn Văn Ấn',
    licence: { number: '05/GP-STTTT', date: '2026-01-05', issuer: 'Sở Văn hóa, Thể thao và Du lịch', expires: '2027-12-31' },
    frequency: '1 kỳ/tháng',
    printShop: 'Công ty TNHH MTV In Tây Ninh',
  };

  it('stores the bulletin profile for admin and editor_in_chief only', async () => {
    expect((await api('PUT', '/bulletin', { token: token.admin, json: bulletin })).status).toBe(200);
    expect((await api('PUT', '/bulletin', { token: token.chief, json: bulletin })).status).toBe(200);
    for (const who of ['editor', 'contrib', 'readerA']) expectError(await api('PUT', '/bulletin', { token: token[who], json: bulletin }), 403);
    expectError(await api('PUT', '/bulletin', { token: token.admin, json: { ...bulletin, licence: undefined } }), 400);
  });

  it('creates sections for admin and editor_in_chief only', async () => {
    id.section = await created(api('POST', '/sections', { token: token.chief, json: { title: 'Tin tức – sự kiện' } }));
    await created(api('POST', '/sections', { token: token.admin, json: { title: 'Văn bản, chính sách mới' } }));
    for (const who of ['editor', 'contrib']) expectError(await api('POST', '/sections', { token: token[who], json: { title: `Mục của ${who}` } }), 403);
  });
});

describe('articles', () => {
  it('accepts an article as JSON and as a multipart .docx above the JSON limit (uploads go to 50 MB)', async () => {
    id.a1 = await article('contrib', 'Chi bộ ấp Phước Hòa sinh hoạt chuyên đề', '<p>Các đảng viên thảo luận sôi nổi về Nghị quyết.</p>');
    // 12 MB of stored (uncompressed) noise inside the .docx: larger than a JSON body may be, well under 50 MB.
    const zip = await JSZip.loadAsync(await minimalDocx([{ heading: 'Đảng ủy phường tổng kết công tác' }, { text: 'Đồng chí Bí thư phát biểu chỉ đạo.' }]));
    zip.file('customXml/padding.bin', createHash('sha512').update('x').digest().toString('hex').repeat(12 * 1024 * 8), { compression: 'STORE' });
    const docx = await zip.generateAsync({ type: 'uint8array' });
    expect(docx.byteLength).toBeGreaterThan(11 * 1024 * 1024);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(docx)]), 'bai-viet.docx');
    form.append('author', 'Lê Thị Hoa');
    const r = await api<{ id: string | number; state: string }>('POST', '/articles', { token: token.contrib, raw: form });
    expect(r.status, r.text).toBe(201);
    expect(r.body.state).toBe('submitted');
    id.a2 = r.body.id;
    const got = await api<{ title: string; bodyHtml: string }>('GET', `/articles/${id.a2}`, { token: token.editor });
    expect(got.body.title).toContain('Đảng ủy phường tổng kết công tác');
  });

  it('answers an upload above 50 MB with 413', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(51 * 1024 * 1024)]), 'qua-lon.docx');
    expectError(await api('POST', '/articles', { token: token.contrib, raw: form }), 413);
  });

  it('reads an article with the promised fields; unknown and malformed ids are 404', async () => {
    const r = await api<Record<string, unknown>>('GET', `/articles/${id.a1}`, { token: token.editor });
    expect(r.status).toBe(200);
    for (const key of ['id', 'title', 'bodyHtml', 'author', 'unitId', 'sectionId', 'state', 'version']) expect(r.body, key).toHaveProperty(key);
    expect(String(r.body.unitId)).toBe(String(id.unitA));
    expectError(await api('GET', '/articles/987654', { token: token.editor }), 404);
    expectError(await api('GET', '/articles/khong-co', { token: token.editor }), 404);
  });

  it('searches title and body, every word, ignoring case and diacritics (đ = d)', async () => {
    id.a3 = await article('contrib', 'Đảng viên trẻ làm kinh tế giỏi', '<p>Gương sáng ở ấp Trường Đông.</p>');
    const q = async (query: string): Promise<string[]> => {
      const r = await api<{ items: { id: string | number; title: string; state: string; unitId: unknown; version: unknown }[] }>('GET', `/articles?q=${encodeURIComponent(query)}`, { token: token.editor });
      expect(r.status, r.text).toBe(200);
      return r.body.items.map((i) => String(i.id));
    };
    expect(await q('dang vien tre')).toEqual([String(id.a3)]);
    expect(await q('DANG VIEN')).toContain(String(id.a3));
    expect(await q('truong dong')).toEqual([String(id.a3)]);
    expect(await q('đảng viên kinh te')).toEqual([String(id.a3)]);
    expect(await q('dang vien khong-co-tu-nay')).toEqual([]);
    const byState = await api<{ items: { state: string }[] }>('GET', '/articles?state=submitted', { token: token.editor });
    expect(byState.body.items.length).toBeGreaterThanOrEqual(3);
    expect(byState.body.items.every((i) => i.state === 'submitted')).toBe(true);
  });

  it('PATCH with the current version → 200 {version}; a stale version → 409', async () => {
    const cur = await api<{ version: number }>('GET', `/articles/${id.a1}`, { token: token.contrib });
    const ok = await api<{ version: unknown }>('PATCH', `/articles/${id.a1}`, { token: token.contrib, json: { version: cur.body.version, title: 'Chi bộ ấp Phước Hòa sinh hoạt chuyên đề tháng 11' } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.version).not.toEqual(cur.body.version);
    expectError(await api('PATCH', `/articles/${id.a1}`, { token: token.contrib, json: { version: cur.body.version, title: 'Cũ' } }), 409);
  });

  it('refuses a contributor approving (403 before state), an editor skipping review (422), then approves', async () => {
    expectError(await api('POST', `/articles/${id.a1}/transition`, { token: token.contrib, json: { to: 'approved' } }), 403);
    expectError(await api('POST', `/articles/${id.a1}/transition`, { token: token.readerA, json: { to: 'in_review' } }), 403);
    const skip = await api<{ error: { message: string } }>('POST', `/articles/${id.a1}/transition`, { token: token.editor, json: { to: 'approved' } });
    expectError(skip, 422);
    expect(skip.body.error.message.length).toBeGreaterThan(5);
    await approve(id.a1);
    await approve(id.a2);
    id.a4 = await article('contrib', 'Hội nghị sơ kết quý III', '<p>Đảng ủy xã đánh giá kết quả quý III.</p>');
    await approve(id.a4);
    expect((await api<{ state: string }>('GET', `/articles/${id.a1}`, { token: token.editor })).body.state).toBe('approved');
    const ret = await api('POST', `/articles/${id.a3}/transition`, { token: token.chief, json: { to: 'in_review' } });
    expect(ret.status, ret.text).toBe(200);
    expect((await api('POST', `/articles/${id.a3}/transition`, { token: token.chief, json: { to: 'returned', reason: 'Bổ sung ảnh' } })).status).toBe(200);
  });
});

describe('an issue from plan to readers', () => {
  it('creates issues for editor and editor_in_chief only', async () => {
    for (const who of ['contrib', 'shop1', 'readerA', 'admin']) expectError(await api('POST', '/issues', { token: token[who], json: { number: 11, date: '2026-11-15', printRun: 3110 } }), 403);
    id.issue = await created(api('POST', '/issues', { token: token.editor, json: { number: 11, date: '2026-11-15', printRun: 3110 } }));
    id.issue2 = await created(api('POST', '/issues', { token: token.chief, json: { number: 12, date: '2026-12-15', printRun: 2439, trim: { width: '170mm', height: '240mm' } } }));
  });

  it('refuses a plan with an unapproved article (422) and creates a section from a new plan title', async () => {
    expectError(await api('PUT', `/issues/${id.issue}/plan`, { token: token.editor, json: { sections: [{ title: 'Tin tức – sự kiện', articleIds: [id.a3] }] } }), 422);
    expectError(await api('PUT', `/issues/${id.issue}/plan`, { token: token.contrib, json: { sections: [{ title: 'Tin tức – sự kiện', articleIds: [id.a1] }] } }), 403);
    const r = await api('PUT', `/issues/${id.issue}/plan`, {
      token: token.editor,
      json: { sections: [{ title: 'Tin tức – sự kiện', articleIds: [String(id.a1)] }, { title: 'Gương chi bộ, đảng viên', articleIds: [id.a2] }] },
    });
    expect(r.status, r.text).toBe(200);
    const r2 = await api('PUT', `/issues/${id.issue2}/plan`, { token: token.chief, json: { sections: [{ title: 'Tin tức – sự kiện', articleIds: [id.a4] }] } });
    expect(r2.status, r2.text).toBe(200);
    // The second title was no section before: the plan created it, so creating it again is a conflict.
    expectError(await api('POST', '/sections', { token: token.chief, json: { title: 'Gương chi bộ, đảng viên' } }), 409);
  });

  it('typesets with an empty body (202 {jobId}) and the job ends done with the files listed with sha256', async () => {
    expectError(await api('POST', `/issues/${id.issue}/typeset`, { token: token.contrib }), 403);
    const r = await api<{ jobId: string | number }>('POST', `/issues/${id.issue}/typeset`, { token: token.editor });
    expect(r.status, r.text).toBe(202);
    const r2 = await api<{ jobId: string | number }>('POST', `/issues/${id.issue2}/typeset`, { token: token.chief, raw: '', headers: { 'content-type': 'application/json' } });
    expect(r2.status, r2.text).toBe(202);
    for (const jobId of [r.body.jobId, r2.body.jobId]) {
      const job = await jobEnd(jobId);
      expect(job.state, job.error).toBe('done');
    }
    const issue = await api<{ id: unknown; state: string; pages: number; files: { name: string; bytes: number; sha256: string }[] }>('GET', `/issues/${id.issue}`, { token: token.editor });
    expect(issue.status).toBe(200);
    expect(issue.body.state).toBe('typeset');
    expect(issue.body.pages % 4).toBe(0);
    const print = issue.body.files.find((f) => f.name === 'print.pdf');
    expect(print).toBeDefined();
    const file = await fetch(`${srv.base}/api/v1/issues/${id.issue}/files/print.pdf`, { headers: { authorization: `Bearer ${token.editor}` } });
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.byteLength).toBe(print!.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(print!.sha256);
    const part = await fetch(`${srv.base}/api/v1/issues/${id.issue}/files/print.pdf`, { headers: { authorization: `Bearer ${token.editor}`, range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${print!.bytes}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    // A resumed download asks for the rest (`bytes=N-`), a PDF viewer for the trailer (`bytes=-N`).
    const rest = await fetch(`${srv.base}/api/v1/issues/${id.issue}/files/print.pdf`, { headers: { authorization: `Bearer ${token.editor}`, range: `bytes=${print!.bytes - 300}-` } });
    expect(rest.status).toBe(206);
    expect(Buffer.from(await rest.arrayBuffer()).equals(bytes.subarray(print!.bytes - 300))).toBe(true);
    const tail = await fetch(`${srv.base}/api/v1/issues/${id.issue}/files/print.pdf`, { headers: { authorization: `Bearer ${token.editor}`, range: 'bytes=-64' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(print!.bytes - 64))).toBe(true);
    const beyond = await fetch(`${srv.base}/api/v1/issues/${id.issue}/files/print.pdf`, { headers: { authorization: `Bearer ${token.editor}`, range: `bytes=${print!.bytes + 10}-` } });
    expect(beyond.status).toBe(416);
    await beyond.arrayBuffer();
    const job2 = await api<{ state: string }>('GET', '/jobs/987654', { token: token.editor });
    expectError(job2, 404);
  });

  it('signs off, sends to print and publishes only for editor_in_chief; a move the state does not permit is 422', async () => {
    for (const action of ['sign-off', 'send-to-print', 'publish']) {
      for (const who of ['editor', 'contrib', 'shop1', 'readerA']) expectError(await api('POST', `/issues/${id.issue}/${action}`, { token: token[who] }), 403);
    }
    expectError(await api('POST', `/issues/${id.issue}/publish`, { token: token.chief }), 422);
    expect((await api('POST', `/issues/${id.issue}/sign-off`, { token: token.chief })).status).toBe(200);
    const sent = await api('POST', `/issues/${id.issue}/send-to-print`, { token: token.chief, json: { userIds: [String(id.shop1)] } });
    expect(sent.status, sent.text).toBe(200);
    expect((await api('GET', `/issues/${id.issue}`, { token: token.shop1 })).status).toBe(200);
    expect([403, 404]).toContain((await api('GET', `/issues/${id.issue}`, { token: token.shop2 })).status);
    expect([403, 404]).toContain((await fetch(`${srv.base}/api/v1/issues/${id.issue}/files/print.pdf`, { headers: { authorization: `Bearer ${token.shop2}` } })).status);
    const published = await api('POST', `/issues/${id.issue}/publish`, { token: token.chief, json: { unitIds: [String(id.unitA)] } });
    expect(published.status, published.text).toBe(200);
  });

  it('sends to every print shop without userIds and publishes to every unit without unitIds (empty bodies)', async () => {
    expect((await api('POST', `/issues/${id.issue2}/sign-off`, { token: token.chief })).status).toBe(200);
    const sent = await api('POST', `/issues/${id.issue2}/send-to-print`, { token: token.chief });
    expect(sent.status, sent.text).toBe(200);
    for (const shop of ['shop1', 'shop2']) {
      const seen = await api<{ files: { name: string }[] }>('GET', `/issues/${id.issue2}`, { token: token[shop] });
      expect(seen.status, `${shop}: ${seen.text}`).toBe(200);
      const ticket = await api<Record<string, unknown>>('GET', `/issues/${id.issue2}/files/job.json`, { token: token[shop] });
      expect(ticket.status, ticket.text).toBe(200);
      expect(ticket.body.printRun).toBe(2439);
      expect(JSON.stringify(ticket.body.trim)).toMatch(/170[^0-9]+240/);
    }
    const published = await api('POST', `/issues/${id.issue2}/publish`, { token: token.chief, raw: '', headers: { 'content-type': 'application/json' } });
    expect(published.status, published.text).toBe(200);
  });

  it('lists a published issue for readers of the chosen units only, and one published to all for every unit', async () => {
    const a = await api<{ items: { id: unknown; number: unknown; date: unknown; pages: unknown; files: unknown[] }[] }>('GET', '/published', { token: token.readerA });
    expect(a.status, a.text).toBe(200);
    expect(a.body.items.map((i) => String(i.id)).sort()).toEqual([String(id.issue), String(id.issue2)].sort());
    for (const key of ['id', 'number', 'date', 'pages', 'files']) expect(a.body.items[0], key).toHaveProperty(key);
    const b = await api<{ items: { id: unknown }[] }>('GET', '/published', { token: token.readerB });
    expect(b.body.items.map((i) => String(i.id))).toEqual([String(id.issue2)]);
    const screen = (who: string | undefined, issueId: unknown): Promise<Response> =>
      fetch(`${srv.base}/api/v1/issues/${String(issueId)}/files/screen.pdf`, { headers: who ? { authorization: `Bearer ${token[who]}` } : {} });
    expect((await screen('readerA', id.issue)).status).toBe(200);
    expect((await screen('readerB', id.issue2)).status).toBe(200);
    expect([403, 404]).toContain((await screen('readerB', id.issue)).status);
    expect((await screen(undefined, id.issue)).status).toBe(401);
  });

  it('makes download links (absolute with a public base URL) that open the unit’s issues without login until revoked', async () => {
    expectError(await api('POST', '/download-links', { token: token.contrib, json: { unitId: id.unitA, expiresAt: '2027-01-31' } }), 403);
    expectError(await api('POST', '/download-links', { token: token.readerA, json: { unitId: id.unitA, expiresAt: '2027-01-31' } }), 403);
    const link = await api<{ id: string | number; url: string }>('POST', '/download-links', { token: token.editor, json: { unitId: String(id.unitA), expiresAt: '2027-01-31' } });
    expect(link.status, link.text).toBe(201);
    expect(link.body.url.startsWith(`${PUBLIC_URL}/`)).toBe(true);
    const local = srv.base + link.body.url.slice(PUBLIC_URL.length);
    const open = await fetch(local);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain(String(id.issue));
    const del = await api('DELETE', `/download-links/${link.body.id}`, { token: token.editor });
    expect(del.status, del.text).toBeLessThan(300);
    expect([403, 404, 410]).toContain((await fetch(local)).status);
  });
});
