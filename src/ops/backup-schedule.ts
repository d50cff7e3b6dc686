/**
 * The server's daily backup (BANTIN_BACKUP_DIR; off when unset): once per day a `bantin-YYYY-MM-DD.tar.gz`
 * is written with the same code as `bantin backup`, then old ones are pruned (7 daily + 4 weekly). Checked
 * at start and hourly, so a server that was off at night still gets its backup when it comes back.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathExists } from '../atomic-file.ts';
import { createBackup, type BackupResult } from './backup.ts';
import { backupFileName, backupsToDelete } from './backup-retention.ts';

export interface BackupScheduleDeps {
  dataDir: string;
  backupDir: string;
  clock: () => Date;
  logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  checkEveryMs?: number;
}

export interface BackupSchedule {
  /** Makes today's backup if it is missing and prunes; resolves with what it did. */
  runIfDue(): Promise<{ created?: BackupResult; deleted: string[] }>;
  stop(): void;
}

export function startBackupSchedule(deps: BackupScheduleDeps): BackupSchedule {
  let running: Promise<{ created?: BackupResult; deleted: string[] }> | undefined;
  const runIfDue = () => {
    running ??= runOnce(deps).finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = () => {
    runIfDue().catch((err: unknown) => deps.logger.error({ err, backupDir: deps.backupDir }, 'scheduled backup failed; will retry within the hour'));
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, deps.checkEveryMs ?? 3_600_000);
  first.unref();
  timer.unref();
  return {
    runIfDue,
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

async function runOnce(deps: BackupScheduleDeps): Promise<{ created?: BackupResult; deleted: string[] }> {
  await fs.mkdir(deps.backupDir, { recursive: true });
  const name = backupFileName(deps.clock());
  const target = path.join(deps.backupDir, name);
  let created: BackupResult | undefined;
  if (!(await pathExists(target))) {
    created = await createBackup({ dataDir: deps.dataDir, outFile: target, clock: deps.clock, exclude: [deps.backupDir] });
    deps.logger.info({ file: created.file, bytes: created.bytes, files: created.manifest.entries.length }, 'scheduled backup written');
  }
  const deleted = backupsToDelete(await fs.readdir(deps.backupDir));
  for (const old of deleted) await fs.rm(path.join(deps.backupDir, old), { force: true });
  if (deleted.length) deps.logger.info({ deleted }, 'old backups pruned (7 daily + 4 weekly kept)');
  return { created, deleted };
}
