/**
 * `bantin backup`: one gzip'd tar archive of a data dir, taken while the server runs.
 *
 * Why tar-stream rather than jszip: a data dir with years of renditions is gigabytes; tar-stream writes
 * and reads entry by entry with constant memory, hashes each file while it streams, and lets restore
 * decide itself where (and whether) each entry may land. jszip holds the whole archive in memory.
 *
 * Order matters for consistency: the database snapshot is taken FIRST, then the files are listed, so
 * every rendition the snapshot references is already complete on disk (renditions are renamed into
 * place before they are recorded). Files written later are included too; they are harmless extras.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { BadInputError } from '../domain/errors.ts';
import { snapshotDatabase } from '../store/backup.ts';
import { DATABASE_FILE } from '../store/index.ts';
import { bantinVersion } from './version.ts';
import { writeBackupRecord } from './backup-record.ts';
import { BACKUP_FORMAT, DATA_PREFIX, MANIFEST_NAME, type BackupManifest, type ManifestEntry } from './backup-manifest.ts';

export interface BackupOptions {
  dataDir: string;
  /** The archive to write (atomically: temp file + rename). */
  outFile: string;
  clock?: () => Date;
  /** Absolute paths never to include (e.g. a backup dir that lives inside the data dir). */
  exclude?: string[];
}

export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
  manifest: BackupManifest;
  /** Why the data dir's last-backup record could not be written (the archive itself is fine). */
  recordError?: string;
}

/** The SQLite file and its WAL/SHM/journal companions: the snapshot replaces them all. */
const DATABASE_FILES = new Set([DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`]);
/** Scratch space of running typeset jobs; rebuilt on demand, never worth restoring. */
const SCRATCH_DIRS = new Set(['work']);

export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const clock = opts.clock ?? (() => new Date());
  const dataDir = path.resolve(opts.dataDir);
  const outFile = path.resolve(opts.outFile);
  const insideDataDir = outFile === dataDir || outFile.startsWith(dataDir + path.sep);
  const insideExcluded = (opts.exclude ?? []).some((e) => outFile.startsWith(path.resolve(e) + path.sep));
  if (insideDataDir && !insideExcluded) {
    // An archive inside the data dir would end up in the next backup, and so on.
    throw new BadInputError('the backup file must not be inside the data dir', { file: opts.outFile, expected: `a path outside ${dataDir}` });
  }
  await fsp.mkdir(path.dirname(outFile), { recursive: true });
  const stamp = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const tmpArchive = `${outFile}.${stamp}.tmp`;
  const tmpDb = path.join(path.dirname(outFile), `.bantin-snapshot-${stamp}.sqlite`);
  try {
    const snapshot = await snapshotDatabase(path.join(dataDir, DATABASE_FILE), tmpDb);
    const files = await listDataFiles(dataDir, [outFile, tmpArchive, ...(opts.exclude ?? []).map((e) => path.resolve(e))]);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: 1,
      createdAt: clock().toISOString(),
      bantinVersion: bantinVersion(),
      schemaVersion: snapshot.schemaVersion,
      database: DATABASE_FILE,
      entries: [],
      skipped: [],
    };
    const pack = tar.pack();
    const archiveHash = crypto.createHash('sha256');
    let archiveBytes = 0;
    const written = pipeline(
      pack,
      zlib.createGzip({ level: 6 }),
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          archiveHash.update(chunk);
          archiveBytes += chunk.length;
          done(null, chunk);
        },
      }),
      fs.createWriteStream(tmpArchive, { flags: 'wx' }),
    );
    // If the write side fails (disk full), stop feeding entries instead of waiting forever.
    written.catch(() => pack.destroy());
    manifest.entries.push(await addFile(pack, tmpDb, DATABASE_FILE, clock()));
    for (const rel of files) {
      const entry = await addFile(pack, path.join(dataDir, rel), rel, clock()).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (entry) manifest.entries.push(entry);
      else manifest.skipped.push(rel);
    }
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
    pack.entry({ name: MANIFEST_NAME, size: manifestBytes.length, mode: 0o644, mtime: clock() }, manifestBytes);
    pack.finalize();
    await written;
    await fsync(tmpArchive);
    await fsp.rename(tmpArchive, outFile);
    const sha256 = archiveHash.digest('hex');
    // The archive is complete; not being able to note it (a read-only data dir) must not fail the backup.
    const recordError = await writeBackupRecord(dataDir, { file: outFile, bytes: archiveBytes, sha256, at: manifest.createdAt, files: manifest.entries.length }).then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    return { file: outFile, bytes: archiveBytes, sha256, manifest, ...(recordError ? { recordError } : {}) };
  } finally {
    await fsp.rm(tmpArchive, { force: true });
    await fsp.rm(tmpDb, { force: true });
  }
}

/** Every regular file of the data dir except the live database files, scratch dirs and temp files. */
async function listDataFiles(dataDir: string, exclude: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fsp.readdir(path.join(dataDir, rel), { withFileTypes: true });
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(dataDir, childRel);
      // Names starting with '.' or ending in .tmp are writes in progress (temp file + rename).
      if (e.name.startsWith('.') || e.name.endsWith('.tmp')) continue;
      if (exclude.some((x) => abs === x || abs.startsWith(x + path.sep))) continue;
      if (!rel && (DATABASE_FILES.has(e.name) || SCRATCH_DIRS.has(e.name))) continue;
      if (e.isDirectory()) await walk(childRel);
      else if (e.isFile()) out.push(childRel);
    }
  };
  await walk('');
  return out.sort();
}

/** Streams one file into the archive, hashing it on the way; reads exactly the size it had when listed. */
async function addFile(pack: tar.Pack, abs: string, rel: string, mtime: Date): Promise<ManifestEntry> {
  const handle = await fsp.open(abs, 'r');
  try {
    const { size } = await handle.stat();
    const hash = crypto.createHash('sha256');
    const entry = pack.entry({ name: DATA_PREFIX + rel, size, mode: 0o644, mtime });
    const source = size === 0 ? [] : handle.createReadStream({ start: 0, end: size - 1, autoClose: false });
    await pipeline(
      source,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      entry,
    );
    return { path: rel, size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

async function fsync(file: string): Promise<void> {
  const h = await fsp.open(file, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
