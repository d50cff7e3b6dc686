/**
 * Photos inserted in the rich-text editor itself (real Chromium): the "Ảnh" button uploads to the picture
 * store and puts a figure at the cursor, the photo shows in the editor (served from /media with the
 * session cookie), its caption is typed under it, and the saved article references the stored picture.
 * A file that is not a photo gets a Vietnamese message and nothing is inserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toActor } from '../../src/workflow/auth.ts';
import { clickAndWait, launchBrowserHarness, screenshot, type BrowserHarness } from './browser-harness.ts';
import { startUiServer, type UiServer } from './ui-harness.ts';

let server: UiServer;
let harness: BrowserHarness;
let page: Page;
let photoPath: string;
let notPhotoPath: string;

beforeAll(async () => {
  server = await startUiServer();
  harness = await launchBrowserHarness('bantin-editor-photos-');
  const { services } = server.runtime;
  const admin = toActor(await services.auth.setup({ username: 'quantri', password: 'mat-khau-qt-1', displayName: 'Quản Trị' }));
  const unit = services.units.create(admin, { name: 'Đảng ủy xã Tân Hòa', kind: 'commune_committee' });
  await services.users.create(admin, { username: 'ctv', password: 'mat-khau-ctv-1', displayName: 'Lê Văn Cộng', role: 'contributor', unitId: unit.id });
  photoPath = path.join(harness.shotsDir, 'don-ve-sinh.jpg');
  fs.writeFileSync(photoPath, await sharp({ create: { width: 800, height: 500, channels: 3, background: { r: 40, g: 120, b: 80 } } }).jpeg().toBuffer());
  notPhotoPath = path.join(harness.shotsDir, 'khong-phai-anh.jpg');
  fs.writeFileSync(notPhotoPath, '%PDF-1.7\nnot a photo\n');
  page = await harness.signIn(server.url, 'ctv', 'mat-khau-ctv-1');
  await page.goto(`${server.url}/articles/new`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.rte-toolbar button[aria-label="Chèn ảnh"]');
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

async function choose(file: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForFileChooser(), page.locator('.rte-toolbar button[aria-label="Chèn ảnh"]').click()]);
  await chooser.accept([file]);
}

describe('photos in the rich-text editor', () => {
  it('refuses a file that is not a photo with a Vietnamese message and inserts nothing', async () => {
    await choose(notPhotoPath);
    await page.waitForFunction(() => document.querySelector('.rte-photo-note')?.textContent?.includes('không phải ảnh'));
    expect(await page.$$('.rte-content figure')).toHaveLength(0);
    // Chromium logs the refused upload (415) as a console error; that one is expected, nothing else.
    expect(harness.errors.map((e) => e.replace(/^\S+: /, ''))).toEqual(['Failed to load resource: the server responded with a status of 415 (Unsupported Media Type)']);
    harness.errors.length = 0;
  });

  it('uploads a photo into the text at the cursor, shows it, and saves the article with the stored picture', async () => {
    await page.type('#title', 'Ra quân dọn vệ sinh môi trường');
    await page.click('.rte-content');
    await page.keyboard.type('Sáng 15/11, chi bộ ấp Tân Hòa ra quân dọn vệ sinh.');
    await choose(photoPath);
    // The photo is in the editor and really loaded from /media (naturalWidth is 0 for a refused image).
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.rte-content figure img');
      return img !== null && img.complete && img.naturalWidth === 800 && img.getAttribute('src')!.startsWith('/media/');
    });
    await page.click('.rte-content figure figcaption');
    await page.keyboard.type('Đảng viên dọn vệ sinh đường làng');
    await screenshot(harness, page, 'editor-with-photo');
    await clickAndWait(page, 'form[action="/articles/new"] button[type=submit].btn-primary');
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const stored = server.runtime.store.articles.get(id)!;
    const src = /<img [^>]*src="(\/media\/([0-9a-f]{64})\.jpg)"/.exec(stored.bodyHtml);
    expect(src).not.toBeNull();
    expect(stored.bodyHtml).toContain('<figcaption>Đảng viên dọn vệ sinh đường làng</figcaption>');
    expect(stored.bodyHtml).toContain('Sáng 15/11, chi bộ ấp Tân Hòa ra quân dọn vệ sinh.');
    expect(server.runtime.store.pictures.linkedTo(id).map((p) => p.sha256)).toEqual([src![2]]);
    // The article page shows the photo too.
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('main img')).some((img) => img.complete && img.naturalWidth === 800));
    expect(harness.errors).toEqual([]);
  });
});
