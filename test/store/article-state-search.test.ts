/**
 * Search with a state filter on a real SQLite file: the state is a token of the search index's scope column
 * (migration 008), so it must follow every state change and be built for articles written before the upgrade.
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
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-state-search-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

let store: Store;
let editor: number;
let contributor: number;
let ownUnit: number;
let otherUnit: number;

function add(unitId: number, createdBy: number, title: string): number {
  return store.articles.insert({ title, subtitle: null, lead: null, bodyHtml: '<p>Chi bộ sinh hoạt chuyên đề</p>', author: null, sectionId: null, unitId, createdBy }, now);
}
const titles = (f: Omit<ArticleFilter, 'limit' | 'offset'>) => store.articles.list({ ...f, limit: 50, offset: 0 }).items.map((a) => a.title).sort();

beforeAll(() => {
  store = openStore(tempDir());
  editor = store.users.insert({ username: 'ed', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'Ed' }, now);
  const unit = (name: string) => store.units.insert({ name, kind: 'commune_committee', parentId: null, validFrom: '2025-07-01' }, now);
  ownUnit = unit('Đảng ủy xã Long An');
  otherUnit = unit('Đảng ủy xã Tân Ninh');
  contributor = store.users.insert({ username: 'co', passwordHash: 'x', role: 'contributor', unitId: ownUnit, displayName: 'Co' }, now);
});
afterAll(() => store.close());

describe('search with a state filter', () => {
  it('returns only articles in that state, for editors and within a contributor\'s scope', () => {
    const approved = add(ownUnit, editor, 'Long An: đã duyệt');
    add(ownUnit, editor, 'Long An: mới gửi');
    const inReview = add(ownUnit, contributor, 'Bài của tôi đang biên tập');
    const otherApproved = add(otherUnit, editor, 'Tân Ninh: đã duyệt');
    store.transaction(() => {
      store.articles.setState(approved, 'approved', null, now);
      store.articles.setState(inReview, 'in_review', null, now);
      store.articles.setState(otherApproved, 'approved', null, now);
    });
    const scope = { unitIds: [ownUnit], userId: contributor };
    expect(titles({ q: 'sinh hoat', state: 'approved' })).toEqual(['Long An: đã duyệt', 'Tân Ninh: đã duyệt']);
    expect(titles({ q: 'sinh hoat', state: 'approved', scope })).toEqual(['Long An: đã duyệt']);
    expect(titles({ q: 'sinh hoat', state: 'in_review', scope })).toEqual(['Bài của tôi đang biên tập']);
    expect(titles({ q: 'sinh hoat', state: 'submitted', scope })).toEqual(['Long An: mới gửi']);
    expect(titles({ q: 'sinh hoat', state: 'published' })).toEqual([]);
    // Typed words never match the state tokens.
    expect(titles({ q: 'sapproved' })).toEqual([]);
    expect(titles({ q: 'sinreview' })).toEqual([]);
  });

  it('follows every state change and keeps the state when an article is edited', () => {
    const id = add(otherUnit, editor, 'Tân Ninh: bài đi qua các bước');
    const found = (state: 'submitted' | 'returned' | 'scheduled') => titles({ q: 'chuyen de', state, unitIds: [otherUnit] }).includes('Tân Ninh: bài đi qua các bước');
    expect(found('submitted')).toBe(true);
    store.transaction(() => store.articles.setState(id, 'returned', 'thiếu ảnh', now));
    expect([found('submitted'), found('returned')]).toEqual([false, true]);
    expect(store.articles.updateContent(id, 1, { title: 'Tân Ninh: bài đi qua các bước', subtitle: null, lead: null, bodyHtml: '<p>Chi bộ sinh hoạt chuyên đề, có ảnh</p>', author: null, sectionId: null }, now)).toBe(true);
    expect(found('returned')).toBe(true);
    store.transaction(() => store.articles.setState(id, 'scheduled', null, now));
    expect([found('returned'), found('scheduled')]).toEqual([false, true]);
  });
});

describe('migration 008 on a database written before it', () => {
  it('gives existing articles their state token, keeping their words and scope', () => {
    const dir = tempDir();
    const before = tempDir();
    for (const m of listMigrations().filter((x) => x.version <= 7)) fs.copyFileSync(m.file, path.join(before, path.basename(m.file)));
    const db = openDatabase(databasePath(dir));
    migrate(db, before);
    db.prepare("INSERT INTO users (id, username, password_hash, role, display_name, created_at, updated_at) VALUES (7, 'old', 'x', 'contributor', 'Old', ?, ?)").run(now, now);
    db.prepare("INSERT INTO units (id, name, kind, valid_from, created_at) VALUES (3, 'Đảng ủy xã Cũ', 'commune_committee', '2025-07-01', ?)").run(now);
    for (const [id, state, title] of [[1, 'approved', 'dang vien cu'], [2, 'in_review', 'dang vien khac']] as const) {
      db.prepare(`INSERT INTO articles (id, title, body_html, unit_id, origin_unit_id, state, version, created_by, created_at, updated_at, submitted_at)
                  VALUES (?, ?, '', 3, 3, ?, 1, 7, ?, ?, ?)`).run(id, title, state, now, now, now);
      db.prepare("INSERT INTO article_search (rowid, title, body, scope) VALUES (?, ?, '', 'p7 u3')").run(id, title);
    }
    db.close();
    const upgraded = openStore(dir);
    try {
      expect(upgraded.migration.applied).toContain('008-search-state-token');
      const found = (f: Omit<ArticleFilter, 'limit' | 'offset'>) => upgraded.articles.list({ ...f, limit: 50, offset: 0 }).items.map((a) => a.id).sort();
      expect(found({ q: 'dang vien' })).toEqual([1, 2]);
      expect(found({ q: 'dang vien', state: 'approved' })).toEqual([1]);
      expect(found({ q: 'dang vien', state: 'in_review', scope: { unitIds: [3], userId: 99 } })).toEqual([2]);
      upgraded.transaction(() => upgraded.articles.setState(2, 'approved', null, now));
      expect(found({ q: 'dang vien', state: 'approved', unitIds: [3] })).toEqual([1, 2]);
    } finally {
      upgraded.close();
    }
  });
});
