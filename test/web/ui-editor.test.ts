/**
 * The article screens over real HTTP: two editors saving the same version (conflict screen, 409, nothing
 * overwritten), the soft lock banner and the editor-in-chief's takeover keeping the holder's draft, and
 * refused uploads (wrong type, broken photo) that leave the form filled and store nothing.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toActor } from '../../src/workflow/auth.ts';
import type { Actor } from '../../src/domain/user.ts';
import { csrfOf, signIn, startUiServer, Visitor, type UiServer } from './ui-harness.ts';

let server: UiServer;
let contributorActor: Actor;
const visitors: Record<string, Visitor> = {};

beforeAll(async () => {
  server = await startUiServer();
  const { services } = server.runtime;
  const admin = toActor(await services.auth.setup({ username: 'quantri', password: 'mat-khau-qt-1', displayName: 'Quản Trị' }));
  const unit = services.units.create(admin, { name: 'Đảng ủy phường Long Hoa', kind: 'ward_committee' });
  const people = [
    { username: 'ctv', displayName: 'Lê Văn Cộng', role: 'contributor', unitId: unit.id },
    { username: 'btv1', displayName: 'Phạm Thị Biên', role: 'editor' },
    { username: 'btv2', displayName: 'Võ Văn Tập', role: 'editor' },
    { username: 'tbt', displayName: 'Trần Tổng Biên', role: 'editor_in_chief' },
  ] as const;
  for (const p of people) {
    const u = await services.users.create(admin, { ...p, password: `mat-khau-${p.username}-1` });
    if (p.role === 'contributor') contributorActor = toActor(u);
    visitors[p.username] = new Visitor(server.url);
    await signIn(visitors[p.username]!, p.username, `mat-khau-${p.username}-1`);
  }
});
afterAll(async () => {
  await server.close();
});

async function newArticle(title: string): Promise<number> {
  const a = await server.runtime.services.articles.submit(contributorActor, { title, bodyHtml: '<p>Đoạn thứ nhất.</p><p>Đoạn thứ hai.</p>' });
  return a.id;
}

function editFields(html: string): Record<string, string> {
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  return { _csrf: csrfOf(html), version: field('version'), title: field('title') };
}

describe('two editors save the same version', () => {
  it('shows the second one a conflict screen with both versions (409) and keeps the first save', async () => {
    const id = await newArticle('Hội nghị sơ kết công tác dân vận');
    const first = await visitors.btv1!.get(`/articles/${id}/edit`);
    const second = await visitors.btv2!.get(`/articles/${id}/edit`);
    expect(second.html).toContain('đang được sửa bởi Phạm Thị Biên');
    const a = editFields(first.html);
    const b = editFields(second.html);
    expect(a.version).toBe('1');
    expect(b.version).toBe('1');

    const saved = await visitors.btv1!.post(`/articles/${id}/edit`, { ...a, title: 'Hội nghị sơ kết 6 tháng công tác dân vận', bodyHtml: '<p>Đoạn thứ nhất đã sửa.</p><p>Đoạn thứ hai.</p>', after: 'save' });
    expect(saved.status).toBe(303);

    const clash = await visitors.btv2!.post(`/articles/${id}/edit`, { ...b, title: 'Sơ kết công tác dân vận', bodyHtml: '<p>Đoạn thứ nhất.</p><p>Đoạn thứ hai, bản của người thứ hai.</p>', after: 'save' });
    expect(clash.status).toBe(409);
    expect(clash.html).toContain('Bài đã bị người khác sửa');
    expect(clash.html).toContain('Hội nghị sơ kết 6 tháng công tác dân vận'); // the saved version
    expect(clash.html).toContain('Sơ kết công tác dân vận'); // yours, not lost
    expect(clash.html).toContain('bản của người thứ hai');
    expect(clash.html).toContain('<ins class="diff">');

    const stored = server.runtime.store.articles.get(id)!;
    expect(stored.title).toBe('Hội nghị sơ kết 6 tháng công tác dân vận');
    expect(stored.version).toBe(2);

    // "Lưu bản của tôi" from the conflict screen posts against the current version on purpose.
    const keepMine = await visitors.btv2!.post(`/articles/${id}/edit`, { ...editFields(clash.html.replace(/name="title" value="[^"]*"/, 'name="title" value="Sơ kết công tác dân vận"')), bodyHtml: '<p>Bản cuối.</p>', after: 'save' });
    expect(keepMine.status).toBe(303);
    expect(server.runtime.store.articles.get(id)!.version).toBe(3);
    expect(server.runtime.store.articles.revisions(id).map((r) => r.version)).toEqual([1, 2, 3]);
  });
});

describe('soft lock', () => {
  it("lets the editor-in-chief take over and keeps the holder's unsaved draft as a revision", async () => {
    const id = await newArticle('Kết quả phát triển đảng viên mới');
    const held = await visitors.btv1!.get(`/articles/${id}/edit`);
    // The page's keep-alive (app.js) sends the unsaved text with the lock refresh.
    const beat = await visitors.btv1!.post(`/articles/${id}/lock`, { _csrf: csrfOf(held.html), title: 'Kết quả phát triển đảng viên mới năm 2026', bodyHtml: '<p>Nháp chưa lưu của biên tập viên.</p>' });
    expect(beat.status).toBe(204);

    const view = await visitors.btv2!.get(`/articles/${id}`);
    expect(view.html).toContain('đang được sửa bởi Phạm Thị Biên');
    expect(view.html).not.toContain('/lock/takeover'); // an editor cannot take over
    expect((await visitors.btv2!.post(`/articles/${id}/lock/takeover`, { _csrf: csrfOf(view.html) })).status).toBe(403);

    const chief = await visitors.tbt!.get(`/articles/${id}`);
    expect(chief.html).toContain(`/articles/${id}/lock/takeover`);
    const took = await visitors.tbt!.post(`/articles/${id}/lock/takeover`, { _csrf: csrfOf(chief.html) });
    expect(took.status).toBe(303);
    expect(took.location).toBe(`/articles/${id}/edit`);
    const kept = server.runtime.store.articles.revisions(id).find((r) => r.kind === 'kept_draft');
    expect(kept?.bodyHtml).toContain('Nháp chưa lưu của biên tập viên.');

    // The former holder's next keep-alive learns that the article was taken over.
    expect((await visitors.btv1!.post(`/articles/${id}/lock`, { _csrf: csrfOf(held.html) })).status).toBe(409);
  });
});

describe('review moves', () => {
  it('asks for a reason before returning, and refuses a move the state does not allow with 422; nothing changes', async () => {
    const id = await newArticle('Bài chờ duyệt');
    const page = await visitors.btv1!.get(`/articles/${id}`);
    const token = csrfOf(page.html);
    const skip = await visitors.btv1!.post(`/articles/${id}/transition`, { _csrf: token, to: 'approved' });
    expect(skip.status).toBe(422);
    expect(skip.html).toContain('Không thể chuyển bài sang trạng thái “Đã duyệt”');
    expect((await visitors.btv1!.post(`/articles/${id}/transition`, { _csrf: token, to: 'in_review' })).status).toBe(303);
    const noReason = await visitors.btv1!.post(`/articles/${id}/transition`, { _csrf: token, to: 'returned', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('Hãy ghi lý do');
    expect(server.runtime.store.articles.get(id)!.state).toBe('in_review');
    // A contributor may not review at all: 403, whatever the state.
    const own = await visitors.ctv!.get(`/articles/${id}`);
    expect((await visitors.ctv!.post(`/articles/${id}/transition`, { _csrf: csrfOf(own.html), to: 'approved' })).status).toBe(403);
    expect(server.runtime.store.articles.get(id)!.state).toBe('in_review');
  });
});

describe('closing the editor', () => {
  it('lets go of the lock so the next editor is not told the article is taken', async () => {
    const id = await newArticle('Tin hội nghị chi bộ');
    const page = await visitors.btv1!.get(`/articles/${id}/edit`);
    expect((await visitors.btv2!.get(`/articles/${id}`)).html).toContain('đang được sửa bởi Phạm Thị Biên');
    const closed = await visitors.btv1!.post(`/articles/${id}/lock/release`, { _csrf: csrfOf(page.html) });
    expect(closed.location).toBe(`/articles/${id}`);
    expect((await visitors.btv2!.get(`/articles/${id}`)).html).not.toContain('đang được sửa bởi');
  });
});

describe('refused uploads', () => {
  it('refuses a renamed executable with 415 and a Vietnamese message, keeping the typed title; nothing stored', async () => {
    const page = await visitors.ctv!.get('/articles/new');
    const before = server.runtime.store.articles.list({ limit: 500, offset: 0 }).items.length;
    const form = new FormData();
    form.set('_csrf', csrfOf(page.html));
    form.set('title', 'Bài có tệp lạ');
    form.set('file', new Blob([Buffer.from('MZ\x90\x00 this is not a document')]), 'bai-viet.docx');
    const r = await visitors.ctv!.postMultipart('/articles/new', form);
    expect(r.status).toBe(415);
    // The intake's own Vietnamese sentence names the file and what is accepted.
    expect(r.html).toMatch(/Tệp bai-viet\.docx [^<]*\.docx, \.txt/);
    expect(r.html).toContain('value="Bài có tệp lạ"');
    expect(server.runtime.store.articles.list({ limit: 500, offset: 0 }).items.length).toBe(before);
  });

  it('refuses a broken photo by name and stores nothing', async () => {
    const page = await visitors.ctv!.get('/articles/new');
    const before = server.runtime.store.articles.list({ limit: 500, offset: 0 }).items.length;
    const form = new FormData();
    form.set('_csrf', csrfOf(page.html));
    form.set('title', 'Bài có ảnh hỏng');
    form.set('bodyHtml', '<p>Nội dung</p>');
    form.append('photos', new Blob([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])]), 'anh-hong.jpg');
    const r = await visitors.ctv!.postMultipart('/articles/new', form);
    expect(r.status).toBe(400);
    expect(r.html).toContain('anh-hong.jpg');
    expect(server.runtime.store.articles.list({ limit: 500, offset: 0 }).items.length).toBe(before);
  });

  it('turns photos into captioned figures, upright and without metadata', async () => {
    const page = await visitors.ctv!.get('/articles/new');
    // 300×200 stored sideways (EXIF orientation 6 = rotate 90°) with GPS-like metadata to strip.
    const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#2a6' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const form = new FormData();
    form.set('_csrf', csrfOf(page.html));
    form.set('title', 'Bài có ảnh');
    form.set('bodyHtml', '<p>Nội dung chính.</p>');
    form.set('photoCaptions', 'Đảng viên chi bộ ấp 3 ra quân dọn vệ sinh');
    form.append('photos', new Blob([new Uint8Array(photo)]), 'anh.jpg');
    const big = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#345' } }).jpeg().toBuffer();
    form.append('photos', new Blob([new Uint8Array(big)]), 'anh-lon.jpg');
    const r = await visitors.ctv!.postMultipart('/articles/new', form);
    expect(r.status).toBe(303);
    const stored = server.runtime.store.articles.get(Number(r.location!.split('/').pop()))!;
    expect(stored.bodyHtml).toContain('<figcaption>Đảng viên chi bộ ấp 3 ra quân dọn vệ sinh</figcaption>');
    // Photos live in the picture store; the body references them by URL.
    const files = [...stored.bodyHtml.matchAll(/src="\/media\/([0-9a-f]{64}\.jpg)"/g)].map((m) => server.runtime.store.media.pathOf(m[1]!));
    expect(files).toHaveLength(2);
    const meta = await sharp(files[0]).metadata();
    expect([meta.width, meta.height]).toEqual([200, 300]);
    expect(meta.exif).toBeUndefined();
    // The second photo is capped at 2,480 px on its long edge (still 300 ppi across the page).
    const bigMeta = await sharp(files[1]).metadata();
    expect([bigMeta.width, bigMeta.height]).toEqual([2480, 1653]);
  });
});

describe('review queue', () => {
  it('finds “đảng viên” when searching “dang vien”, and filters by state and unit', async () => {
    const a = await newArticle('Kết nạp đảng viên mới ở ấp Bình Hòa');
    const b = await newArticle('Hội thao mừng Xuân');
    server.runtime.services.articles.transition(toActor(server.runtime.store.users.findForLogin('btv1')!.user), b, { to: 'in_review' });
    const search = await visitors.btv1!.get(`/review?q=${encodeURIComponent('dang vien binh hoa')}`);
    expect(search.status).toBe(200);
    expect(search.html).toContain(`/articles/${a}"`);
    expect(search.html).not.toContain(`/articles/${b}"`);
    const inReview = await visitors.btv1!.get('/review?state=in_review');
    expect(inReview.html).toContain(`/articles/${b}"`);
    expect(inReview.html).not.toContain(`/articles/${a}"`);
    const otherUnit = await visitors.btv1!.get(`/review?unitId=999999`);
    expect(otherUnit.html).toContain('Không có bài nào khớp với bộ lọc.');
  });

  it('answers a malformed filter with 400 and a Vietnamese message instead of a server error', async () => {
    const r = await visitors.btv1!.get('/review?from=hom-qua');
    expect(r.status).toBe(400);
    expect(r.html).toContain('Từ ngày: phải là một ngày hợp lệ');
  });
});

describe('assignment and deadlines', () => {
  it('assigns an article with a due date; it shows in the assignee’s work and, once late, in the overdue queue', async () => {
    const id = await newArticle('Bài cần giao');
    const page = await visitors.btv1!.get(`/articles/${id}`);
    const btv2 = server.runtime.store.users.findForLogin('btv2')!.user.id;
    const bad = await visitors.btv1!.post(`/articles/${id}/assign`, { _csrf: csrfOf(page.html), userId: String(btv2), dueDate: '30/11/2026' });
    expect(bad.status).toBe(400);
    expect(server.runtime.store.articles.get(id)!.assignedTo).toBeNull();
    const ok = await visitors.btv1!.post(`/articles/${id}/assign`, { _csrf: csrfOf(page.html), userId: String(btv2), dueDate: '2020-01-02' });
    expect(ok.status).toBe(303);
    const home = await visitors.btv2!.get('/');
    expect(home.html).toMatch(new RegExp(`Việc của tôi[\\s\\S]*?/articles/${id}"[\\s\\S]*?02/01/2020 \\(quá hạn\\)`));
    const overdue = await visitors.btv1!.get('/review?overdue=1');
    expect(overdue.html).toContain(`/articles/${id}"`);
    expect(overdue.html).toContain('Võ Văn Tập');
  });
});

describe('filing an article for a unit', () => {
  it('lets the editorial office choose the sending unit; contributors get no such choice', async () => {
    const unit = server.runtime.store.units.list()[0]!;
    const page = await visitors.btv1!.get('/articles/new');
    expect(page.html).toContain('Đơn vị gửi bài');
    expect((await visitors.ctv!.get('/articles/new')).html).not.toContain('Đơn vị gửi bài');
    const form = new FormData();
    form.set('_csrf', csrfOf(page.html));
    form.set('title', 'Tin nhận qua điện thoại');
    form.set('bodyHtml', '<p>Nội dung do Ban biên tập ghi lại.</p>');
    form.set('unitId', String(unit.id));
    const r = await visitors.btv1!.postMultipart('/articles/new', form);
    expect(r.status).toBe(303);
    expect(server.runtime.store.articles.get(Number(r.location!.split('/').pop()))!.unitId).toBe(unit.id);
  });
});
