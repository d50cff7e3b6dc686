/**
 * The last backup of a data dir (time, size, where), kept in `<data dir>/.last-backup.json` so the admin's
 * system page can say when the office last saved its work. Written by every backup, manual or scheduled,
 * after the archive is complete. The leading dot keeps it out of the backups themselves.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.ts';

export const BACKUP_RECORD = '.last-backup.json';

export interface BackupRecord {
  file: string;
  bytes: number;
  sha256: string;
  at: string;
  files: number;
}

export async function writeBackupRecord(dataDir: string, record: BackupRecord): Promise<void> {
  await writeFileAtomic(path.join(dataDir, BACKUP_RECORD), JSON.stringify(record, null, 2) + '\n');
}

/** The recorded last backup, or null when this data dir was never backed up. */
export async function readBackupRecord(dataDir: string): Promise<BackupRecord | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dataDir, BACKUP_RECORD), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const r = JSON.parse(text) as Partial<BackupRecord>;
  if (typeof r.file !== 'string' || typeof r.at !== 'string' || typeof r.bytes !== 'number') throw new Error(`${BACKUP_RECORD} in ${dataDir} is not a backup record`);
  return { file: r.file, at: r.at, bytes: r.bytes, sha256: String(r.sha256 ?? ''), files: Number(r.files ?? 0) };
}
