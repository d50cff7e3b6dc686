/**
 * What a bantin backup archive holds, written as `manifest.json` (the archive's last entry, because the
 * hashes are computed while the files stream in). Restore trusts nothing it cannot check against this.
 */
import { z } from 'zod';

export const BACKUP_FORMAT = 'bantin-backup';
export const MANIFEST_NAME = 'manifest.json';
/** Every data file sits under this prefix in the archive, at its path relative to the data dir. */
export const DATA_PREFIX = 'data/';

export const ManifestEntrySchema = z.object({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  bantinVersion: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  /** Path of the SQLite file among the entries (relative to the data dir). */
  database: z.string(),
  entries: z.array(ManifestEntrySchema),
  /** Files that disappeared between listing and reading (never a rendition: those are immutable). */
  skipped: z.array(z.string()).default([]),
});

export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;
export type BackupManifest = z.infer<typeof ManifestSchema>;

/**
 * A relative POSIX path that stays inside the data dir: no absolute paths, no `..`, no empty or `.`
 * segments, no backslashes or NUL (an archive is untrusted input).
 */
export function isSafeRelativePath(p: string): boolean {
  if (!p || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
