/**
 * Export of an app issue to the file format (DESIGN.md): the engine's own loader must accept it, with
 * the plan's order, the bulletin inline, the distribution, and photos written to images/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { exportIssue } from '../../src/workflow/export-issue.ts';
import { loadIssue } from '../../src/typeset/load-issue.ts';
import { BULLETIN } from '../web/helpers.ts';

let dir: string;
let store: Store;
const now = '2026-11-20T08:00:00.000Z';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-export-'));
  store = openStore(path.join(dir, 'data'));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('writes an issue directory the engine loads: plan order, front matter, photos, distribution', async () => {
  const user = store.users.insert({ username: 'bt', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'BT' }, now);
  const unit = store.units.insert({ name: 'Đảng ủy xã Hòa Thành', kind: 'commune_committee', parentId: null, validFrom: '2025-07-01' }, now);
  store.bulletin.put(BULLETIN, user, now);
  const jpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#888' } }).jpeg().toBuffer();
  const body = `<p>Đoạn mở đầu.</p><figure><img src="data:image/jpeg;base64,${jpeg.toString('base64')}" alt="Ảnh hội nghị"><figcaption>Ảnh hội nghị</figcaption></figure>`;
  const mk = (title: string, html: string) =>
    store.articles.insert({ title, subtitle: null, lead: 'Sa-pô của bài.', bodyHtml: html, author: 'Trần Thị Ẩn', sectionId: null, unitId: unit, createdBy: user }, now);
  const a1 = mk('Bài có ảnh: “Ặ Ễ”', body);
  const a2 = mk('Bài thứ hai', '<p>Nội dung.</p>');
  const issueId = store.issues.insert({ number: 3, year: 2026, date: '2026-03-15', printRun: 200, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: user }, now);
  const s1 = store.sections.insert('Tin tức – sự kiện', undefined, now);
  const s2 = store.sections.insert('Gương chi bộ, đảng viên', undefined, now);
  store.issues.replacePlan(issueId, [{ sectionId: s2, articleIds: [a2] }, { sectionId: s1, articleIds: [a1] }], now);
  store.issues.replaceDistribution(issueId, [{ unitId: unit, unit: 'Đảng ủy xã Hòa Thành', copies: 200 }], now);

  const out = await exportIssue(store, store.issues.get(issueId)!, path.join(dir, 'export'));
  expect(out.slug).toBe('2026-03');
  expect(out.files).toEqual(['issue.yaml', 'articles/01-bai-thu-hai.html', 'images/02-1.jpg', 'articles/02-bai-co-anh-a-e.html']);
  expect(fs.readFileSync(path.join(out.dir, 'articles/02-bai-co-anh-a-e.html'), 'utf8')).not.toContain('data:');

  const plan = await loadIssue(out.dir);
  expect(plan.sections.map((s) => [s.title, s.articles.map((a) => a.title)])).toEqual([
    ['Gương chi bộ, đảng viên', ['Bài thứ hai']],
    ['Tin tức – sự kiện', ['Bài có ảnh: “Ặ Ễ”']],
  ]);
  expect(plan.sections[1]!.articles[0]).toMatchObject({ author: 'Trần Thị Ẩn', unit: 'Đảng ủy xã Hòa Thành', lead: 'Sa-pô của bài.' });
  expect(plan.sections[1]!.articles[0]!.images).toEqual([expect.objectContaining({ src: 'images/02-1.jpg', widthPx: 1200, heightPx: 800 })]);
  expect(plan.bulletin).toMatchObject({ name: BULLETIN.name, licence: { number: BULLETIN.licence.number, expires: BULLETIN.licence.expires } });
  expect(plan.distribution).toEqual([{ unit: 'Đảng ủy xã Hòa Thành', copies: 200 }]);
});

it('refuses to export without a bulletin profile, naming what is missing', async () => {
  const user = store.users.insert({ username: 'bt', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'BT' }, now);
  const issueId = store.issues.insert({ number: 1, year: 2026, date: '2026-01-15', printRun: 10, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: user }, now);
  await expect(exportIssue(store, store.issues.get(issueId)!, path.join(dir, 'export'))).rejects.toThrow(/bulletin profile is not set/);
});
