/**
 * A contributor's search on a real SQLite file: only their unit (with merged-in units) or what they wrote,
 * diacritics folded, every word required; the scope in the search index (migration 007) follows unit merges
 * and is built for articles written before the upgrade.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, databasePath, type Store } from '../../src/store/index.ts';
import { listMigrations, migrate, openDatabase } from '../../src/store/database.ts';
import type { ArticleFilter } from '../../src/store/article-repository.ts';

const now = '2026-11-10T08:00:00.000Z';
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-scope-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

let store: Store;
let editor: number;
let contributor: number;
let ownUnit: number;
let otherUnit: number;
let mergedUnit: number;

function add(unitId: number | null, createdBy: number, title: string, bodyHtml: string): number {
  return store.articles.insert({ title, subtitle: null, lead: null, bodyHtml, author: null, sectionId: null, unitId, createdBy }, now);
}
const titles = (f: Omit<ArticleFilter, 'limit' | 'offset'>) => store.articles.list({ ...f, limit: 50, offset: 0 }).items.map((a) => a.title).sort();
const scope = () => ({ unitIds: [ownUnit], userId: contributor });

beforeAll(() => {
  store = openStore(tempDir());
  editor = store.users.insert({ username: 'ed', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'Ed' }, now);
  const unit = (name: string) => store.units.insert({ name, kind: 'commune_committee', parentId: null, validFrom: '2025-07-01' }, now);
  ownUnit = unit('Đảng ủy xã Long An');
  otherUnit = unit('Đảng ủy xã Tân Ninh');
  mergedUnit = unit('Đảng ủy xã Hòa Thành');
  contributor = store.users.insert({ username: 'co', passwordHash: 'x', role: 'contributor', unitId: ownUnit, displayName: 'Co' }, now);
  add(ownUnit, editor, 'Long An: đảng viên trẻ', '<p>Chi bộ sinh hoạt chuyên đề</p>');
  add(ownUnit, editor, 'Long An: quốc phòng', '<p>Diễn tập khu vực phòng thủ</p>');
  add(otherUnit, editor, 'Tân Ninh: đảng viên trẻ', '<p>Chi bộ sinh hoạt chuyên đề</p>');
  add(otherUnit, contributor, 'Bài của tôi gửi hộ Tân Ninh', '<p>Đảng viên trẻ tình nguyện</p>');
  add(null, editor, 'Văn phòng: đảng viên trẻ', '<p>Chi bộ sinh hoạt</p>');
  add(mergedUnit, editor, 'Hòa Thành: đảng viên trẻ', '<p>Chi bộ sinh hoạt chuyên đề</p>');
});
afterAll(() => store.close());

describe('contributor search (own unit or own articles)', () => {
  it('never returns another unit\'s articles, folds diacritics and requires every word', () => {
    expect(titles({ q: 'dang vien tre', scope: scope() })).toEqual(['Bài của tôi gửi hộ Tân Ninh', 'Long An: đảng viên trẻ'].sort());
    expect(titles({ q: 'ĐẢNG VIÊN', scope: scope() })).toEqual(titles({ q: 'dang vien', scope: scope() }));
    expect(titles({ q: 'dang vien phong thu', scope: scope() })).toEqual([]);
    expect(titles({ q: 'dien ta', scope: scope() })).toEqual(['Long An: quốc phòng']);
    // The editors' search still sees every unit: the scope is the contributor's restriction, not the index's.
    expect(titles({ q: 'dang vien tre' })).toHaveLength(5);
  });

  it('a contributor without a unit sees only what they wrote', () => {
    expect(titles({ q: 'dang vien', scope: { unitIds: [], userId: contributor } })).toEqual(['Bài của tôi gửi hộ Tân Ninh']);
  });

  it('typed words never match the scope tokens', () => {
    expect(titles({ q: `u${ownUnit}` })).toEqual([]);
    expect(titles({ q: `p${editor}`, scope: scope() })).toEqual([]);
  });

  it('unit and creator filters of the editors\' search use the same index', () => {
    expect(titles({ q: 'sinh hoat', unitIds: [otherUnit] })).toEqual(['Tân Ninh: đảng viên trẻ']);
    expect(titles({ q: 'dang vien', createdBy: contributor })).toEqual(['Bài của tôi gửi hộ Tân Ninh']);
    expect(titles({ q: 'dang vien', unitIds: [] })).toEqual([]);
  });

  it('follows a unit merge: the merged unit\'s articles move into the scope of the unit it joined', () => {
    expect(titles({ q: 'chuyen de', scope: scope() })).toEqual(['Long An: đảng viên trẻ']);
    store.transaction(() => store.articles.moveUnit(mergedUnit, ownUnit));
    expect(titles({ q: 'chuyen de', scope: scope() })).toEqual(['Hòa Thành: đảng viên trẻ', 'Long An: đảng viên trẻ'].sort());
    expect(titles({ q: 'chuyen de', unitIds: [mergedUnit] })).toEqual([]);
  });

  it('keeps the scope when an article is edited', () => {
    const id = add(otherUnit, editor, 'Tân Ninh: bài sẽ sửa', '<p>nội dung cũ</p>');
    expect(store.articles.updateContent(id, 1, { title: 'Tân Ninh: bài đã sửa', subtitle: null, lead: null, bodyHtml: '<p>biển đảo</p>', author: null, sectionId: null }, now)).toBe(true);
    expect(titles({ q: 'bien dao', unitIds: [otherUnit] })).toEqual(['Tân Ninh: bài đã sửa']);
    expect(titles({ q: 'bien dao', scope: scope() })).toEqual([]);
  });
});

describe('migration 007 on a database written before it', () => {
  it('indexes the scope of existing articles, keeping their words', () => {
    const dir = tempDir();
    const before = tempDir();
    // The migrations up to 006, as a database of the previous version had them.
    for (const m of listMigrations().filter((x) => x.version <= 6)) fs.copyFileSync(m.file, path.join(before, path.basename(m.file)));
    const db = openDatabase(databasePath(dir));
    migrate(db, before);
    db.prepare("INSERT INTO users (id, username, password_hash, role, display_name, created_at, updated_at) VALUES (7, 'old', 'x', 'contributor', 'Old', ?, ?)").run(now, now);
    db.prepare("INSERT INTO units (id, name, kind, valid_from, created_at) VALUES (3, 'Đảng ủy xã Cũ', 'commune_committee', '2025-07-01', ?)").run(now);
    for (const [id, unit, title] of [[1, 3, 'dang vien cu'], [2, null, 'dang vien khac']] as const) {
      db.prepare(`INSERT INTO articles (id, title, body_html, unit_id, origin_unit_id, state, version, created_by, created_at, updated_at, submitted_at)
                  VALUES (?, ?, '', ?, ?, 'submitted', 1, 7, ?, ?, ?)`).run(id, title, unit, unit, now, now, now);
      db.prepare('INSERT INTO article_search (rowid, title, body) VALUES (?, ?, ?)').run(id, title, '');
    }
    db.close();
    const upgraded = openStore(dir);
    try {
      expect(upgraded.migration.applied).toContain('007-search-scope-column');
      const found = (f: Omit<ArticleFilter, 'limit' | 'offset'>) => upgraded.articles.list({ ...f, limit: 50, offset: 0 }).items.map((a) => a.id).sort();
      expect(found({ q: 'dang vien' })).toEqual([1, 2]);
      expect(found({ q: 'dang vien', unitIds: [3] })).toEqual([1]);
      expect(found({ q: 'dang vien', scope: { unitIds: [99], userId: 7 } })).toEqual([1, 2]);
      expect(found({ q: 'dang vien', scope: { unitIds: [3], userId: 8 } })).toEqual([1]);
    } finally {
      upgraded.close();
    }
  });
});
