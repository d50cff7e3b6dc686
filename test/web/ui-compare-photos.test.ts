/**
 * Revision compare with photos (issue #5), real server, real SQLite, real pictures in the media store and
 * a real Chromium: an editor changes a caption, replaces one photo, removes one and adds one; the compare
 * screen lists each photo of both revisions side by side with its thumbnail (loaded from /media), the
 * change in words and the caption diff; the thumbnails are reachable with the keyboard and every picture
 * has a text alternative. Screenshots are written for a person to look at.
 */
import sharp from 'sharp';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';
import { launchBrowserHarness, screenshot, type BrowserHarness } from './browser-harness.ts';

let srv: TestServer;
let harness: BrowserHarness;
let editor: string;
let articleId: number;
const urls: string[] = [];

async function picture(token: string, hue: number): Promise<string> {
  const bytes = await sharp({ create: { width: 640, height: 420, channels: 3, background: { r: (hue * 67) % 256, g: (hue * 29) % 256, b: 160 } } }).jpeg({ quality: 80 }).toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), `anh-${hue}.jpg`);
  const r = await srv.api<{ url: string }>('POST', '/pictures', { token, raw: form });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.url;
}

const fig = (url: string, caption: string) => `<figure><img src="${url}" alt="${caption}"><figcaption>${caption}</figcaption></figure>`;

beforeAll(async () => {
  srv = await startTestServer({ config: { inProcessWorker: false } });
  const admin = await setupAdmin(srv.api);
  const unit = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Hòa Hội', kind: 'commune' } })).body.id;
  editor = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  const contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor', unit)).token;
  // The contributor sends three photos; the editor brings two new ones while editing.
  for (let i = 1; i <= 5; i++) urls.push(await picture(i <= 3 ? contributor : editor, i));
  const [a, b, c, , e] = urls as [string, string, string, string, string];
  const body = `<p>Sáng 15/11, Đảng ủy xã Hòa Hội tổ chức lễ kết nạp đảng viên mới.</p>${fig(a, 'Đồng chí Bí thư phát biểu')}<p>Các đảng viên mới hứa phấn đấu.</p>${fig(b, 'Trao quyết định kết nạp')}${fig(c, 'Chụp ảnh lưu niệm')}`;
  const created = await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title: 'Lễ kết nạp đảng viên mới', bodyHtml: body } });
  articleId = created.body.id;
  const current = await srv.api<{ version: number }>('GET', `/articles/${articleId}`, { token: editor });
  const newBody = `<p>Sáng 15/11, Đảng ủy xã Hòa Hội tổ chức lễ kết nạp đảng viên mới.</p>${fig(a, 'Đồng chí Bí thư Đảng ủy xã phát biểu')}<p>Các đảng viên mới hứa phấn đấu.</p>${fig(e, 'Trao quyết định kết nạp cho đảng viên mới')}<p>Buổi lễ kết thúc.</p>${fig(urls[3]!, 'Các đại biểu dự lễ')}`;
  const saved = await srv.api('PATCH', `/articles/${articleId}`, { token: editor, json: { version: current.body.version, bodyHtml: newBody } });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  harness = await launchBrowserHarness('bantin-compare-');
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await srv?.close({ removeData: true });
});

interface Row { change: string; left: string | null; right: string | null; leftAlt: string | null; rightAlt: string | null; loaded: boolean; leftCaption: string; rightCaption: string; ins: string[] }

async function photoRows(page: Page): Promise<Row[]> {
  return page.$$eval('.photo-diff tbody tr', (trs) =>
    trs.map((tr) => {
      const cells = tr.querySelectorAll('td');
      const img = (i: number) => cells[i]?.querySelector('img') ?? null;
      const imgs = [img(0), img(1)].filter((x): x is HTMLImageElement => x !== null);
      return {
        change: tr.querySelector('th')?.textContent?.trim() ?? '',
        left: img(0)?.getAttribute('src') ?? null,
        right: img(1)?.getAttribute('src') ?? null,
        leftAlt: img(0)?.getAttribute('alt') ?? null,
        rightAlt: img(1)?.getAttribute('alt') ?? null,
        loaded: imgs.every((i) => i.complete && i.naturalWidth > 0),
        leftCaption: cells[0]?.querySelector('figcaption')?.textContent?.trim() ?? '',
        rightCaption: cells[1]?.querySelector('figcaption')?.textContent?.trim() ?? '',
        ins: Array.from(cells[1]?.querySelectorAll('ins') ?? [], (n) => n.textContent ?? ''),
      };
    }),
  );
}

