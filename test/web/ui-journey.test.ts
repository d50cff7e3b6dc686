/**
 * The editorial journey in a real browser (system Chromium): a contributor submits a .docx → an editor
 * returns it with a reason → the contributor sees the reason and resubmits → the editor edits and
 * approves. Screenshots of every screen go to a temp dir (path printed) so people can look at them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'puppeteer';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toActor } from '../../src/workflow/auth.ts';
import { minimalDocx } from '../fixtures/minimal-docx.ts';
import { launchBrowserHarness, mainText, screenshot, clickAndWait, type BrowserHarness } from './browser-harness.ts';
import { startUiServer, type UiServer } from './ui-harness.ts';

let server: UiServer;
let harness: BrowserHarness;
let docxPath: string;
let photoPath: string;
let articleUrl = '';
let browserErrors: string[] = [];

async function signedIn(username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const page = await harness.signIn(server.url, username, password);
  return { context: page.browserContext(), page };
}
const shot = (page: Page, name: string): Promise<void> => screenshot(harness, page, name);
const text = mainText;

beforeAll(async () => {
  server = await startUiServer();
  harness = await launchBrowserHarness('bantin-ui-shots-');
  browserErrors = harness.errors;
  const { services } = server.runtime;
  const adminUser = await services.auth.setup({ username: 'quantri', password: 'mat-khau-qt-1', displayName: 'Quản Trị' });
  const admin = toActor(adminUser);
  const unit = services.units.create(admin, { name: 'Đảng ủy xã Tân Hòa', kind: 'commune_committee' });
  services.sections.create(admin, { title: 'Gương chi bộ, đảng viên' });
  await services.users.create(admin, { username: 'ctv', password: 'mat-khau-ctv-1', displayName: 'Lê Văn Cộng', role: 'contributor', unitId: unit.id });
  await services.users.create(admin, { username: 'btv', password: 'mat-khau-btv-1', displayName: 'Phạm Thị Biên', role: 'editor' });

  const photo = await sharp({ create: { width: 240, height: 160, channels: 3, background: { r: 160, g: 40, b: 40 } } }).png().toBuffer();
  const docx = await minimalDocx([
    { heading: 'Chi bộ ấp Tân Lợi học tập và làm theo gương Bác' },
    { text: 'Những năm qua, chi bộ ấp Tân Lợi luôn chú trọng việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.' },
    { picture: photo, widthPx: 240, heightPx: 160 },
    { text: 'Mỗi đảng viên đăng ký một việc làm cụ thể, gắn với nhiệm vụ được giao.' },
  ]);
  photoPath = path.join(harness.shotsDir, 'anh-lam-duong.jpg');
  // A tall portrait photo, the kind that used to fill the whole column of the article view.
  fs.writeFileSync(photoPath, await sharp({ create: { width: 400, height: 1000, channels: 3, background: { r: 40, g: 110, b: 70 } } }).jpeg().toBuffer());
  docxPath = path.join(harness.shotsDir, 'bai-chi-bo-tan-loi.docx');
  fs.writeFileSync(docxPath, docx);
});

afterAll(async () => {
  await harness?.close();
  await server?.close();
});

describe('contributor → editor → contributor → editor', () => {
  afterEach(() => {
    expect(browserErrors).toEqual([]);
  });

  it('contributor submits a .docx with its picture; the article waits as “Chờ duyệt”', async () => {
    const { context, page } = await signedIn('ctv', 'mat-khau-ctv-1');
    await shot(page, '01-contributor-dashboard');
    await page.goto(`${server.url}/articles/new`);
    await page.waitForSelector('.rte-content');
    await shot(page, '02-submit-form');
    const input = await page.$('input[name=file]');
    await input!.uploadFile(docxPath);
    const photos = await page.$('input[name=photos]');
    await photos!.uploadFile(photoPath);
    await page.type('#photoCaptions', 'Đảng viên chi bộ ấp Tân Lợi ra quân làm đường');
    await page.type('#author', 'Nguyễn Thị Lan');
    await clickAndWait(page, 'form button[type=submit].btn-primary');
    articleUrl = page.url();
    expect(articleUrl).toMatch(/\/articles\/\d+$/);
    const body = await text(page);
    expect(body).toContain('Chi bộ ấp Tân Lợi học tập và làm theo gương Bác');
    expect(body).toContain('Chờ duyệt');
    expect(await page.$$eval('article img', (imgs) => imgs.length)).toBe(2);
    expect(body).toContain('Đảng viên chi bộ ấp Tân Lợi ra quân làm đường');
    // The portrait photo is capped at 70 % of the window's height, keeps its proportions and sits centred.
    const photoBox = await page.$eval('article figure:last-of-type img', (img) => {
      const box = img.getBoundingClientRect();
      const column = img.closest('figure')!.getBoundingClientRect();
      return { width: box.width, height: box.height, leftGap: box.left - column.left, rightGap: column.right - box.right, windowHeight: window.innerHeight };
    });
    expect(photoBox.height).toBeGreaterThan(0);
    expect(photoBox.height).toBeLessThanOrEqual(photoBox.windowHeight * 0.7 + 1);
    expect(photoBox.width / photoBox.height).toBeCloseTo(400 / 1000, 2);
    expect(Math.abs(photoBox.leftGap - photoBox.rightGap)).toBeLessThanOrEqual(2);
    await shot(page, '03-submitted-article');
    await context.close();
  });

  it('editor finds it in the queue by a search without diacritics, takes it and returns it with a reason', async () => {
    const { context, page } = await signedIn('btv', 'mat-khau-btv-1');
    await shot(page, '04-editor-dashboard');
    await page.goto(`${server.url}/review?q=${encodeURIComponent('tan loi guong bac')}`);
    expect(await text(page)).toContain('Chi bộ ấp Tân Lợi');
    await shot(page, '05-review-queue-search');
    await page.goto(articleUrl);
    await clickAndWait(page, 'form input[name=to][value=in_review] ~ button');
    expect(await text(page)).toContain('Đang biên tập');
    await page.type('#reason-returned', 'Đề nghị bổ sung số liệu đảng viên đăng ký làm theo gương Bác năm 2026.');
    await clickAndWait(page, 'form input[name=to][value=returned] ~ button');
    const body = await text(page);
    expect(body).toContain('Trả lại');
    expect(body).toContain('Đề nghị bổ sung số liệu');
    await shot(page, '06-returned-by-editor');
    await context.close();
  });

  it('contributor sees the reason in “Bài của tôi”, edits in the rich-text editor and resubmits', async () => {
    const { context, page } = await signedIn('ctv', 'mat-khau-ctv-1');
    await page.goto(`${server.url}/articles/mine`);
    const mine = await text(page);
    expect(mine).toContain('Trả lại');
    expect(mine).toContain('Lý do trả lại: Đề nghị bổ sung số liệu');
    await shot(page, '07-my-articles-returned');
    await page.goto(`${articleUrl}/edit`);
    await page.waitForSelector('.rte-content');
    await page.click('.rte-content p:last-of-type');
    await page.keyboard.press('End');
    await page.keyboard.type(' Năm 2026 có 42/45 đảng viên đăng ký.');
    await shot(page, '08-contributor-editing');
    await clickAndWait(page, 'button[name=after][value=resubmit]');
    const body = await text(page);
    expect(body).toContain('Đã lưu và gửi lại');
    expect(body).toContain('Chờ duyệt');
    expect(body).toContain('42/45 đảng viên');
    // The photo caption went through the rich-text editor and came back as a real figure caption.
    const stored = server.runtime.store.articles.get(Number(articleUrl.split('/').pop()));
    expect(stored?.bodyHtml).toMatch(/<figure><img src="\/media\/[0-9a-f]{64}\.jpg"[^>]*><figcaption>Đảng viên chi bộ ấp Tân Lợi ra quân làm đường<\/figcaption><\/figure>/);
    await context.close();
  });

  it('editor edits the title, saves, approves, and compares the revisions side by side', async () => {
    const { context, page } = await signedIn('btv', 'mat-khau-btv-1');
    await page.goto(articleUrl);
    await clickAndWait(page, 'form input[name=to][value=in_review] ~ button');
    await page.goto(`${articleUrl}/edit`);
    await page.waitForSelector('.rte-content');
    await page.$eval('#title', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#title', 'Chi bộ ấp Tân Lợi: mỗi đảng viên một việc làm theo gương Bác');
    await page.select('#sectionId', await page.$eval('#sectionId option:nth-child(2)', (o) => (o as HTMLOptionElement).value));
    await shot(page, '09-editor-editing');
    await clickAndWait(page, 'button[name=after][value=approve]');
    const body = await text(page);
    expect(body).toContain('Đã duyệt');
    expect(body).toContain('mỗi đảng viên một việc làm theo gương Bác');
    expect(body).toContain('Gương chi bộ, đảng viên');
    await shot(page, '10-approved');
    await page.goto(`${articleUrl}/compare`);
    const compare = await text(page);
    expect(compare).toContain('mỗi đảng viên một việc làm');
    expect(await page.$$eval('ins.diff', (els) => els.length)).toBeGreaterThan(0);
    await shot(page, '11-compare-revisions');
    const stored = server.runtime.store.articles.get(Number(articleUrl.split('/').pop()));
    expect(stored?.state).toBe('approved');
    expect(stored?.version).toBe(3);
    await context.close();
  });

  it('the contributor is notified, and the queue reads well on a phone', async () => {
    const { context, page } = await signedIn('ctv', 'mat-khau-ctv-1');
    expect(await text(page)).toContain('đã được duyệt');
    expect(await page.$eval('nav a[href="/notifications"]', (a) => a.textContent)).toMatch(/\d/);
    await page.goto(articleUrl);
    expect(await page.$eval('nav a[href="/notifications"]', (a) => a.textContent?.trim())).toBe('Thông báo');
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/articles/mine`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Every menu item, "Thông báo" last, is on screen without sideways scrolling of the menu itself.
    const navCutOff = await page.$$eval('nav.nav a', (links) =>
      links.filter((a) => a.getBoundingClientRect().right > window.innerWidth || a.getBoundingClientRect().left < 0).map((a) => a.textContent),
    );
    expect(navCutOff).toEqual([]);
    expect(await page.$eval('nav.nav', (nav) => nav.scrollWidth - nav.clientWidth)).toBeLessThanOrEqual(0);
    await shot(page, '12-phone-my-articles');
    await context.close();
  });
});
