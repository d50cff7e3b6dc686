/**
 * The scheduled backup: keeps the newest 7 days and the newest backup of each of the 4 newest weeks, never
 * touches other files, and writes today's archive (restorable) once per day. The maintenance schedule around
 * it sweeps unused pictures once a day, with or without backups, and one failing step does not skip the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupsToDelete } from '../../src/ops/backup-retention.ts';
import { startMaintenance } from '../../src/ops/maintenance.ts';
import { pruneMedia } from '../../src/ops/media-prune.ts';
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
    const store = openStore(dataDir);
    fs.mkdirSync(backupDir, { recursive: true });
    for (let i = 1; i <= 40; i += 1) fs.writeFileSync(path.join(backupDir, day(new Date(Date.UTC(2026, 10, 23) - i * 86_400_000).toISOString().slice(0, 10))), 'old');
    const logs: string[] = [];
    const clock = () => new Date('2026-11-23T02:00:00Z');
    const schedule = startMaintenance({
      dataDir,
      backupDir,
      clock,
      pruneMedia: () => pruneMedia({ store, clock, graceDays: 7 }),
      logger: { info: (_o, m) => logs.push(m), error: (_o, m) => logs.push(m) },
    });
    try {
      const first = await schedule.runIfDue();
      expect(first.media).toMatchObject({ dryRun: false, pictures: [] });
      expect(first.backup?.created?.file).toBe(path.join(backupDir, 'bantin-2026-11-23.tar.gz'));
      expect(fs.readdirSync(backupDir).length).toBe(7 + 2);
      // Later the same day: the sweep has run today, the backup exists.
      const second = await schedule.runIfDue();
      expect(second.media).toBeUndefined();
      expect(second.backup?.created).toBeUndefined();
      expect(second.backup?.deleted).toEqual([]);
    } finally {
      await schedule.stop();
      store.close();
    }
    const restored = await restoreBackup(path.join(backupDir, 'bantin-2026-11-23.tar.gz'), path.join(root, 'restored'));
    expect(restored.manifest.entries.map((e) => e.path)).toEqual(['bantin.sqlite']);
    expect(logs).toContain('scheduled backup written');
  });
});

describe('scheduled maintenance', () => {
  it('sweeps media once a day without a backup dir, and a failing sweep is logged without skipping the backup', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-maint-'));
    try {
      let today = new Date('2026-11-23T02:00:00Z');
      let sweeps = 0;
      const sweep = () => {
        sweeps += 1;
        return Promise.resolve({ dryRun: false, pictures: [], bytes: 0, strayFiles: [], keptByText: 0 });
      };
      const quiet = { info: () => undefined, error: () => undefined };
      const noBackups = startMaintenance({ dataDir: root, clock: () => today, pruneMedia: sweep, logger: quiet });
      try {
        expect((await noBackups.runIfDue()).backup).toBeUndefined();
        await noBackups.runIfDue();
        expect(sweeps).toBe(1);
        today = new Date('2026-11-24T00:30:00Z');
        await noBackups.runIfDue();
        expect(sweeps).toBe(2);
      } finally {
        await noBackups.stop();
      }

      const dataDir = path.join(root, 'data');
      openStore(dataDir).close();
      const errors: string[] = [];
      const failing = startMaintenance({
        dataDir,
        backupDir: path.join(root, 'backups'),
        clock: () => today,
        pruneMedia: () => Promise.reject(new Error('media/ is not readable')),
        logger: { info: () => undefined, error: (_o, m) => errors.push(m) },
      });
      try {
        await expect(failing.runIfDue()).rejects.toThrow(/1 step\(s\) failed/);
        expect(errors).toEqual(['media sweep failed; will retry within the hour']);
        expect(fs.readdirSync(path.join(root, 'backups'))).toEqual(['bantin-2026-11-24.tar.gz']);
      } finally {
        await failing.stop();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
