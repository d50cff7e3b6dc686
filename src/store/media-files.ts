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
