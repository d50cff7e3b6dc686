/**
 * The scheduled backup: keeps the newest 7 days and the newest backup of each of the 4 newest weeks, never
 * touches other files, and writes today's archive (restorable) once per day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupsToDelete } from '../../src/ops/backup-retention.ts';
import { startBackupSchedule } from '../../src/ops/backup-schedule.ts';
import { restoreBackup } from '../../src/ops/restore.ts';
import { openStore } from '../../src/store/index.ts';

const day = (iso: string) => `bantin-${iso}.tar.gz`;

describe('backup retention', () => {
  it('keeps 7 daily and 4 weekly backups out of 60 days of them, and nothing else is touched', () => {
    const names = Array.from({ length: 60 }, (_, i) => day(new Date(Date.UTC(2026, 10, 23) - i * 86_400_000).toISOString().slice(0, 10)));
    names.push('notes.txt', 'bantin-manual.tar.gz');
    const deleted = new Set(backupsToDelete(names));
    const kept = names.filter((n) => !deleted.has(n)).sort();
    // 2026-11-23 is a Monday: the 7 newest days cover two weeks (the 23rd's and the 16th's, kept by its
    // Sunday the 22nd); the Sundays of the two weeks before complete the 4 weeks.
    expect(kept).toEqual([
      'bantin-2026-11-08.tar.gz', 'bantin-2026-11-15.tar.gz',
      'bantin-2026-11-17.tar.gz', 'bantin-2026-11-18.tar.gz', 'bantin-2026-11-19.tar.gz', 'bantin-2026-11-20.tar.gz',
      'bantin-2026-11-21.tar.gz', 'bantin-2026-11-22.tar.gz', 'bantin-2026-11-23.tar.gz',
      'bantin-manual.tar.gz', 'notes.txt',
    ]);
  });

  it('keeps everything while there are fewer backups than the policy holds', () => {
    expect(backupsToDelete([day('2026-11-20'), day('2026-11-21')])).toEqual([]);
  });
});

describe('scheduled backup', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-schedule-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes today\'s backup once, prunes old ones, and the archive restores (backup dir inside the data dir is left out)', async () => {
    const dataDir = path.join(root, 'data');
    const backupDir = path.join(dataDir, 'backups');
    openStore(dataDir).close();
    fs.mkdirSync(backupDir, { recursive: true });
    for (let i = 1; i <= 40; i += 1) fs.writeFileSync(path.join(backupDir, day(new Date(Date.UTC(2026, 10, 23) - i * 86_400_000).toISOString().slice(0, 10))), 'old');
    const logs: string[] = [];
    const schedule = startBackupSchedule({
      dataDir,
      backupDir,
      clock: () => new Date('2026-11-23T02:00:00Z'),
      logger: { info: (_o, m) => logs.push(m), error: (_o, m) => logs.push(m) },
    });
    try {
      const first = await schedule.runIfDue();
      expect(first.created?.file).toBe(path.join(backupDir, 'bantin-2026-11-23.tar.gz'));
      expect(fs.readdirSync(backupDir).length).toBe(7 + 2);
      const second = await schedule.runIfDue();
      expect(second.created).toBeUndefined();
      expect(second.deleted).toEqual([]);
    } finally {
      schedule.stop();
    }
    const restored = await restoreBackup(path.join(backupDir, 'bantin-2026-11-23.tar.gz'), path.join(root, 'restored'));
    expect(restored.manifest.entries.map((e) => e.path)).toEqual(['bantin.sqlite']);
    expect(logs).toContain('scheduled backup written');
  });
});
