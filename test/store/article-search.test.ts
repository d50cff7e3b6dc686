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
afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

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

describe('unit-scoped search', () => {
  it('finds a unit\'s old articles behind thousands of newer hits, and pages the unit\'s many hits newest first', () => {
    const quiet = store.units.insert({ name: 'Chi bộ ít bài', kind: 'party_cell', parentId: null, validFrom: '2025-07-01' }, now);
    const busy = store.units.insert({ name: 'Đảng ủy nhiều bài', kind: 'commune_committee', parentId: null, validFrom: '2025-07-01' }, now);
    const insert = (unitId: number | null, title: string) =>
      store.articles.insert({ title, subtitle: null, lead: null, bodyHtml: '<p>Sinh hoạt chi bộ định kỳ</p>', author: null, sectionId: null, unitId, createdBy: userId }, now);
    const old = [insert(quiet, 'Bài cũ 1'), insert(quiet, 'Bài cũ 2')];
    const busyIds: number[] = [];
    store.transaction(() => {
      for (let i = 0; i < 3200; i++) {
        const id = insert(i % 4 === 0 ? busy : null, `Tin ${i}`);
        if (i % 4 === 0) busyIds.push(id);
      }
    });
    const quietHits = store.articles.list({ q: 'sinh hoat', scope: { unitIds: [quiet], userId: -1 }, limit: 50, offset: 0 });
    expect(quietHits.items.map((a) => a.id)).toEqual([...old].reverse());
    const newestFirst = [...busyIds].reverse();
    const first = store.articles.list({ q: 'sinh hoat', unitIds: [busy], limit: 50, offset: 0 });
    const second = store.articles.list({ q: 'sinh hoat', unitIds: [busy], limit: 50, offset: 50 });
    expect(first.items.map((a) => a.id)).toEqual(newestFirst.slice(0, 50));
    expect(second.items.map((a) => a.id)).toEqual(newestFirst.slice(50, 100));
    const last = store.articles.list({ q: 'sinh hoat', unitIds: [busy], limit: 50, offset: 780 });
    expect(last.items.map((a) => a.id)).toEqual(newestFirst.slice(780));
    expect(last.hasMore).toBe(false);
  });
});
