/**
 * The server's daily backup (BANTIN_BACKUP_DIR; off when unset): once per day a `bantin-YYYY-MM-DD.tar.gz`
 * is written with the same code as `bantin backup`, then old ones are pruned (7 daily + 4 weekly). The
 * maintenance schedule (maintenance.ts) checks at start and hourly, so a server that was off at night still
 * gets its backup when it comes back.
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
  logger: { info(obj: object, msg: string): void };
}

export interface BackupRun {
  created?: BackupResult;
  deleted: string[];
}

/** Makes today's backup if it is missing and prunes old ones; run by the maintenance schedule (maintenance.ts). */
export async function runDailyBackup(deps: BackupScheduleDeps): Promise<BackupRun> {
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
