/**
 * Every file bantin writes for others to read (renditions, pictures, portal packages, backup records) is
 * written to a temp file in the same directory and renamed into place, so a reader or a crash never sees
 * half a file. The temp name starts with "." (backups skip it) and ends with `.<pid>.<hex>.tmp`, the
 * pattern src/ops/leftovers.ts removes once that process is gone.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Flush to disk before the rename, for files that are never rewritten (a power cut must not leave an empty one) */
  durable?: boolean;
}

export async function writeFileAtomic(file: string, bytes: Uint8Array | string, opts: AtomicWriteOptions = {}): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(tmp, 'wx');
    try {
      await handle.writeFile(bytes);
      if (opts.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Replaces the directory `dir` as a whole: `fill` writes the new content into a temp directory beside it,
 * which is then renamed into place, so a reader never sees a mix of this build's files and an earlier
 * one's (thumbnails of a longer issue, pictures of an older online edition). Resolves with what `fill` returns.
 */
export async function replaceDirAtomic<T>(dir: string, fill: (tmpDir: string) => Promise<T>): Promise<T> {
  const tmp = path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const old = `${tmp}.old`;
  try {
    await fs.mkdir(tmp);
    const result = await fill(tmp);
    await fs.rename(dir, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await fs.rename(tmp, dir);
    return result;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.rm(old, { recursive: true, force: true });
  }
}

export async function pathExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
