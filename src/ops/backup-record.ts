/**
 * The last backup of a data dir (time, size, where), kept in `<data dir>/.last-backup.json` so the admin's
 * system page can say when the office last saved its work. Written by every backup, manual or scheduled,
 * after the archive is complete. The leading dot keeps it out of the backups themselves.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export const BACKUP_RECORD = '.last-backup.json';

export interface BackupRecord {
  file: string;
  bytes: number;
  sha256: string;
  at: string;
  files: number;
}

export async function writeBackupRecord(dataDir: string, record: BackupRecord): Promise<void> {
  const target = path.join(dataDir, BACKUP_RECORD);
  const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(record, null, 2) + '\n', { flag: 'wx' });
  await fs.rename(tmp, target);
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
