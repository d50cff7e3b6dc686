/**
 * Migration 301 on a database from before it (real SQLite file): readers already told about a published
 * issue — known only from their in-app notice — count as told, so the first publish after the upgrade
 * (again, to more units, or a reissue) does not repeat the news, and a reissue is announced to them as a
 * corrected version.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, openStore } from '../../src/store/index.ts';
import { listMigrations, migrate, openDatabase } from '../../src/store/database.ts';
import { IssueRepository } from '../../src/store/issue-repository.ts';
import { NotificationRepository } from '../../src/store/notification-repository.ts';
import { PublicationRepository } from '../../src/store/publication-repository.ts';
import { UserRepository } from '../../src/store/user-repository.ts';
import { Notifier } from '../../src/notify/notifier.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const NOW = '2026-11-20T08:00:00.000Z';
const ISSUE = { year: 2026, date: '2026-10-15', printRun: 100, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null };

describe('migration 301 (who was told about which issue)', () => {
  it('counts readers told before the upgrade as told, by their notice', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-301-'));
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-301-sql-'));
    dirs.push(dataDir, before);
    for (const m of listMigrations().filter((x) => x.version <= 300)) fs.copyFileSync(m.file, path.join(before, path.basename(m.file)));

    // The database as the previous release left it: number 10 published, one reader told, one not.
    const db = openDatabase(databasePath(dataDir));
    migrate(db, before);
    const users = new UserRepository(db);
    const chief = users.insert({ username: 'tbt', passwordHash: 'x', role: 'editor_in_chief', unitId: null, displayName: 'Tổng biên tập' }, NOW);
    const told = users.insert({ username: 'docgia-1', passwordHash: 'x', role: 'reader', unitId: null, displayName: 'Chi bộ 1' }, NOW);
    const notTold = users.insert({ username: 'docgia-2', passwordHash: 'x', role: 'reader', unitId: null, displayName: 'Chi bộ 2' }, NOW);
    const issues = new IssueRepository(db);
    const ten = issues.insert({ ...ISSUE, number: 10, createdBy: chief }, NOW);
    const eleven = issues.insert({ ...ISSUE, number: 11, date: '2026-11-15', createdBy: chief }, NOW);
    for (const id of [ten, eleven]) {
      new PublicationRepository(db).publish(id, undefined, chief, NOW);
      issues.setState(id, 'published', NOW);
    }
    const notes = new NotificationRepository(db);
    notes.insert({ userId: told, articleId: null, kind: 'issue.published', message: 'Bản tin Thông báo Nội bộ số 10 – Tháng 10/2026 đã phát hành.' }, NOW);
    notes.insert({ userId: notTold, articleId: null, kind: 'article.approved', message: 'Bài số 10 – Tháng 10/2026 đã phát hành.' }, NOW);
    db.close();

    const store = openStore(dataDir);
    try {
      expect(store.migration.applied).toContain('301-issue-reader-notices');
      expect([...store.notifications.issueNoticed(ten).thisIssue]).toEqual([told]);
      expect([...store.notifications.issueNoticed(eleven).thisIssue]).toEqual([]);

      // Publishing number 10 again after the upgrade tells only the reader who never heard of it.
      const notifier = new Notifier({ store, clock: () => new Date(NOW) });
      expect(store.transaction(() => notifier.issuePublished(ten))).toBe(1);
      expect(store.notifications.list(told, false, 10).filter((n) => n.kind.startsWith('issue.'))).toHaveLength(1);
      expect(store.notifications.list(notTold, false, 10).filter((n) => n.kind === 'issue.published')).toHaveLength(1);
    } finally {
      store.close();
    }
  });
});
