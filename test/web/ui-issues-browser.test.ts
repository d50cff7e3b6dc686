/**
 * The issue screens in a real browser (system Chromium) against the real server with its in-process
 * typeset worker: the editor reorders with the keyboard, typesets once and follows the live progress
 * to the preview; the editor-in-chief signs off, sends to print and publishes; the print shop downloads
 * and confirms; a Party cell finds the issue in the archive and by a search without diacritics.
 * Screenshots go to a temp dir (path printed) so people can look at them.
 */
import fs from 'node:fs';
import type { Page } from 'puppeteer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clickAndWait, launchBrowserHarness, mainText, screenshot, type BrowserHarness } from './browser-harness.ts';
import { findingVi } from '../../src/web/ui/preflight-vi.ts';
import { BULLETIN, PASSWORD, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';

/** Whether the engine writes page thumbnails yet (the typesetting lane adds the option). */
const ENGINE_THUMBNAILS = fs.readFileSync(new URL('../../src/typeset/build.ts', import.meta.url), 'utf8').includes('thumbnails');
const TITLES = ['Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh', 'Chi bộ ấp Trường Đông làm theo lời Bác', 'Đảng viên trẻ với chuyển đổi số'];
let srv: TestServer;
let harness: BrowserHarness;
let browserErrors: string[] = [];
let editorToken: string;
let printerToken: string;
let unitId: number;
let issueId: number;
const articleIds: number[] = [];

const signedIn = (username: string): Promise<Page> => harness.signIn(srv.url, username, PASSWORD);
const shot = (page: Page, name: string): Promise<void> => screenshot(harness, page, name);
const text = mainText;

beforeAll(async () => {
  srv = await startTestServer();
  const admin = await setupAdmin(srv.api);
  const unit = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Hòa Thành', kind: 'commune_committee' } })).body.id;
  editorToken = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief');
  printerToken = (await userWithRole(srv.api, admin, 'nhain', 'print_shop')).token;
  await userWithRole(srv.api, admin, 'chibo', 'reader', unit);
  const otherUnit = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy phường Tân Ninh', kind: 'ward_committee' } })).body.id;
  await userWithRole(srv.api, admin, 'chibo-khac', 'reader', otherUnit);
  unitId = unit;
  const contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor', unit)).token;
  expect((await srv.api('PUT', '/bulletin', { token: admin, json: BULLETIN })).status).toBe(200);
  for (const title of TITLES) {
    const body = `<p>${title}: Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến, với sự tham dự của hơn 3.000 đảng viên.</p>`.repeat(6);
    const a = await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title, bodyHtml: body, author: 'Trần Thị Ẩn' } });
    for (const to of ['in_review', 'approved']) await srv.api('POST', `/articles/${a.body.id}/transition`, { token: editorToken, json: { to } });
    articleIds.push(a.body.id);
  }
  issueId = (await srv.api<{ id: number }>('POST', '/issues', { token: editorToken, json: { number: 11, date: '2026-11-15', printRun: 3110, distribution: [{ unitId: unit, copies: 3110 }] } })).body.id;
  const plan = { sections: [{ title: 'Gương chi bộ, đảng viên', articleIds: [articleIds[1], articleIds[2]] }, { title: 'Văn bản, chính sách mới', articleIds: [articleIds[0]] }] };
  expect((await srv.api('PUT', `/issues/${issueId}/plan`, { token: editorToken, json: plan })).status).toBe(200);
  harness = await launchBrowserHarness('bantin-issue-shots-');
  browserErrors = harness.errors;
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await srv?.close();
});

