/**
 * The screens over real HTTP: first-start set-up, login, CSRF refusal, role refusal of pages, and bad
 * input shown again in Vietnamese with a 4xx while nothing stored changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toActor } from '../../src/workflow/auth.ts';
import type { Actor } from '../../src/domain/user.ts';
import { csrfOf, setUpAdmin, signIn, startUiServer, Visitor, type UiServer } from './ui-harness.ts';

let server: UiServer;
let admin: Visitor;
let adminActor: Actor;
let unitId: number;

beforeAll(async () => {
  server = await startUiServer();
});
afterAll(async () => {
  await server.close();
});

describe('first start', () => {
  it('sends every visitor to the set-up page while no user exists', async () => {
    const v = new Visitor(server.url);
    expect((await v.get('/')).location).toBe('/setup');
    expect((await v.get('/login')).location).toBe('/setup');
    const page = await v.get('/setup');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Thiết lập lần đầu');
  });

  it('refuses a set-up post without the form token and creates nobody', async () => {
    const v = new Visitor(server.url);
    await v.get('/setup');
    const r = await v.post('/setup', { displayName: 'Kẻ lạ', username: 'attacker', password: 'mat-khau-dai-1', passwordConfirm: 'mat-khau-dai-1' });
    expect(r.status).toBe(403);
    expect(server.runtime.services.auth.needsSetup()).toBe(true);
  });

  it('shows mistakes in Vietnamese, keeps what was typed, and stores nothing', async () => {
    const v = new Visitor(server.url);
    const r = await v.submit('/setup', '/setup', { displayName: 'Trần Thị Hoa', username: 'hoa', password: 'ngan', passwordConfirm: 'khac' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('value="Trần Thị Hoa"');
    expect(r.html).toContain('Hai mật khẩu không khớp.');
    expect(server.runtime.services.auth.needsSetup()).toBe(true);
    const short = await v.submit('/setup', '/setup', { displayName: 'Trần Thị Hoa', username: 'hoa', password: 'ngan', passwordConfirm: 'ngan' });
    expect(short.status).toBe(400);
    expect(short.html).toContain('cần ít nhất 8 ký tự');
    expect(server.runtime.services.auth.needsSetup()).toBe(true);
  });

  it('creates the first admin, then the set-up page is gone for good', async () => {
    admin = await setUpAdmin(server);
    const anyone = new Visitor(server.url);
    expect((await anyone.get('/setup')).status).toBe(404);
    const again = await anyone.post('/setup', { _csrf: csrfOf((await anyone.get('/login')).html), displayName: 'X', username: 'second', password: 'mat-khau-dai-2', passwordConfirm: 'mat-khau-dai-2' });
    expect(again.status).toBe(404);
    const users = server.runtime.store.users.list();
    expect(users.map((u) => u.username)).toEqual(['quantri']);
    adminActor = toActor(users[0]!);
    unitId = server.runtime.services.units.create(adminActor, { name: 'Đảng ủy xã Tân Hòa', kind: 'commune_committee' }).id;
  });
});

describe('login', () => {
  it('says the password is wrong in Vietnamese with 401, keeping the user name', async () => {
    const v = new Visitor(server.url);
    const r = await v.submit('/login', '/login', { username: 'quantri', password: 'sai-mat-khau' });
    expect(r.status).toBe(401);
    expect(r.html).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(r.html).toContain('value="quantri"');
    expect(v.cookie('bantin_session')).toBeUndefined();
  });

  it('sets an httpOnly, SameSite=Lax session cookie and follows only local ?next= paths', async () => {
    const v = new Visitor(server.url);
    const page = await v.get('/login?next=//evil.example/x');
    const res = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `bantin_pre=${v.cookie('bantin_pre')}` },
      body: new URLSearchParams({ _csrf: csrfOf(page.html), username: 'quantri', password: 'mat-khau-dai-1', next: '//evil.example/x' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('bantin_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain HTTP on the LAN: Secure only behind TLS
  });

  it('slows down guessing: after 10 wrong passwords the login form answers 429 in Vietnamese', async () => {
    await server.runtime.services.users.create(adminActor, { username: 'doan', password: 'mat-khau-that-1', displayName: 'Người Bị Đoán', role: 'reader' });
    const v = new Visitor(server.url);
    for (let i = 0; i < 10; i++) expect((await v.submit('/login', '/login', { username: 'doan', password: `sai-${i}` })).status).toBe(401);
    const blocked = await v.submit('/login', '/login', { username: 'doan', password: 'mat-khau-that-1' });
    expect(blocked.status).toBe(429);
    expect(blocked.html).toContain('Đăng nhập sai quá nhiều lần');
    expect(v.cookie('bantin_session')).toBeUndefined();
  });

  it('logout ends the session on the server, not only in the browser', async () => {
    const v = new Visitor(server.url);
    await signIn(v, 'quantri', 'mat-khau-dai-1');
    const token = v.cookie('bantin_session');
    expect(token).toBeDefined();
    const home = await v.get('/');
    expect((await v.post('/logout', { _csrf: csrfOf(home.html) })).location).toBe('/login');
    expect(server.runtime.services.auth.authenticate(decodeURIComponent(token!))).toBeNull();
  });
});

describe('behind a TLS proxy', () => {
  it('marks the session cookie Secure when the proxy says the request came over https', async () => {
    const proxied = await startUiServer({ trustProxy: true });
    try {
      await proxied.runtime.services.auth.setup({ username: 'qt', password: 'mat-khau-dai-1', displayName: 'QT' });
      const v = new Visitor(proxied.url);
      const page = await v.get('/login');
      const res = await fetch(`${proxied.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https', cookie: `bantin_pre=${v.cookie('bantin_pre')}` },
        body: new URLSearchParams({ _csrf: csrfOf(page.html), username: 'qt', password: 'mat-khau-dai-1' }).toString(),
      });
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie().find((c) => c.startsWith('bantin_session='))).toMatch(/;\s*Secure/i);
    } finally {
      await proxied.close();
    }
  });
});

describe('CSRF on every form', () => {
  it('refuses a signed-in post without a token, with a wrong token, or from another origin', async () => {
    const before = server.runtime.services.sections.list(adminActor).length;
    expect((await admin.post('/sections', { title: 'Không token' })).status).toBe(403);
    expect((await admin.post('/sections', { _csrf: 'x'.repeat(32), title: 'Sai token' })).status).toBe(403);
    const token = csrfOf((await admin.get('/sections')).html);
    expect((await admin.post('/sections', { _csrf: token, title: 'Khác nguồn' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect(server.runtime.services.sections.list(adminActor).length).toBe(before);
    const ok = await admin.post('/sections', { _csrf: token, title: 'Gương chi bộ, đảng viên' });
    expect(ok.status).toBe(303);
    expect(server.runtime.services.sections.list(adminActor).map((s) => s.title)).toContain('Gương chi bộ, đảng viên');
  });

  it("does not accept another session's token", async () => {
    const other = new Visitor(server.url);
    await signIn(other, 'quantri', 'mat-khau-dai-1');
    const otherToken = csrfOf((await other.get('/sections')).html);
    expect((await admin.post('/sections', { _csrf: otherToken, title: 'Token người khác' })).status).toBe(403);
  });
});

describe('roles', () => {
  let contributor: Visitor;
  let editor: Visitor;

  beforeAll(async () => {
    await server.runtime.services.users.create(adminActor, { username: 'ctv', password: 'mat-khau-ctv-1', displayName: 'Lê Văn Cộng', role: 'contributor', unitId });
    await server.runtime.services.users.create(adminActor, { username: 'btv', password: 'mat-khau-btv-1', displayName: 'Phạm Thị Biên', role: 'editor' });
    contributor = new Visitor(server.url);
    await signIn(contributor, 'ctv', 'mat-khau-ctv-1');
    editor = new Visitor(server.url);
    await signIn(editor, 'btv', 'mat-khau-btv-1');
  });

  it('sends signed-out visitors to login, remembering where they were going', async () => {
    const r = await new Visitor(server.url).get('/review?state=submitted');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/login?next=%2Freview%3Fstate%3Dsubmitted');
  });

  it('refuses each role the pages it must not open (403, Vietnamese page)', async () => {
    for (const path of ['/users', '/units', '/audit', '/review', '/sections']) {
      const r = await contributor.get(path);
      expect(r.status, `contributor ${path}`).toBe(403);
      expect(r.html).toContain('Không có quyền');
    }
    for (const path of ['/users', '/units', '/audit']) expect((await editor.get(path)).status, `editor ${path}`).toBe(403);
    for (const path of ['/articles/new', '/review']) expect((await admin.get(path)).status === 200 || path === '/review', `admin ${path}`).toBe(true);
  });

  it('refuses a forbidden form post even with a valid token, and changes nothing', async () => {
    const token = csrfOf((await contributor.get('/')).html);
    const before = server.runtime.store.units.list().length;
    const r = await contributor.post('/units', { _csrf: token, name: 'Đơn vị lạ', kind: 'other' });
    expect(r.status).toBe(403);
    expect(server.runtime.store.units.list().length).toBe(before);
  });

  it('shows each role only the menu entries it may use', async () => {
    const c = (await contributor.get('/')).html;
    expect(c).toContain('href="/articles/new"');
    expect(c).not.toContain('href="/review"');
    expect(c).not.toContain('href="/users"');
    const e = (await editor.get('/')).html;
    expect(e).toContain('href="/review"');
    expect(e).not.toContain('href="/audit"');
  });

  it("answers 404 for another unit's article, as if it did not exist", async () => {
    const otherUnit = server.runtime.services.units.create(adminActor, { name: 'Đảng ủy phường An Lạc', kind: 'ward_committee' }).id;
    await server.runtime.services.users.create(adminActor, { username: 'ctv2', password: 'mat-khau-ctv-2', displayName: 'Đỗ Minh', role: 'contributor', unitId: otherUnit });
    const other = new Visitor(server.url);
    await signIn(other, 'ctv2', 'mat-khau-ctv-2');
    const token = csrfOf((await other.get('/articles/new')).html);
    const sent = await other.post('/articles/new', { _csrf: token, title: 'Tin phường An Lạc', bodyHtml: '<p>Nội dung</p>' });
    expect(sent.status).toBe(303);
    const r = await contributor.get(sent.location!);
    expect(r.status).toBe(404);
    expect(r.html).not.toContain('Tin phường An Lạc');
  });
});

describe('bad input on admin forms', () => {
  it('keeps the typed values and names the field in Vietnamese; the user is not created', async () => {
    const r = await admin.submit('/users', '/users', { username: 'nguoi moi', displayName: 'Người Mới', password: 'ngan', role: 'editor', unitId: '' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('value="Người Mới"');
    expect(r.html).toMatch(/Tên đăng nhập: chỉ được gồm chữ, số/);
    expect(r.html).toMatch(/Mật khẩu: cần ít nhất 8 ký tự/);
    expect(server.runtime.store.users.list().some((u) => u.displayName === 'Người Mới')).toBe(false);
  });

  it('answers a cut-off upload with 400 and an oversized form with 413, never a server error', async () => {
    const token = csrfOf((await admin.get('/articles/new')).html);
    const cut = await admin.post('/articles/new', {}, { 'content-type': 'multipart/form-data; boundary=XYZ' });
    expect(cut.status).toBe(400);
    expect(cut.html).toContain('Dữ liệu gửi lên không đầy đủ');
    const huge = await admin.post('/sections', { _csrf: token, title: 'x'.repeat(11 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.html).toContain('Dữ liệu gửi lên quá lớn.');
  });

  it('answers 404 with a Vietnamese page for an unknown article or user id', async () => {
    expect((await admin.get('/articles/999999')).status).toBe(404);
    expect((await admin.get('/users/abc')).status).toBe(404);
    const r = await admin.get('/khong-co-trang-nay');
    expect(r.status).toBe(404);
    expect(r.html).toContain('Trang này không tồn tại');
    const api = await fetch(`${server.url}/khong-co-trang-nay`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('bulletin profile and licence notice', () => {
  it('refuses an incomplete profile keeping the input, then warns on the dashboard when the licence nears expiry', async () => {
    const fields = {
      name: 'Thông báo Nội bộ', publisher: 'Ban Tuyên giáo và Dân vận Tỉnh ủy', address: '01 Đường 30/4, Tây Ninh', responsible: 'Nguyễn Văn A',
      frequency: '1 kỳ/tháng', printShop: 'Công ty In Tây Ninh', licenceNumber: '12/GP-STTTT', licenceDate: '2026-01-05', licenceIssuer: 'Sở Văn hóa',
    };
    const bad = await admin.submit('/bulletin', '/bulletin', { ...fields, licenceExpires: '' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('value="12/GP-STTTT"');
    expect(bad.html).toContain('Giấy phép:');
    expect(server.runtime.services.bulletin.current()).toBeUndefined();

    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    expect((await admin.submit('/bulletin', '/bulletin', { ...fields, licenceExpires: soon })).status).toBe(303);
    const home = await admin.get('/');
    expect(home.html).toContain('Giấy phép xuất bản số 12/GP-STTTT sẽ hết hạn');
  });
});

describe('own account', () => {
  it('refuses a wrong current password, then changes it and ends the old sessions', async () => {
    await server.runtime.services.users.create(adminActor, { username: 'doimk', password: 'mat-khau-cu-1', displayName: 'Người Đổi', role: 'editor' });
    const v = new Visitor(server.url);
    await signIn(v, 'doimk', 'mat-khau-cu-1');
    const wrong = await v.submit('/account', '/account/password', { currentPassword: 'khong-dung-1', newPassword: 'mat-khau-moi-1', passwordConfirm: 'mat-khau-moi-1' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Mật khẩu hiện tại không đúng.');
    const old = v.cookie('bantin_session')!;
    const ok = await v.submit('/account', '/account/password', { currentPassword: 'mat-khau-cu-1', newPassword: 'mat-khau-moi-1', passwordConfirm: 'mat-khau-moi-1' });
    expect(ok.location).toBe('/login');
    expect(server.runtime.services.auth.authenticate(decodeURIComponent(old))).toBeNull();
    await signIn(new Visitor(server.url), 'doimk', 'mat-khau-moi-1');
  });
});

describe('administration screens', () => {
  it('merges one unit into another from the units page; the old one stays in the tree, marked', async () => {
    const from = server.runtime.services.units.create(adminActor, { name: 'Đảng ủy xã Cũ', kind: 'commune_committee' }).id;
    const into = server.runtime.services.units.create(adminActor, { name: 'Đảng ủy xã Mới', kind: 'commune_committee' }).id;
    const same = await admin.submit('/units', '/units/merge', { from: String(from), into: String(from), date: '2026-07-01' });
    expect(same.status).toBe(400);
    expect(same.html).toContain('Hãy chọn một đơn vị khác');
    expect(server.runtime.store.units.get(from)!.validTo).toBeNull();
    const r = await admin.submit('/units', '/units/merge', { from: String(from), into: String(into), date: '2026-07-01' });
    expect(r.status).toBe(303);
    const tree = (await admin.get('/units')).html;
    expect(tree).toMatch(/class="ended">Đảng ủy xã Cũ<\/span>[\s\S]*?đến 01\/07\/2026, sáp nhập vào Đảng ủy xã Mới/);
    expect(tree).toContain('hợp nhất từ: Đảng ủy xã Cũ');
  });

  it('disables an account from the user page: its sessions end and it cannot sign in', async () => {
    const u = await server.runtime.services.users.create(adminActor, { username: 'khoa', password: 'mat-khau-khoa-1', displayName: 'Sẽ Bị Khóa', role: 'editor' });
    const v = new Visitor(server.url);
    await signIn(v, 'khoa', 'mat-khau-khoa-1');
    expect((await v.get('/review')).status).toBe(200);
    const r = await admin.submit(`/users/${u.id}`, `/users/${u.id}`, { action: 'disable' });
    expect(r.status).toBe(303);
    expect((await v.get('/review')).status).toBe(303); // back to login
    expect((await new Visitor(server.url).submit('/login', '/login', { username: 'khoa', password: 'mat-khau-khoa-1' })).status).toBe(401);
    const page = await admin.get(`/users/${u.id}`);
    expect(page.html).toContain('bị khóa');
  });

  it('changes a role from the user page and refuses an admin demoting themself', async () => {
    const u = await server.runtime.services.users.create(adminActor, { username: 'doivaitro', password: 'mat-khau-dvt-1', displayName: 'Đổi Vai Trò', role: 'contributor', unitId });
    expect((await admin.submit(`/users/${u.id}`, `/users/${u.id}`, { action: 'profile', displayName: 'Đổi Vai Trò', role: 'editor', unitId: '' })).status).toBe(303);
    expect(server.runtime.store.users.get(u.id)!.role).toBe('editor');
    const self = await admin.submit(`/users/${adminActor.id}`, `/users/${adminActor.id}`, { action: 'profile', displayName: 'Quản trị', role: 'editor', unitId: '' });
    expect(self.status).toBe(422);
    expect(self.html).toContain('Không thể tự hạ quyền');
    expect(server.runtime.store.users.get(adminActor.id)!.role).toBe('admin');
  });
});
