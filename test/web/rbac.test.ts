/**
 * The RBAC matrix of DESIGN.md "Who may": every role is refused (403) every API action it must not do,
 * before any state rule applies; allowed roles get through (whatever the outcome). Contributors never see
 * another unit's articles (404, the same answer as a missing id, so ids reveal nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import { BULLETIN, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';

let srv: TestServer;
const tokens = {} as Record<Role, string>;
let unitA: number;
let unitB: number;
let articleOfA: number;
let otherContributor: string;
let counter = 0;

beforeAll(async () => {
  srv = await startTestServer();
  const admin = await setupAdmin(srv.api);
  tokens.admin = admin;
  unitA = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy phường An Tịnh', kind: 'ward_committee' } })).body.id;
  unitB = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Long Thuận', kind: 'commune_committee' } })).body.id;
  for (const role of ROLES) {
    if (role === 'admin') continue;
    tokens[role] = (await userWithRole(srv.api, admin, `u-${role}`, role, role === 'contributor' || role === 'reader' ? unitA : undefined)).token;
  }
  otherContributor = (await userWithRole(srv.api, admin, 'ctv-b', 'contributor', unitB)).token;
  articleOfA = (await srv.api<{ id: number }>('POST', '/articles', { token: tokens.contributor, json: { title: 'Bài của phường An Tịnh', bodyHtml: '<p>Nội dung</p>' } })).body.id;
});
afterAll(async () => {
  await srv.close({ removeData: true });
});

interface Case {
  action: string;
  allowed: Role[];
  call: (token: string) => Promise<number>;
}

const status = async (p: Promise<{ status: number }>) => (await p).status;

const cases: Case[] = [
  { action: 'create a unit', allowed: ['admin'], call: (t) => status(srv.api('POST', '/units', { token: t, json: { name: `Đơn vị ${++counter}`, kind: 'agency' } })) },
  { action: 'merge units', allowed: ['admin'], call: (t) => status(srv.api('POST', `/units/${unitB}/merge`, { token: t, json: { into: 999999 } })) },
  { action: 'create a user', allowed: ['admin'], call: (t) => status(srv.api('POST', '/users', { token: t, json: { username: `x${++counter}`, password: 'mat-khau-an-toan-1', displayName: 'X', role: 'reader' } })) },
  { action: 'list users', allowed: ['admin'], call: (t) => status(srv.api('GET', '/users', { token: t })) },
  { action: 'set the bulletin profile', allowed: ['admin', 'editor_in_chief'], call: (t) => status(srv.api('PUT', '/bulletin', { token: t, json: BULLETIN })) },
  { action: 'create a section', allowed: ['admin', 'editor_in_chief'], call: (t) => status(srv.api('POST', '/sections', { token: t, json: { title: `Chuyên mục ${++counter}` } })) },
  { action: 'submit an article', allowed: ['admin', 'editor_in_chief', 'editor', 'contributor'], call: (t) => status(srv.api('POST', '/articles', { token: t, json: { title: 'Tin', bodyHtml: '<p>x</p>' } })) },
  { action: 'list articles', allowed: ['admin', 'editor_in_chief', 'editor', 'contributor'], call: (t) => status(srv.api('GET', '/articles', { token: t })) },
  { action: 'read an article', allowed: ['admin', 'editor_in_chief', 'editor', 'contributor'], call: (t) => status(srv.api('GET', `/articles/${articleOfA}`, { token: t })) },
  { action: 'edit an article', allowed: ['editor_in_chief', 'editor', 'contributor'], call: (t) => status(srv.api('PATCH', `/articles/${articleOfA}`, { token: t, json: { version: 999 } })) },
  ...(['in_review', 'approved', 'returned', 'rejected'] as const).map((to) => ({
    action: `move an article to ${to}`,
    allowed: ['editor_in_chief', 'editor'] as Role[],
    // A state that forbids the move: allowed roles get 422, the others must get 403 first.
    call: (t: string) => status(srv.api('POST', `/articles/${articleOfA}/transition`, { token: t, json: { to: to === 'in_review' ? 'approved' : to, reason: 'lý do' } })),
  })),
  { action: 'assign an article', allowed: ['editor_in_chief', 'editor'], call: (t) => status(srv.api('POST', `/articles/${articleOfA}/assign`, { token: t, json: { userId: null } })) },
  { action: 'take over an edit lock', allowed: ['editor_in_chief'], call: (t) => status(srv.api('POST', `/articles/${articleOfA}/lock`, { token: t, json: { takeover: true } })) },
  { action: 'read the audit log', allowed: ['admin'], call: (t) => status(srv.api('GET', '/audit', { token: t })) },
  { action: 'see the units dashboard', allowed: ['editor_in_chief', 'editor'], call: (t) => status(srv.api('GET', '/dashboard/units-this-month', { token: t })) },
];

describe.each(cases)('$action', ({ allowed, call }) => {
  it.each(ROLES.filter((r) => !allowed.includes(r)))('refuses %s with 403', async (role) => {
    expect(await call(tokens[role])).toBe(403);
  });
  it.each(allowed)('lets %s through', async (role) => {
    const s = await call(tokens[role]);
    expect(s).not.toBe(403);
    expect(s).not.toBe(401);
  });
});

describe('authorisation before state', () => {
  it('an allowed role asking for a move the state forbids gets 422; a forbidden role gets 403 for the same request', async () => {
    const body = { to: 'approved' };
    expect((await srv.api('POST', `/articles/${articleOfA}/transition`, { token: tokens.editor, json: body })).status).toBe(422);
    expect((await srv.api('POST', `/articles/${articleOfA}/transition`, { token: tokens.contributor, json: body })).status).toBe(403);
  });
});

describe('unit scoping', () => {
  it("a contributor of another unit cannot read, edit, move, comment on or find the article (404)", async () => {
    const t = otherContributor;
    expect((await srv.api('GET', `/articles/${articleOfA}`, { token: t })).status).toBe(404);
    expect((await srv.api('PATCH', `/articles/${articleOfA}`, { token: t, json: { version: 1, title: 'Sửa trộm' } })).status).toBe(404);
    expect((await srv.api('POST', `/articles/${articleOfA}/transition`, { token: t, json: { to: 'submitted' } })).status).toBe(404);
    expect((await srv.api('POST', `/articles/${articleOfA}/comments`, { token: t, json: { body: 'x' } })).status).toBe(404);
    expect((await srv.api('GET', `/articles/${articleOfA}/revisions`, { token: t })).status).toBe(404);
    const list = await srv.api<{ items: { id: number }[] }>('GET', '/articles', { token: t });
    expect(list.body.items.map((a) => a.id)).not.toContain(articleOfA);
    const search = await srv.api<{ items: unknown[] }>('GET', '/articles?q=an%20tinh', { token: t });
    expect(search.body.items).toHaveLength(0);
    expect((await srv.api<{ title: string }>('GET', `/articles/${articleOfA}`, { token: tokens.editor })).body.title).toBe('Bài của phường An Tịnh');
  });

  it('a contributor files articles for its own unit whatever unitId it sends', async () => {
    const r = await srv.api<{ unitId: number }>('POST', '/articles', { token: tokens.contributor, json: { title: 'Tin', bodyHtml: '<p>x</p>', unitId: unitB } });
    expect(r.status).toBe(201);
    expect(r.body.unitId).toBe(unitA);
  });

  it('a disabled account loses its sessions at once', async () => {
    const { id, token } = await userWithRole(srv.api, tokens.admin, 'tam-thoi', 'editor');
    expect((await srv.api('GET', '/articles', { token })).status).toBe(200);
    expect((await srv.api('PATCH', `/users/${id}`, { token: tokens.admin, json: { disabled: true } })).status).toBe(200);
    expect((await srv.api('GET', '/articles', { token })).status).toBe(401);
    expect((await srv.api('POST', '/auth/login', { json: { username: 'tam-thoi', password: 'mat-khau-an-toan-1' } })).status).toBe(401);
    const audit = await srv.api<{ items: { action: string }[] }>('GET', '/audit?action=user.permission_changed', { token: tokens.admin });
    expect(audit.body.items).toHaveLength(1);
  });
});
