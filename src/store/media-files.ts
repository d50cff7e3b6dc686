/**
 * The picture files: `<data dir>/media/<first two hex digits>/<sha256>.<ext>`, written once and never
 * changed (content-addressed: the same bytes always get the same name). Writes go to a temp file in the
 * same directory, are flushed, then renamed into place, so a crash leaves either the whole file or none;
 * temp names start with "." so `bantin backup` skips them. Two shard levels keep directories small at
 * hundreds of thousands of photos.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pathExists, writeFileAtomic } from '../atomic-file.ts';

export const MEDIA_DIR = 'media';

/** `.<sha256>.<ext>.pruned`: a file the media sweep is removing (hidden, so backups skip it). */
const TOMBSTONE_SUFFIX = '.pruned';
const STORED_NAME = /^[0-9a-f]{64}\.(?:jpg|png)$/;

export class MediaFiles {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, MEDIA_DIR);
  }

  /** Where the file named `<sha256>.<ext>` lives (the caller has validated the name). */
  pathOf(fileName: string): string {
    return path.join(this.dir, fileName.slice(0, 2), fileName);
  }

  /** Stores `bytes` under their sha256 (no-op when already there) and returns the hash. */
  async put(bytes: Uint8Array, ext: 'jpg' | 'png'): Promise<string> {
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(`${sha256}.${ext}`);
    if (await pathExists(target)) return sha256;
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, bytes, { durable: true });
    return sha256;
  }

  /**
   * Removes a picture file whose row the caller has already deleted. The file is first renamed to a
   * hidden tombstone, then `stillWanted()` asks the database again: an upload of the same bytes that
   * committed meanwhile found the file in place and skipped writing it, so the tombstone goes back. A file
   * that is already gone is fine. Returns whether a file was removed.
   */
  async remove(fileName: string, stillWanted: () => boolean): Promise<boolean> {
    const file = this.pathOf(fileName);
    const tombstone = path.join(path.dirname(file), `.${fileName}${TOMBSTONE_SUFFIX}`);
    try {
      await fsp.rename(file, tombstone);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    return this.settleTombstone(fileName, stillWanted);
  }

  /** A tombstone left by a sweep (or a crash inside one): back in place when wanted, deleted otherwise. */
  async settleTombstone(fileName: string, stillWanted: () => boolean): Promise<boolean> {
    const file = this.pathOf(fileName);
    const tombstone = path.join(path.dirname(file), `.${fileName}${TOMBSTONE_SUFFIX}`);
    if (stillWanted()) {
      await fsp.rename(tombstone, file);
      return false;
    }
    await fsp.rm(tombstone, { force: true });
    return true;
  }

  /** Every stored picture file and tombstone, with its modification time (for the sweep's orphan-file pass). */
  async list(): Promise<{ fileName: string; tombstone: boolean; mtimeMs: number }[]> {
    const out: { fileName: string; tombstone: boolean; mtimeMs: number }[] = [];
    let shards: string[];
    try {
      shards = await fsp.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw err;
    }
    for (const shard of shards.filter((s) => /^[0-9a-f]{2}$/.test(s))) {
      for (const name of await fsp.readdir(path.join(this.dir, shard))) {
        const tombstone = name.startsWith('.') && name.endsWith(TOMBSTONE_SUFFIX);
        const fileName = tombstone ? name.slice(1, -TOMBSTONE_SUFFIX.length) : name;
        if (!STORED_NAME.test(fileName) || (name.startsWith('.') && !tombstone)) continue;
        const st = await fsp.stat(path.join(this.dir, shard, name)).catch((err: NodeJS.ErrnoException) => {
          // Removed between listing and stat (another sweep, a restore): nothing to do about it.
          if (err.code === 'ENOENT') return undefined;
          throw err;
        });
        if (st) out.push({ fileName, tombstone, mtimeMs: st.mtimeMs });
      }
    }
    return out;
  }

  /** Size of a stored file, or null when it is not there. */
  sizeOf(fileName: string): number | null {
    try {
      return fs.statSync(this.pathOf(fileName)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
