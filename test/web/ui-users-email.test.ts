/**
 * The admin's users screens and e-mail addresses (issue #7), over real HTTP with a real SQLite file: an
 * admin sees each user's address in the list, sets, corrects and clears it on the user's page; a wrong
 * address is refused with a Vietnamese message next to the field, the typed text kept and the stored
 * address unchanged; every change is audited; nobody but an admin can do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, setUpAdmin, signIn, startUiServer, Visitor, type UiServer } from './ui-harness.ts';

let server: UiServer;
let admin: Visitor;
let userId: number;

function stored(): string | null {
  return server.runtime.store.mail.email(userId);
}

async function postEmail(v: Visitor, fields: Record<string, string>) {
  const page = await v.get(`/users/${userId}`);
  return v.post(`/users/${userId}`, { _csrf: csrfOf(page.html), action: 'email', ...fields });
}

beforeAll(async () => {
  server = await startUiServer();
  admin = await setUpAdmin(server);
  const r = await admin.submit('/users', '/users', { username: 'docgia-hoahoi', displayName: 'Chi bộ Hòa Hội', password: 'mat-khau-dai-2', role: 'reader', unitId: '' });
  expect(r.status).toBe(303);
  userId = server.runtime.store.users.findForLogin('docgia-hoahoi')!.user.id;
  const e = await admin.submit('/users', '/users', { username: 'bientap', displayName: 'Biên Tập', password: 'mat-khau-dai-3', role: 'editor', unitId: '' });
  expect(e.status).toBe(303);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('e-mail address on the admin users screens', () => {
  it('starts without an address and shows the field', async () => {
    const page = await admin.get(`/users/${userId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="email">Địa chỉ thư điện tử</label>');
    expect(page.html).toContain('Chưa có địa chỉ.');
    expect(stored()).toBeNull();
  });

  it('sets an address (trimmed), shows it on the page and in the list, and audits the change', async () => {
    const r = await postEmail(admin, { email: '  chibo@hoahoi.tayninh.vn ' });
    expect(r.status).toBe(303);
    expect(stored()).toBe('chibo@hoahoi.tayninh.vn');
    const page = await admin.get(`/users/${userId}`);
    expect(page.html).toContain('Đã lưu địa chỉ thư điện tử chibo@hoahoi.tayninh.vn.');
    expect(page.html).toContain('Hiện tại: <strong>chibo@hoahoi.tayninh.vn</strong>');
    expect(page.html).toContain('value="chibo@hoahoi.tayninh.vn"');
    const list = await admin.get('/users');
    expect(list.html).toMatch(/docgia-hoahoi<\/a><\/td>[\s\S]*?<td data-label="Thư điện tử">chibo@hoahoi\.tayninh\.vn<\/td>/);
    const audit = server.runtime.store.audit.list({ action: 'user.email', targetId: String(userId), limit: 10, offset: 0 });
    expect(audit).toHaveLength(1);
  });

  it('refuses what is not an address: Vietnamese message at the field, typed text kept, stored address unchanged', async () => {
    const r = await postEmail(admin, { email: 'chibo hoahoi' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('phải là một địa chỉ thư điện tử, ví dụ ten@donvi.vn');
    expect(r.html).toMatch(/id="email" name="email" value="chibo hoahoi"[^>]*aria-invalid="true"/);
    expect(stored()).toBe('chibo@hoahoi.tayninh.vn');
    expect(server.runtime.store.audit.list({ action: 'user.email', targetId: String(userId), limit: 10, offset: 0 })).toHaveLength(1);
  });

  it('clears the address with "Xóa địa chỉ"', async () => {
    const r = await postEmail(admin, { email: 'chibo@hoahoi.tayninh.vn', clear: '1' });
    expect(r.status).toBe(303);
    expect(stored()).toBeNull();
    const page = await admin.get(`/users/${userId}`);
    expect(page.html).toContain('Đã xóa địa chỉ thư điện tử.');
    expect(page.html).toContain('Chưa có địa chỉ.');
    expect(server.runtime.store.audit.list({ action: 'user.email', targetId: String(userId), limit: 10, offset: 0 })).toHaveLength(2);
  });

  it('is refused to anyone but an admin', async () => {
    const editor = new Visitor(server.url);
    await signIn(editor, 'bientap', 'mat-khau-dai-3');
    const dash = await editor.get('/');
    const r = await editor.post(`/users/${userId}`, { _csrf: csrfOf(dash.html), action: 'email', email: 'ke-gian@example.com' });
    expect(r.status).toBe(403);
    expect(stored()).toBeNull();
  });
});
