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

export async function pathExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
