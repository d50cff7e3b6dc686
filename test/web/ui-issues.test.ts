/**
 * The issue screens over real HTTP (real app, real SQLite file in a temp dir, no typesetting here):
 * creating an issue, assembling it with the no-JavaScript buttons and the drag-and-drop order post,
 * the distribution list, refusals with Vietnamese reasons and the input kept, role refusals, CSRF,
 * and download links. The browser test (ui-issues-browser) typesets once and looks at the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULLETIN, PASSWORD, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';
import { csrfOf, signIn, Visitor } from './ui-harness.ts';

let srv: TestServer;
let admin: string;
let editorToken: string;
let unitA: number;
let unitB: number;
const articleIds: number[] = [];
let submittedId: number;
const TITLES = ['Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh', 'Chi bộ ấp Trường Đông làm theo lời Bác', 'Đảng viên trẻ với chuyển đổi số'];

async function visitor(username: string): Promise<Visitor> {
  const v = new Visitor(srv.url);
  await signIn(v, username, PASSWORD);
  return v;
}

interface IssueBody {
  id: number;
  state: string;
  sections: { title: string; articleIds: number[] }[];
  distribution: { unitId: number | null; unit: string; copies: number }[];
}

async function issueJson(id: number): Promise<IssueBody> {
  return (await srv.api<IssueBody>('GET', `/issues/${id}`, { token: editorToken })).body;
}

beforeAll(async () => {
  srv = await startTestServer();
  admin = await setupAdmin(srv.api);
  unitA = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Hòa Thành', kind: 'commune_committee' } })).body.id;
  unitB = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy phường Tân Ninh', kind: 'ward_committee' } })).body.id;
  editorToken = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief');
  await userWithRole(srv.api, admin, 'nhain', 'print_shop');
  await userWithRole(srv.api, admin, 'chibo', 'reader', unitA);
  const contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor', unitA)).token;
  expect((await srv.api('PUT', '/bulletin', { token: admin, json: BULLETIN })).status).toBe(200);
  for (const title of TITLES) {
    const a = await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title, bodyHtml: `<p>${title}.</p>` } });
    for (const to of ['in_review', 'approved']) expect((await srv.api('POST', `/articles/${a.body.id}/transition`, { token: editorToken, json: { to } })).status).toBe(200);
    articleIds.push(a.body.id);
  }
  submittedId = (await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title: 'Bài chưa duyệt', bodyHtml: '<p>x</p>' } })).body.id;
}, 60_000);

afterAll(async () => {
  await srv?.close();
});

describe('issue list and creation', () => {
  it('keeps what was typed and creates nothing when the print run is not a number', async () => {
    const editor = await visitor('bientap');
    const r = await editor.submit('/issues', '/issues', { number: '11', date: '2026-11-15', printRun: 'ba nghìn', layout: 'standard', trimWidth: '190', trimHeight: '270' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('Số lượng in');
    expect(r.html).toContain('value="ba nghìn"');
    expect((await srv.api<{ items: unknown[] }>('GET', '/issues', { token: editorToken })).body.items).toHaveLength(0);
  });

  it('refuses a form posted without its CSRF token', async () => {
    const editor = await visitor('bientap');
    const r = await editor.post('/issues', { number: '11', date: '2026-11-15', printRun: '3110' });
    expect(r.status).toBe(403);
    expect((await srv.api<{ items: unknown[] }>('GET', '/issues', { token: editorToken })).body.items).toHaveLength(0);
  });

  it('creates an issue from the form and lists it with its Vietnamese state', async () => {
    const editor = await visitor('bientap');
    const r = await editor.submit('/issues', '/issues', { number: '11', date: '2026-11-15', printRun: '3.110', layout: 'standard', trimWidth: '190', trimHeight: '270' });
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^\/issues\/\d+$/);
    const list = await editor.get('/issues');
    expect(list.html).toContain('Số 11 – Tháng 11/2026');
    expect(list.html).toContain('Đang biên tập');
    expect(list.html).toContain('3.110');
    const again = await editor.submit('/issues', '/issues', { number: '11', date: '2026-11-20', printRun: '100' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('Số 11 năm 2026 đã có.');
  });
});

describe('assembly', () => {
  let id: number;
  let editor: Visitor;
  const plan = async (fields: Record<string, string>) => editor.submit(`/issues/${id}`, `/issues/${id}/plan`, fields);

  beforeAll(async () => {
    id = (await srv.api<{ items: { id: number }[] }>('GET', '/issues', { token: editorToken })).body.items[0]!.id;
    editor = await visitor('bientap');
  });

  it('places approved articles into sections, new sections included; placed articles become scheduled', async () => {
    expect((await plan({ edit: 'add', articleId: String(articleIds[0]), newSection: 'Văn bản, chính sách mới' })).status).toBe(303);
    expect((await plan({ edit: 'add', articleId: String(articleIds[1]), newSection: 'Gương chi bộ, đảng viên' })).status).toBe(303);
    expect((await plan({ edit: 'add', articleId: String(articleIds[2]), section: 'Gương chi bộ, đảng viên' })).status).toBe(303);
    expect((await issueJson(id)).sections).toEqual([
      expect.objectContaining({ title: 'Văn bản, chính sách mới', articleIds: [articleIds[0]] }),
      expect.objectContaining({ title: 'Gương chi bộ, đảng viên', articleIds: [articleIds[1], articleIds[2]] }),
    ]);
    expect((await srv.api<{ state: string }>('GET', `/articles/${articleIds[2]}`, { token: editorToken })).body.state).toBe('scheduled');
    const page = await editor.get(`/issues/${id}`);
    expect(page.html).toContain('Chi bộ ấp Trường Đông làm theo lời Bác');
    expect(page.html).toContain(`value="down:${articleIds[1]}"`);
  });

  it('moves articles with the up/down buttons, across the section boundary too', async () => {
    await plan({ edit: `up:${articleIds[2]}` });
    expect((await issueJson(id)).sections[1]!.articleIds).toEqual([articleIds[2], articleIds[1]]);
    await plan({ edit: `up:${articleIds[2]}` });
    const s = (await issueJson(id)).sections;
    expect(s[0]!.articleIds).toEqual([articleIds[0], articleIds[2]]);
    expect(s[1]!.articleIds).toEqual([articleIds[1]]);
    await plan({ edit: 'section-down:0' });
    expect((await issueJson(id)).sections.map((x) => x.title)).toEqual(['Gương chi bộ, đảng viên', 'Văn bản, chính sách mới']);
  });

  it('saves the order the drag-and-drop script posts', async () => {
    const order = [
      { title: 'Văn bản, chính sách mới', articleIds: [articleIds[0]] },
      { title: 'Gương chi bộ, đảng viên', articleIds: [articleIds[1], articleIds[2]] },
    ];
    expect((await plan({ edit: 'order', order: JSON.stringify(order) })).status).toBe(303);
    expect((await issueJson(id)).sections.map((x) => x.articleIds)).toEqual(order.map((o) => o.articleIds));
  });

  it('refuses an article that is not approved, says why in Vietnamese and leaves the plan as it was', async () => {
    const before = (await issueJson(id)).sections;
    const r = await plan({ edit: 'add', articleId: String(submittedId), section: 'Gương chi bộ, đảng viên' });
    expect(r.status).toBe(422);
    expect(r.html).toContain('Chỉ xếp được bài đã duyệt và chưa nằm trong số khác.');
    expect((await issueJson(id)).sections).toEqual(before);
    const garbled = await plan({ edit: 'order', order: '{không phải json' });
    expect(garbled.status).toBe(400);
    expect((await issueJson(id)).sections).toEqual(before);
  });

  it('removes an article from the issue: it is approved again and offered for placing', async () => {
    await plan({ edit: `remove:${articleIds[1]}` });
    expect((await issueJson(id)).sections[1]!.articleIds).toEqual([articleIds[2]]);
    expect((await srv.api<{ state: string }>('GET', `/articles/${articleIds[1]}`, { token: editorToken })).body.state).toBe('approved');
    const page = await editor.get(`/issues/${id}`);
    expect(page.html).toMatch(new RegExp(`<option value="${articleIds[1]}"[^>]*>Chi bộ ấp Trường Đông`));
  });

  it('allocates the print run over the units by default and exports the list as CSV', async () => {
    const r = await editor.submit(`/issues/${id}`, `/issues/${id}/distribution`, { allocate: 'default' });
    expect(r.status).toBe(303);
    const d = (await issueJson(id)).distribution;
    expect(d.reduce((n, x) => n + x.copies, 0)).toBe(3110);
    expect(d.map((x) => x.unitId).sort()).toEqual([unitA, unitB].sort());
    const csv = await editor.get(`/issues/${id}/distribution.csv`);
    // (fetch's text() drops the UTF-8 BOM the file starts with, so the first line reads clean here)
    expect(csv.html.split('\r\n')[0]).toBe('Đơn vị nhận,Số bản');
    expect(csv.html).toContain('Đảng ủy xã Hòa Thành,1555');
    expect(csv.html).toContain('Tổng,3110');
  });

  it('keeps typed copies when one is refused, and stores nothing of that form', async () => {
    const before = (await issueJson(id)).distribution;
    const r = await editor.submit(`/issues/${id}`, `/issues/${id}/distribution`, { [`copies_${unitA}`]: '-5', [`copies_${unitB}`]: '3000' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('value="-5"');
    expect((await issueJson(id)).distribution).toEqual(before);
  });

  it('shows the editor-in-chief why sign-off is refused before typesetting', async () => {
    const chief = await visitor('tongbientap');
    const r = await chief.submit(`/issues/${id}`, `/issues/${id}/sign-off`, {});
    expect(r.status).toBe(422);
    expect(r.html).toContain('Chưa duyệt in được số này.');
    expect(r.html).toContain('Số này chưa được dàn trang.');
    expect((await issueJson(id)).state).toBe('draft');
    const publish = await chief.submit(`/issues/${id}`, `/issues/${id}/publish`, { visibility: 'all' });
    expect(publish.status).toBe(422);
    expect(publish.html).toContain('Tổng biên tập chưa duyệt in số này.');
    const send = await chief.submit(`/issues/${id}`, `/issues/${id}/send-to-print`, {});
    expect(send.status).toBe(422);
    expect(send.html).toContain('Chưa gửi nhà in được số này.');
    expect((await issueJson(id)).state).toBe('draft');
  });

  it('refuses to typeset an issue with no articles and says so; unknown issues are 404 pages', async () => {
    const r = await editor.submit('/issues', '/issues', { number: '12', date: '2026-12-15', printRun: '3110' });
    const empty = Number(/\/issues\/(\d+)/.exec(r.location ?? '')?.[1]);
    const t = await editor.submit(`/issues/${empty}`, `/issues/${empty}/typeset`, {});
    expect(t.status).toBe(422);
    expect(t.html).toContain('Số này chưa có bài nào.');
    expect((await srv.api<{ latestJob: unknown }>('GET', `/issues/${empty}`, { token: editorToken })).body.latestJob).toBeNull();
    expect((await editor.get('/issues/999999')).status).toBe(404);
    expect((await editor.get('/issues/abc')).status).toBe(404);
  });
});

describe('who may open what', () => {
  it('refuses the assembly screen to readers and contributors, and sign-off to editors', async () => {
    const id = (await srv.api<{ items: { id: number }[] }>('GET', '/issues', { token: editorToken })).body.items[0]!.id;
    for (const name of ['chibo', 'ctv', 'nhain']) {
      const v = await visitor(name);
      expect((await v.get(`/issues/${id}`)).status).toBe(403);
      expect((await v.get('/issues')).status).toBe(403);
    }
    const editor = await visitor('bientap');
    const page = await editor.get(`/issues/${id}`);
    expect(page.html).not.toContain(`/issues/${id}/sign-off`);
    expect((await editor.post(`/issues/${id}/sign-off`, { _csrf: csrfOf(page.html) })).status).toBe(403);
  });

  it('hides unpublished issues from the portal: not in the archive, 404 by URL, not found by search', async () => {
    const id = (await srv.api<{ items: { id: number }[] }>('GET', '/issues', { token: editorToken })).body.items[0]!.id;
    for (const name of ['ctv', 'chibo']) {
      const v = await visitor(name);
      const archive = await v.get('/archive?q=dang%20vien');
      expect(archive.status).toBe(200);
      expect(archive.html).not.toContain('Số 11 – Tháng 11/2026');
      expect(archive.html).toContain('Không tìm thấy bài nào.');
      expect((await v.get(`/archive/${id}`)).status).toBe(404);
    }
    expect((await (await visitor('chibo')).get('/print')).status).toBe(403);
  });
});

describe('download links', () => {
  it('creates a link for a unit, shows its URL once, and revoking it closes it', async () => {
    const editor = await visitor('bientap');
    const bad = await editor.submit('/download-links', '/download-links', { unitId: String(unitA), expiresAt: 'mai' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('value="mai"');
    const r = await editor.submit('/download-links', '/download-links', { unitId: String(unitA), expiresAt: '2099-12-31' });
    expect(r.status).toBe(201);
    const url = /id="new-link" value="([^"]+)"/.exec(r.html)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/d\/[A-Za-z0-9_-]+$/);
    expect((await fetch(url!)).status).toBe(200);
    expect((await editor.get('/download-links')).html).not.toContain(url!);
    const linkId = /action="\/download-links\/(\d+)\/revoke"/.exec(r.html)?.[1];
    const revoked = await editor.submit('/download-links', `/download-links/${linkId}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await fetch(url!)).status).toBe(403);
    expect((await editor.get('/download-links')).html).toContain('Đã thu hồi');
  });
});

describe('reports', () => {
  it('counts issues per year and articles per unit (units that never sent anything included), with CSV', async () => {
    const editor = await visitor('bientap');
    const r = await editor.get('/reports');
    expect(r.status).toBe(200);
    expect(r.html).toContain('Số bản tin theo năm');
    expect(r.html).toMatch(/<td>2026<\/td><td class="num">2<\/td>/); // Số 11 and Số 12, neither printed yet
    // four articles from Hòa Thành, none from Tân Ninh
    expect(r.html).toMatch(/<td>Đảng ủy xã Hòa Thành<\/td><td class="num">4<\/td>/);
    expect(r.html).toMatch(/<td>Đảng ủy phường Tân Ninh<\/td><td class="num">0<\/td>/);
    const csv = await editor.get('/reports/articlesPerUnit.csv');
    expect(csv.status).toBe(200);
    expect(csv.html.split('\r\n')).toContain('Đảng ủy xã Hòa Thành,4');
    expect((await editor.get('/reports/nothing.csv')).status).toBe(404);
  });

  it('are refused to readers, contributors and print shops', async () => {
    for (const name of ['chibo', 'ctv', 'nhain']) expect((await (await visitor(name)).get('/reports')).status).toBe(403);
  });
});