describe('composing, printing and reading an issue in the browser', () => {
  afterEach(() => {
    expect(browserErrors).toEqual([]);
  });

  it('editor reorders with the keyboard and by drag and drop, typesets, and sees the preview with start pages', async () => {
    const page = await signedIn('bientap');
    await page.goto(`${srv.url}/issues/${issueId}`);
    await shot(page, '01-assembly');
    // Keyboard alternative to drag and drop: focus "↓" of the first article and press Enter.
    await page.focus(`button[value="down:${articleIds[1]}"]`);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const plan = (await srv.api<{ sections: { articleIds: number[] }[] }>('GET', `/issues/${issueId}`, { token: editorToken })).body.sections;
    expect(plan[0]!.articleIds).toEqual([articleIds[2], articleIds[1]]);
    // Drag and drop: the second article of the first section onto the article of the second section.
    const source = await page.$(`li.plan-article[data-id="${articleIds[1]}"]`);
    const target = await page.$(`li.plan-article[data-id="${articleIds[0]}"]`);
    await Promise.all([page.waitForNavigation(), target!.drop(source!)]);
    const dragged = (await srv.api<{ sections: { articleIds: number[] }[] }>('GET', `/issues/${issueId}`, { token: editorToken })).body.sections;
    expect(dragged.map((x) => x.articleIds)).toEqual([[articleIds[2]], [articleIds[1], articleIds[0]]]);
    expect(await text(page)).toContain('Đã lưu dàn bài.');

    await clickAndWait(page, '#typeset button[type=submit]');
    await page.waitForSelector('#job progress');
    // The page follows the job over SSE and reloads itself when it ends, now with the preview.
    await page.waitForSelector('iframe.preview-frame', { timeout: 180_000 });
    const body = await text(page);
    expect(body).toContain('Bài bắt đầu ở trang');
    for (const title of TITLES) expect(body).toMatch(new RegExp(`${title}\\s+tr\\. \\d+`));
    expect(body).toMatch(/\d+ lỗi, \d+ cảnh báo/);
    expect(body).toContain('screen.pdf');
    // Preflight findings read in Vietnamese; the typesetter's English is only a tooltip.
    const typeset = await srv.api<{ preflight?: { findings: { code: string; message: string }[] } }>('GET', `/issues/${issueId}`, { token: editorToken });
    for (const f of typeset.body.preflight?.findings ?? []) {
      expect(body).toContain(findingVi(f).text);
      expect(body).not.toContain(f.message);
    }
    const pdf = await page.$eval('iframe.preview-frame', (f) => (f as HTMLIFrameElement).src);
    const res = await fetch(pdf, { headers: { authorization: `Bearer ${editorToken}` } });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    await new Promise((r) => setTimeout(r, 1500)); // let the PDF viewer draw before the picture
    await shot(page, '02-preview');
    await page.browserContext().close();
  }, 240_000);

  it('editor previews an article that is in no issue, in the layout, opened at its first page', async () => {
    const contributor = (await srv.api<{ token: string }>('POST', '/auth/login', { json: { username: 'ctv', password: PASSWORD } })).body.token;
    const title = 'Bí thư chi bộ kể chuyện dân vận khéo';
    const created = await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title, bodyHtml: '<p>Chi bộ đi từng ngõ, gõ từng nhà, lắng nghe dân nói.</p>'.repeat(10) } });
    const page = await signedIn('bientap');
    await page.goto(`${srv.url}/articles/${created.body.id}`, { waitUntil: 'domcontentloaded' });
    await clickAndWait(page, '#preview-article');
    expect(page.url()).toMatch(/\/previews\/[\w-]+$/);
    const body = await text(page);
    expect(body).toContain('Xem thử dàn trang');
    expect(body).toContain(title);
    expect(body).toMatch(/bài bắt đầu ở trang \d+/);
    const pdf = await page.$eval('iframe.preview-frame', (f) => (f as HTMLIFrameElement).src);
    expect(pdf).toMatch(/\/api\/v1\/previews\/[\w-]+\/screen\.pdf#page=\d+$/);
    if (ENGINE_THUMBNAILS) expect(await page.$$eval('.page-grid img', (imgs) => imgs.length)).toBeGreaterThan(0);
    await shot(page, '02b-article-preview');
    await page.setViewport({ width: 390, height: 844 });
    await shot(page, '02c-article-preview-phone');
    await page.browserContext().close();
    // The preview changed nothing: the article is where it was.
    expect((await srv.api<{ state: string }>('GET', `/articles/${created.body.id}`, { token: editorToken })).body.state).toBe('submitted');
  }, 180_000);

  it('after a placed article is changed the issue says so, and one click typesets it again', async () => {
    const article = await srv.api<{ version: number; bodyHtml: string }>('GET', `/articles/${articleIds[0]}`, { token: editorToken });
    const saved = await srv.api('PATCH', `/articles/${articleIds[0]}`, { token: editorToken, json: { version: article.body.version, bodyHtml: `${article.body.bodyHtml}<p>Bổ sung số liệu cuối tháng.</p>` } });
    expect(saved.status).toBe(200);
    const page = await signedIn('bientap');
    // A placed article can still be edited from its page while its issue is not signed off.
    await page.goto(`${srv.url}/articles/${articleIds[0]}`, { waitUntil: 'domcontentloaded' });
    expect(await page.$(`a[href="/articles/${articleIds[0]}/edit"]`)).not.toBeNull();
    await page.goto(`${srv.url}/issues/${issueId}`, { waitUntil: 'domcontentloaded' });
    const stale = await page.$eval('#stale-rendition', (e) => (e as HTMLElement).innerText);
    expect(stale).toContain('Bài đã sửa sau lần dàn trang cuối — dàn trang lại');
    expect(stale).toContain(TITLES[0]);
    await shot(page, '02d-stale-rendition');
    await clickAndWait(page, '#typeset-button');
    // The page follows the job and reloads itself when it ends: the notice is gone, the rendition current.
    await page.waitForFunction(() => !document.querySelector('#stale-rendition') && document.querySelector('iframe.preview-frame') !== null, { timeout: 180_000 });
    const issue = await srv.api<{ state: string; current: boolean; thumbnails: unknown[]; pages: number }>('GET', `/issues/${issueId}`, { token: editorToken });
    expect(issue.body).toMatchObject({ state: 'typeset', current: true });
    if (ENGINE_THUMBNAILS) {
      expect(issue.body.thumbnails).toHaveLength(issue.body.pages);
      await page.waitForFunction((n: number) => document.querySelectorAll('.page-grid img').length === n, {}, issue.body.pages);
      const firstStart = await page.$eval('.page-starts a', (a) => (a as HTMLAnchorElement).getAttribute('href'));
      expect(firstStart).toMatch(/screen\.pdf\?inline=1#page=\d+$/);
    }
    await shot(page, '02e-after-retypeset');
    await page.setViewport({ width: 390, height: 844 });
    await shot(page, '02f-issue-phone');
    await page.browserContext().close();
  }, 240_000);

  it('editor-in-chief signs off, sends to the print shop and publishes to one chosen unit', async () => {
    const page = await signedIn('tongbientap');
    await page.goto(`${srv.url}/issues/${issueId}`, { waitUntil: 'domcontentloaded' });
    await clickAndWait(page, `form[action="/issues/${issueId}/sign-off"] button`);
    expect(await text(page)).toContain('Đã duyệt in.');
    await clickAndWait(page, `form[action="/issues/${issueId}/send-to-print"] button[type=submit]`);
    expect(await text(page)).toContain('Đã gửi nhà in.');
    await page.click('input[name=visibility][value=units]');
    await page.select('select[name=unitIds]', String(unitId));
    await clickAndWait(page, `form[action="/issues/${issueId}/publish"] button[type=submit]`);
    expect(page.url()).toBe(`${srv.url}/archive/${issueId}`);
    expect(await text(page)).toContain('Đã phát hành lên cổng nội bộ.');
    await page.browserContext().close();
  }, 180_000);

  it('once signed off, a placed article offers no editing and its edit form sends the editor back', async () => {
    const page = await signedIn('bientap');
    await page.goto(`${srv.url}/articles/${articleIds[0]}`, { waitUntil: 'domcontentloaded' });
    expect(await page.$(`a[href="/articles/${articleIds[0]}/edit"]`)).toBeNull();
    await page.goto(`${srv.url}/articles/${articleIds[0]}/edit`, { waitUntil: 'domcontentloaded' });
    expect(page.url()).toBe(`${srv.url}/articles/${articleIds[0]}`);
    expect(await text(page)).toContain('Bài viết ở trạng thái này không sửa được.');
    await page.browserContext().close();
  }, 120_000);

  it('the print shop sees the print files and confirms receipt; the editors see it', async () => {
    const page = await signedIn('nhain');
    await page.goto(`${srv.url}/print`);
    const inbox = await text(page);
    for (const label of ['Tệp in (print.pdf)', 'Phiếu đặt in (PDF)', 'Phiếu công việc (JSON)', 'Danh sách phát hành (CSV)']) expect(inbox).toContain(label);
    await shot(page, '03-print-inbox');
    const href = await page.$eval('a[href$="/files/print.pdf"]', (a) => (a as HTMLAnchorElement).href);
    const pdf = await fetch(href, { headers: { authorization: `Bearer ${printerToken}` } });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    await clickAndWait(page, `form[action="/print/${issueId}/received"] button`);
    const after = await text(page);
    expect(after).toContain('Đã xác nhận nhận Số 11 – Tháng 11/2026.');
    expect(after).toMatch(/Đã xác nhận nhận lúc \d{2}\/\d{2}\/\d{4}/);
    await page.browserContext().close();
    const editor = await signedIn('bientap');
    await editor.goto(`${srv.url}/issues/${issueId}`, { waitUntil: 'domcontentloaded' });
    const screen = await text(editor);
    expect(screen).toMatch(/đã nhận \d{2}\/\d{2}\/\d{4}/);
    // the editor's own preview loads count too; the print shop's download is in the log with its name
    expect(screen).toMatch(/Lượt tải \(\d+\)/);
    expect(screen).toMatch(/Đã phát hành \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} cho Đảng ủy xã Hòa Thành/);
    await shot(editor, '04-issue-after-print');
    expect(screen).toMatch(/Người dùng nhain\s+print\.pdf/);
    await editor.browserContext().close();
  }, 180_000);

  it('a Party cell finds the issue in the archive, by a search without diacritics, with its contents', async () => {
    const page = await signedIn('chibo');
    await page.goto(`${srv.url}/archive?q=dang%20vien%20tre`);
    const archive = await text(page);
    expect(archive).toContain('Năm 2026');
    expect(archive).toContain('Số 11 – Tháng 11/2026');
    expect(archive).toMatch(/Số 11 – Tháng 11\/2026 · Gương chi bộ, đảng viên · Đảng viên trẻ với chuyển đổi số · trang \d+/);
    await shot(page, '05-archive');
    await clickAndWait(page, `.archive-text a[href="/archive/${issueId}"]`);
    const issuePage = await text(page);
    expect(issuePage).toContain('Mục lục');
    expect(issuePage).toContain('Tải bản đọc (PDF)');
    expect(issuePage).not.toContain('Tải bản in (PDF)');
    await shot(page, '06-archive-issue');
    await page.setViewport({ width: 390, height: 844 });
    await shot(page, '07-archive-issue-phone');
    await page.browserContext().close();
    // A cell of another unit neither sees it listed nor opens it by URL.
    const other = await signedIn('chibo-khac');
    await other.goto(`${srv.url}/archive?q=dang%20vien`);
    expect(await text(other)).toContain('Chưa có số nào được phát hành cho đơn vị của bạn.');
    expect(await text(other)).toContain('Không tìm thấy bài nào.');
    const res = await other.goto(`${srv.url}/archive/${issueId}`);
    expect(res?.status()).toBe(404);
    browserErrors.splice(0); // the 404 page load is reported on the console, as expected
    await other.browserContext().close();
  }, 180_000);

  it('editor-in-chief makes a new version of the signed issue only with a reason', async () => {
    const page = await signedIn('tongbientap');
    await page.goto(`${srv.url}/issues/${issueId}`, { waitUntil: 'domcontentloaded' });
    await clickAndWait(page, `form[action="/issues/${issueId}/reissue"] button`);
    expect(await text(page)).toContain('Lý do: không được để trống');
    // The refused form comes back as 400, which Chromium reports on the console; that one is expected.
    expect(browserErrors.splice(0)).toEqual([expect.stringMatching(/status of 400/)]);
    await page.type('#reason', 'Sửa tên tác giả bài trang 2');
    await clickAndWait(page, `form[action="/issues/${issueId}/reissue"] button`);
    expect(page.url()).not.toBe(`${srv.url}/issues/${issueId}`);
    const body = await text(page);
    expect(body).toContain('Đã tạo phiên bản mới để sửa');
    expect(body).toContain('bản 2: Sửa tên tác giả bài trang 2');
    await page.browserContext().close();
  }, 180_000);
});