describe('revision compare with photos', () => {
  it('shows every photo of both revisions side by side with thumbnails, the change in words and the caption diff', async () => {
    const page = await harness.signIn(srv.url, 'bientap', PASSWORD);
    await page.goto(`${srv.url}/articles/${articleId}/compare`, { waitUntil: 'load' });
    // Thumbnails are lazy: bring the table into view so they load, then wait for them.
    await page.$eval('.photo-diff', (t) => t.scrollIntoView());
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('.photo-diff img')).every((i) => i.complete && i.naturalWidth > 0));
    const [a, b, c, d, e] = urls as [string, string, string, string, string];
    const rows = await photoRows(page);
    expect(rows.map((r) => [r.change, r.left, r.right])).toEqual([
      ['Sửa chú thích', a, a],
      ['Thay ảnh', b, e],
      ['Thay ảnh', c, d],
    ]);
    expect(rows.every((r) => r.loaded)).toBe(true);
    expect(rows[0]!.ins.join('')).toContain('Đảng ủy xã');
    expect(rows[1]!.leftCaption).toBe('Trao quyết định kết nạp');
    expect(rows[1]!.rightCaption).toBe('Trao quyết định kết nạp cho đảng viên mới');
    expect(rows[2]!.leftAlt).toBe('Ảnh ở phiên bản A: Chụp ảnh lưu niệm');
    expect(rows[2]!.rightAlt).toBe('Ảnh ở phiên bản B: Các đại biểu dự lễ');
    expect(await page.$eval('#photos-summary', (p) => p.textContent)).toBe('3 thay đổi về ảnh (trong 3 ảnh).');
    // Column and row headers for screen readers.
    expect(await page.$$eval('.photo-diff thead th[scope=col]', (ths) => ths.map((t) => t.textContent))).toEqual(['Thay đổi', 'A: phiên bản 1', 'B: phiên bản 2']);
    await screenshot(harness, page, 'compare-photos');

    // Keyboard: tabbing through the page reaches each thumbnail link.
    const reached = new Set<string>();
    for (let i = 0; i < 40 && reached.size < 6; i++) {
      await page.keyboard.press('Tab');
      const href = await page.evaluate(() => (document.activeElement?.closest('.photo-diff') ? document.activeElement.getAttribute('href') : null));
      if (href) reached.add(href);
    }
    expect(reached).toEqual(new Set([a, b, c, d, e]));
    await screenshot(harness, page, 'compare-photos-focus');

    // A phone: the table stacks, nothing scrolls sideways.
    await page.setViewport({ width: 390, height: 844 });
    await page.reload({ waitUntil: 'load' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(harness, page, 'compare-photos-phone');
    expect(harness.errors).toEqual([]);
  });

  it('comparing a revision with itself says the photos did not change', async () => {
    const revs = await srv.api<{ items: { id: number }[] }>('GET', `/articles/${articleId}/revisions`, { token: editor });
    const first = revs.body.items[0]!.id;
    const page = await harness.signIn(srv.url, 'bientap', PASSWORD);
    await page.goto(`${srv.url}/articles/${articleId}/compare?a=${first}&b=${first}`, { waitUntil: 'domcontentloaded' });
    expect(await page.$eval('#photos-summary', (p) => p.textContent)).toBe('3 ảnh, không thay đổi.');
    expect((await photoRows(page)).map((r) => r.change)).toEqual(['Không đổi', 'Không đổi', 'Không đổi']);
  });

  it('gives the same photo changes in the JSON API', async () => {
    const revs = (await srv.api<{ items: { id: number }[] }>('GET', `/articles/${articleId}/revisions`, { token: editor })).body.items;
    const r = await srv.api<{ photos: { kind: string; left: { src: string } | null; right: { src: string; caption: string } | null }[] }>('GET', `/articles/${articleId}/compare?from=${revs[0]!.id}&to=${revs[1]!.id}`, { token: editor });
    expect(r.status).toBe(200);
    expect(r.body.photos.map((p) => [p.kind, p.left?.src ?? null, p.right?.src ?? null])).toEqual([
      ['caption', urls[0], urls[0]],
      ['replaced', urls[1], urls[4]],
      ['replaced', urls[2], urls[3]],
    ]);
    expect(r.body.photos[1]!.right!.caption).toBe('Trao quyết định kết nạp cho đảng viên mới');
  });
});
