/**
 * `bantin restore`: turns a backup archive back into a data dir, or refuses and leaves nothing behind.
 *
 * The archive is untrusted: entries are extracted into a hidden temp dir next to the target (same
 * filesystem, so the final rename is atomic), only regular files under `data/` with safe relative paths
 * are accepted, every file must match the manifest's size and sha256 and every manifest entry must be
 * present, and the database must pass SQLite's integrity check. Only then is the temp dir renamed to the
 * target, which must be missing or empty.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { AppError, BadInputError, NotFoundError } from '../domain/errors.ts';
import { verifyDatabaseFile } from '../store/backup.ts';
import { listMigrations } from '../store/database.ts';
import { DATA_PREFIX, MANIFEST_NAME, ManifestSchema, isSafeRelativePath, type BackupManifest } from './backup-manifest.ts';

export interface RestoreResult {
  dataDir: string;
  files: number;
  bytes: number;
  manifest: BackupManifest;
}

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export async function restoreBackup(archive: string, target: string): Promise<RestoreResult> {
  const dataDir = path.resolve(target);
  if (!fs.existsSync(archive)) throw new NotFoundError(`no backup file at ${archive}`, { file: archive });
  await assertEmptyOrMissing(dataDir);
  const createdParent = await fsp.mkdir(path.dirname(dataDir), { recursive: true });
  const temp = await fsp.mkdtemp(path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.restore-`));
  try {
    const { manifest, seen } = await extractInto(archive, temp);
    verifyAgainstManifest(manifest, seen);
    const schemaVersion = verifyDatabaseFile(path.join(temp, manifest.database));
    if (schemaVersion !== manifest.schemaVersion) {
      throw tampered(`the database has schema version ${schemaVersion}, the manifest says ${manifest.schemaVersion}`);
    }
    const newest = Math.max(0, ...listMigrations().map((m) => m.version));
    if (schemaVersion > newest) {
      throw new BadInputError(`the backup was made by a newer bantin (schema ${schemaVersion}, this one knows up to ${newest}); upgrade bantin first`, { file: archive });
    }
    await fsp.rename(temp, dataDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST') throw new BadInputError('the target data dir is no longer empty', { file: dataDir });
      throw err;
    });
    return { dataDir, files: manifest.entries.length, bytes: manifest.entries.reduce((n, e) => n + e.size, 0), manifest };
  } catch (err) {
    await fsp.rm(temp, { recursive: true, force: true });
    if (createdParent) await fsp.rm(createdParent, { recursive: true, force: true });
    if (err instanceof AppError) throw err;
    // gunzip / tar parse failures: the bytes are not a whole archive.
    throw new BadInputError(`the backup archive is damaged: ${err instanceof Error ? err.message : String(err)}`, { file: archive, cause: err });
  }
}

async function assertEmptyOrMissing(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fsp.readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new BadInputError('the restore target is a file, not a directory', { file: dir, expected: 'an empty or missing directory' });
    throw err;
  }
  if (entries.length) {
    throw new BadInputError(`the restore target is not empty (${entries.length} entries); restore never overwrites data`, { file: dir, expected: 'an empty or missing directory' });
  }
}

interface Seen {
  size: number;
  sha256: string;
}

async function extractInto(archive: string, temp: string): Promise<{ manifest: BackupManifest; seen: Map<string, Seen> }> {
  const seen = new Map<string, Seen>();
  let manifestBytes: Buffer | undefined;
  const extract = tar.extract();
  const source = fs.createReadStream(archive);
  const gzipped = await startsWithGzipMagic(archive);
  const feeding = gzipped ? pipeline(source, zlib.createGunzip(), extract) : pipeline(source, extract);
  // Surfaces after the loop; until then the iterator sees the stream error itself.
  feeding.catch(() => undefined);
  for await (const entry of extract) {
    const { name, type } = entry.header;
    if (type === 'directory') {
      entry.resume();
      continue;
    }
    if (type !== 'file') throw tampered(`entry "${name}" is a ${type ?? 'special entry'}, not a regular file`);
    if (name === MANIFEST_NAME) {
      if (manifestBytes) throw tampered('the archive holds two manifests');
      manifestBytes = await readAll(chunksOf(entry), MAX_MANIFEST_BYTES);
      continue;
    }
    const rel = name.startsWith(DATA_PREFIX) ? name.slice(DATA_PREFIX.length) : '';
    if (!isSafeRelativePath(rel)) throw tampered(`entry "${name}" is outside the data dir`);
    if (seen.has(rel)) throw tampered(`entry "${name}" appears twice`);
    const dest = path.join(temp, ...rel.split('/'));
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    seen.set(rel, await writeHashed(chunksOf(entry), dest));
  }
  await feeding;
  if (!manifestBytes) throw tampered('the archive has no manifest.json (not a bantin backup, or cut short)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestBytes.toString('utf8'));
  } catch (err) {
    throw tampered('manifest.json is not JSON', err);
  }
  const manifest = ManifestSchema.safeParse(parsed);
  if (!manifest.success) {
    throw new BadInputError('manifest.json is not a bantin backup manifest', {
      field: MANIFEST_NAME,
      problems: manifest.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  return { manifest: manifest.data, seen };
}

function verifyAgainstManifest(manifest: BackupManifest, seen: Map<string, Seen>): void {
  const problems: { field: string; message: string }[] = [];
  const listed = new Set<string>();
  for (const e of manifest.entries) {
    listed.add(e.path);
    const got = seen.get(e.path);
    if (!got) problems.push({ field: e.path, message: 'listed in the manifest but missing from the archive' });
    else if (got.size !== e.size) problems.push({ field: e.path, message: `size ${got.size}, manifest says ${e.size}` });
    else if (got.sha256 !== e.sha256) problems.push({ field: e.path, message: `sha256 ${got.sha256}, manifest says ${e.sha256}` });
  }
  for (const rel of seen.keys()) if (!listed.has(rel)) problems.push({ field: rel, message: 'in the archive but not in the manifest' });
  if (!listed.has(manifest.database)) problems.push({ field: manifest.database, message: 'the database is not in the manifest' });
  if (problems.length) throw new BadInputError(`the backup does not match its manifest (${problems.length} problems); nothing was restored`, { problems });
}

function tampered(message: string, cause?: unknown): BadInputError {
  return new BadInputError(`the backup archive is damaged or altered: ${message}; nothing was restored`, { cause });
}

type TarEntry = tar.Extract extends AsyncIterable<infer S> ? S : never;

/** tar-stream entries are streamx streams: async-iterable at run time, though streamx's typings omit it. */
function chunksOf(entry: TarEntry): AsyncIterable<Buffer> {
  return entry as unknown as AsyncIterable<Buffer>;
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const h = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await h.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await h.close();
  }
}

async function readAll(stream: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream) {
    n += chunk.length;
    if (n > limit) throw tampered(`manifest.json is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function writeHashed(entry: AsyncIterable<Buffer>, dest: string): Promise<Seen> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  await pipeline(
    entry,
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    }),
    fs.createWriteStream(dest, { flags: 'wx' }),
  );
  return { size, sha256: hash.digest('hex') };
}
