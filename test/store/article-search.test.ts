/** The store on a real SQLite file: migrations apply once, search folds diacritics (đ = d), every word must match. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { ftsQuery } from '../../src/store/article-repository.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-store-'));
let store: Store;
let userId: number;
const now = '2026-11-10T08:00:00.000Z';

function add(title: string, bodyHtml: string): number {
  return store.articles.insert({ title, subtitle: null, lead: null, bodyHtml, author: null, sectionId: null, unitId: null, createdBy: userId }, now);
}
const search = (q: string) => store.articles.list({ q, limit: 50, offset: 0 }).items.map((a) => a.title).sort();

beforeAll(() => {
  store = openStore(dir);
  userId = store.users.insert({ username: 'u', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'U' }, now);
  add('Đảng viên gương mẫu', '<p>Chi bộ họp</p>');
  add('Tin tức', '<p>ĐẢNG VIÊN trẻ <b>tình nguyện</b></p>');
  add('Đảng bộ xã', '<p>Hội nghị về công tác dân vận</p>');
  add('Quốc phòng', '<p>Diễn tập khu vực phòng thủ</p>');
});
afterAll(() => store.close());

describe('migrations', () => {
  it('applied 001 on first open and nothing on the next', () => {
    expect(store.migration.applied).toContain('001-editorial');
    const again = openStore(dir);
    expect(again.migration.applied).toEqual([]);
    expect(again.migration.current).toBeGreaterThanOrEqual(1);
    again.close();
  });
});

describe('search', () => {
  it('"dang vien" finds "đảng viên" in titles and bodies, any case', () => {
    expect(search('dang vien')).toEqual(['Tin tức', 'Đảng viên gương mẫu'].sort());
  });
  it('requires every word', () => {
    expect(search('dang vien tinh nguyen')).toEqual(['Tin tức']);
    expect(search('dang vien quoc phong')).toEqual([]);
  });
  it('matches the last word as a prefix (search as you type)', () => {
    expect(search('dien ta')).toEqual(['Quốc phòng']);
  });
  it('accepts Vietnamese input with diacritics and ignores punctuation and FTS syntax', () => {
    expect(search('Đảng-viên')).toEqual(['Tin tức', 'Đảng viên gương mẫu'].sort());
    expect(search('"dân" (vận*')).toEqual(['Đảng bộ xã']);
    expect(search('dân OR quốc')).toEqual([]); // OR is a word like any other, not an operator
    expect(ftsQuery('  ...  ')).toBeNull();
  });
  it('re-indexes edited articles', () => {
    const id = add('Bài sẽ sửa', '<p>nội dung cũ</p>');
    expect(store.articles.updateContent(id, 1, { title: 'Bài đã sửa', subtitle: null, lead: null, bodyHtml: '<p>nội dung mới về biển đảo</p>', author: null, sectionId: null }, now)).toBe(true);
    expect(search('bien dao')).toEqual(['Bài đã sửa']);
    expect(search('noi dung cu')).toEqual([]);
    expect(store.articles.updateContent(id, 1, { title: 'stale', subtitle: null, lead: null, bodyHtml: '<p>x</p>', author: null, sectionId: null }, now)).toBe(false);
  });
});
