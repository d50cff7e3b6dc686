/** The JSON API rows of DESIGN.md owned by the editorial core, against the real app on a random port. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULLETIN, PASSWORD, login, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';

interface ArticleBody {
  id: number;
  title: string;
  bodyHtml: string;
  author: string | null;
  unitId: number | null;
  sectionId: number | null;
  state: string;
  version: number;
  stateReason: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; currentVersion?: number; yourVersion?: number };
}

let srv: TestServer;
let admin: string;
let editor: string;
let contributor: string;
let unitId: number;
let sectionId: number;

beforeAll(async () => {
  srv = await startTestServer({ config: { uploadLimitBytes: 200_000, jsonLimitBytes: 100_000 } });
});
afterAll(async () => {
  await srv.close({ removeData: true });
});

describe('setup and login', () => {
  it('reports that setup is needed, creates the first admin with 201, then refuses a second setup with 409', async () => {
    expect((await srv.api('GET', '/setup')).body).toEqual({ needsSetup: true });
    admin = await setupAdmin(srv.api);
    const again = await srv.api<ErrorBody>('POST', '/setup', { json: { username: 'other', password: PASSWORD, displayName: 'Khác' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const empty = await srv.api('POST', '/setup');
    expect(empty.status).toBe(409);
  });

  it('logs in with a token and user; a wrong password is 401 with the error envelope', async () => {
    const ok = await srv.api<{ token: string; user: { username: string; role: string } }>('POST', '/auth/login', { json: { username: 'admin', password: PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(ok.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(ok.body.user).not.toHaveProperty('passwordHash');
    const bad = await srv.api<ErrorBody>('POST', '/auth/login', { json: { username: 'admin', password: 'wrong-password' } });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatchObject({ code: 'not_authenticated' });
    expect(typeof bad.body.error.message).toBe('string');
  });

  it('answers 401 without a token, with a bad token, and after logout', async () => {
    expect((await srv.api('GET', '/articles')).status).toBe(401);
    expect((await srv.api('GET', '/articles', { token: 'not-a-token' })).status).toBe(401);
    const t = await login(srv.api, 'admin');
    expect((await srv.api('GET', '/me', { token: t })).status).toBe(200);
    expect((await srv.api('POST', '/auth/logout', { token: t })).status).toBe(200);
    expect((await srv.api('GET', '/me', { token: t })).status).toBe(401);
  });

  it('logout everywhere ends every session of the user', async () => {
    const a = await login(srv.api, 'admin');
    const b = await login(srv.api, 'admin');
    const r = await srv.api<{ sessions: number }>('POST', '/auth/logout-all', { token: a });
    expect(r.status).toBe(200);
    expect(r.body.sessions).toBeGreaterThanOrEqual(2);
    expect((await srv.api('GET', '/me', { token: b })).status).toBe(401);
    admin = await login(srv.api, 'admin');
  });
});

describe('units, users, bulletin, sections', () => {
  it('creates units (with a parent) → 201 {id}; an unknown parent is 400', async () => {
    const province = await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Tỉnh ủy Tây Ninh', kind: 'province_committee' } });
    expect(province.status).toBe(201);
    const commune = await srv.api<{ id: number; parentId: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Tân Lập', kind: 'commune_committee', parentId: province.body.id } });
    expect(commune.status).toBe(201);
    expect(commune.body.parentId).toBe(province.body.id);
    unitId = commune.body.id;
    const orphan = await srv.api<ErrorBody>('POST', '/units', { token: admin, json: { name: 'X', kind: 'agency', parentId: 999999 } });
    expect(orphan.status).toBe(400);
  });

  it('creates users → 201 {id}; a taken username is 409; a bad role is 400', async () => {
    editor = (await userWithRole(srv.api, admin, 'bientap1', 'editor')).token;
    contributor = (await userWithRole(srv.api, admin, 'ctv.tanlap', 'contributor', unitId)).token;
    const dup = await srv.api('POST', '/users', { token: admin, json: { username: 'BienTap1', password: PASSWORD, displayName: 'Trùng', role: 'editor' } });
    expect(dup.status).toBe(409);
    const badRole = await srv.api<ErrorBody>('POST', '/users', { token: admin, json: { username: 'x1', password: PASSWORD, displayName: 'X', role: 'boss' } });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.code).toBe('bad_input');
    const shortPw = await srv.api('POST', '/users', { token: admin, json: { username: 'x2', password: 'short', displayName: 'X', role: 'reader' } });
    expect(shortPw.status).toBe(400);
  });

  it('stores the bulletin profile with PUT → 200 and reads it back; a missing licence is 400', async () => {
    const put = await srv.api('PUT', '/bulletin', { token: admin, json: BULLETIN });
    expect(put.status).toBe(200);
    expect((await srv.api('GET', '/bulletin', { token: editor })).body).toEqual(BULLETIN);
    const bad = await srv.api('PUT', '/bulletin', { token: admin, json: { ...BULLETIN, licence: undefined } });
    expect(bad.status).toBe(400);
    expect((await srv.api('GET', '/bulletin', { token: admin })).body).toEqual(BULLETIN);
  });

  it('creates sections → 201 {id}; the same title again is 409', async () => {
    const s = await srv.api<{ id: number; title: string }>('POST', '/sections', { token: admin, json: { title: 'Gương chi bộ, đảng viên' } });
    expect(s.status).toBe(201);
    sectionId = s.body.id;
    expect((await srv.api('POST', '/sections', { token: admin, json: { title: 'Gương chi bộ, đảng viên' } })).status).toBe(409);
    const list = await srv.api<{ items: { id: number; title: string }[] }>('GET', '/sections', { token: contributor });
    expect(list.body.items.map((x) => x.title)).toContain('Gương chi bộ, đảng viên');
  });
});

describe('articles', () => {
  let articleId: number;

  it('submits JSON → 201 {id, state: submitted, version}, sanitizing the HTML and keeping NFC text', async () => {
    const nfd = 'Đảng viên'.normalize('NFD');
    const r = await srv.api<ArticleBody>('POST', '/articles', {
      token: contributor,
      json: { title: `${nfd} gương mẫu`, bodyHtml: '<p onclick="x()">Chi bộ <script>alert(1)</script>họp <b>định kỳ</b>.</p><img src="http://evil/x.png">', author: 'Trần Thị Bình', sectionId },
    });
    expect(r.status).toBe(201);
    expect(r.body.state).toBe('submitted');
    expect(r.body.version).toEqual(expect.any(Number));
    articleId = r.body.id;
    const got = await srv.api<ArticleBody>('GET', `/articles/${articleId}`, { token: editor });
    expect(got.body).toMatchObject({ id: articleId, title: 'Đảng viên gương mẫu', author: 'Trần Thị Bình', unitId, sectionId, state: 'submitted' });
    expect(got.body.bodyHtml).toBe('<p>Chi bộ họp <b>định kỳ</b>.</p>');
  });

  it('refuses an article without title or body (400) and an unknown section (400), storing nothing', async () => {
    const before = (await srv.api<{ items: unknown[] }>('GET', '/articles', { token: editor })).body.items.length;
    expect((await srv.api('POST', '/articles', { token: contributor, json: { bodyHtml: '<p>x</p>' } })).status).toBe(400);
    expect((await srv.api('POST', '/articles', { token: contributor, json: { title: 'T', bodyHtml: '<script>only</script>' } })).status).toBe(400);
    expect((await srv.api('POST', '/articles', { token: contributor, json: { title: 'T', bodyHtml: '<p>x</p>', sectionId: 424242 } })).status).toBe(400);
    expect((await srv.api<{ items: unknown[] }>('GET', '/articles', { token: editor })).body.items.length).toBe(before);
  });

  it('finds "đảng viên" when searching "dang vien" (case- and diacritic-insensitive, every word must match)', async () => {
    await srv.api('POST', '/articles', { token: contributor, json: { title: 'Tin hoạt động', bodyHtml: '<p>ĐẢNG VIÊN trẻ tham gia tình nguyện</p>' } });
    await srv.api('POST', '/articles', { token: contributor, json: { title: 'Tin khác', bodyHtml: '<p>Đảng bộ xã tổ chức hội nghị</p>' } });
    const hits = await srv.api<{ items: { title: string; state: string; unitId: number; version: number }[] }>('GET', '/articles?q=dang%20vien', { token: editor });
    expect(hits.status).toBe(200);
    expect(hits.body.items.map((a) => a.title).sort()).toEqual(['Đảng viên gương mẫu', 'Tin hoạt động'].sort());
    expect(hits.body.items[0]).toMatchObject({ state: 'submitted', unitId, version: expect.any(Number) });
    const all = await srv.api<{ items: unknown[] }>('GET', '/articles?q=dang%20vien%20tinh%20nguyen', { token: editor });
    expect(all.body.items).toHaveLength(1);
    const none = await srv.api<{ items: unknown[] }>('GET', '/articles?q=dang%20vien%20xyzzy', { token: editor });
    expect(none.body.items).toHaveLength(0);
  });

  it('lists "my articles" with mine=1 or createdBy (search and paging included); a contradiction is 400', async () => {
    const filed = await srv.api<ArticleBody>('POST', '/articles', { token: editor, json: { title: 'Tin do Ban biên tập nhập thay', bodyHtml: '<p>Đảng viên ấp Phước Hòa hiến đất làm đường.</p>', unitId } });
    expect(filed.status).toBe(201);
    const editorId = (await srv.api<{ user: { id: number } }>('POST', '/auth/login', { json: { username: 'bientap1', password: PASSWORD } })).body.user.id;
    const mine = await srv.api<{ items: { id: number; createdBy: number }[]; nextOffset: number | null }>('GET', '/articles?mine=1', { token: editor });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((a) => a.id)).toEqual([filed.body.id]);
    expect(mine.body.nextOffset).toBeNull();
    const byId = await srv.api<{ items: { id: number }[] }>('GET', `/articles?createdBy=${editorId}&q=dang%20vien`, { token: editor });
    expect(byId.body.items.map((a) => a.id)).toEqual([filed.body.id]);
    // The contributor's own list holds only what they wrote, though they see the whole unit's articles.
    const theirs = await srv.api<{ items: { createdBy: number }[] }>('GET', '/articles?mine=1&limit=1', { token: contributor });
    const unitAll = await srv.api<{ items: unknown[] }>('GET', '/articles', { token: contributor });
    expect(theirs.body.items).toHaveLength(1);
    expect(theirs.body.items[0]!.createdBy).not.toBe(editorId);
    expect(unitAll.body.items.length).toBeGreaterThan(3);
    expect((await srv.api('GET', `/articles?mine=1&createdBy=${editorId}`, { token: contributor })).status).toBe(400);
    expect((await srv.api('GET', '/articles?createdBy=abc', { token: editor })).status).toBe(400);
  });

  it('filters by state', async () => {
    const r = await srv.api<{ items: { state: string }[] }>('GET', '/articles?state=approved', { token: editor });
    expect(r.body.items).toHaveLength(0);
    expect((await srv.api('GET', '/articles?state=nonsense', { token: editor })).status).toBe(400);
  });

  it('PATCH with the current version → 200 {version}; with a stale version → 409 showing both versions', async () => {
    const first = await srv.api<ArticleBody>('PATCH', `/articles/${articleId}`, { token: editor, json: { version: 1, title: 'Đảng viên gương mẫu ở Tân Lập' } });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    const stale = await srv.api<ErrorBody & { error: { current: ArticleBody } }>('PATCH', `/articles/${articleId}`, { token: contributor, json: { version: 1, title: 'Bản cũ' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ yourVersion: 1, currentVersion: 2 });
    expect(stale.body.error.current.title).toBe('Đảng viên gương mẫu ở Tân Lập');
    expect((await srv.api<ArticleBody>('GET', `/articles/${articleId}`, { token: editor })).body.title).toBe('Đảng viên gương mẫu ở Tân Lập');
    expect((await srv.api('PATCH', `/articles/${articleId}`, { token: editor, json: { title: 'no version' } })).status).toBe(400);
  });

  it('walks submitted → in_review → returned (reason) → submitted → in_review → approved; illegal moves are 422', async () => {
    const move = (to: string, reason?: string, token = editor) => srv.api<ArticleBody & ErrorBody>('POST', `/articles/${articleId}/transition`, { token, json: { to, reason } });
    const early = await move('approved');
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('rule_violation');
    expect(early.body.error.message).toMatch(/submitted cannot move to approved/);
    expect((await move('in_review')).body.state).toBe('in_review');
    expect((await move('returned')).status).toBe(422); // no reason
    const returned = await move('returned', 'Bổ sung số liệu năm 2026');
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ state: 'returned', stateReason: 'Bổ sung số liệu năm 2026' });
    expect((await move('submitted', undefined, contributor)).body.state).toBe('submitted');
    expect((await move('in_review')).status).toBe(200);
    const approved = await move('approved');
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');
    expect((await move('rejected', 'muộn')).status).toBe(422);
    const publish = await move('published');
    expect(publish.status).toBe(422); // comes from an issue, never a direct move
    expect(publish.body.error.message).toMatch(/through an issue/);
    expect((await move('archived')).status).toBe(400); // not a state at all
    expect((await move('published', undefined, contributor)).status).toBe(403);
  });

  it('notifies the contributor that the article was returned and then approved', async () => {
    const r = await srv.api<{ items: { kind: string; message: string }[]; unread: number }>('GET', '/notifications', { token: contributor });
    expect(r.body.items.map((n) => n.kind)).toEqual(['article.approved', 'article.returned']);
    expect(r.body.items[1]?.message).toContain('Bổ sung số liệu năm 2026');
    expect(r.body.unread).toBe(2);
  });

  it('records every state change and login in the audit log (admin only)', async () => {
    const r = await srv.api<{ items: { action: string; details: { to?: string } | null }[] }>('GET', '/audit?action=article.state', { token: admin });
    expect(r.body.items.map((e) => e.details?.to)).toEqual(['approved', 'in_review', 'submitted', 'returned', 'in_review']);
    const logins = await srv.api<{ items: unknown[] }>('GET', '/audit?action=login', { token: admin });
    expect(logins.body.items.length).toBeGreaterThan(3);
    expect((await srv.api('GET', '/audit', { token: editor })).status).toBe(403);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await srv.api('GET', '/articles/999999', { token: editor })).status).toBe(404);
    expect((await srv.api('GET', '/articles/abc', { token: editor })).status).toBe(404);
    expect((await srv.api('PATCH', '/articles/999999', { token: editor, json: { version: 1 } })).status).toBe(404);
    expect((await srv.api('POST', '/articles/999999/transition', { token: editor, json: { to: 'in_review' } })).status).toBe(404);
    const unknownRoute = await srv.api<ErrorBody>('GET', '/nothing-here', { token: editor });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error.code).toBe('not_found');
  });
});

describe('request bodies', () => {
  it('answers bad JSON with 400 bad_json', async () => {
    const r = await srv.api<ErrorBody>('POST', '/sections', { token: admin, raw: '{"title": ', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_json');
  });

  it('answers a JSON body over the limit with 413', async () => {
    const big = JSON.stringify({ title: 'x', bodyHtml: 'a'.repeat(150_000) });
    const r = await srv.api<ErrorBody>('POST', '/articles', { token: contributor, raw: big, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('too_large');
  });

  it('answers a non-JSON body with 415', async () => {
    const r = await srv.api<ErrorBody>('POST', '/sections', { token: admin, raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('unsupported_type');
  });

  it('accepts POSTs that need no data with an empty body', async () => {
    const t = await login(srv.api, 'bientap1');
    expect((await srv.api('POST', '/auth/logout', { token: t })).status).toBe(200);
    const t2 = await login(srv.api, 'bientap1');
    expect((await srv.api('POST', '/auth/logout-all', { token: t2, headers: { 'content-type': 'application/json' } })).status).toBe(200);
    editor = await login(srv.api, 'bientap1');
  });
});

describe('browser sessions on the API', () => {
  it('accepts the session cookie for reads, but a cookie write needs the session CSRF token in X-CSRF-Token', async () => {
    const session = await srv.running.runtime.services.auth.login({ username: 'admin', password: PASSWORD }, {}, 'browser');
    const cookie = { cookie: `bantin_session=${session.token}` };
    expect((await srv.api('GET', '/me', { headers: cookie })).status).toBe(200);
    const forged = await srv.api('POST', '/sections', { headers: cookie, json: { title: 'Giả mạo' } });
    expect(forged.status).toBe(403);
    const wrong = await srv.api('POST', '/sections', { headers: { ...cookie, 'x-csrf-token': 'guess' }, json: { title: 'Giả mạo' } });
    expect(wrong.status).toBe(403);
    const ok = await srv.api('POST', '/sections', { headers: { ...cookie, 'x-csrf-token': session.csrfToken }, json: { title: 'Tin tức – sự kiện' } });
    expect(ok.status).toBe(201);
    const titles = (await srv.api<{ items: { title: string }[] }>('GET', '/sections', { token: admin })).body.items.map((x) => x.title);
    expect(titles).not.toContain('Giả mạo');
  });
});

describe('health', () => {
  it('GET /healthz → {"ok":true}', async () => {
    const r = await fetch(srv.url + '/healthz');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });
});
