/**
 * The render cache key: a sha256 over everything a typeset depends on — every file of the exported issue
 * directory (path + content), the layouts, the fonts, the engine's own code and versions, the job options
 * and the build date (preflight judges licence expiry by date). Same key ⇒ same PDFs, so the worker can
 * copy the earlier rendition instead of paginating again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      // A missing directory (no layouts of that name) simply contributes nothing to the key.
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) out.push(abs);
    }
  };
  await walk(root);
  return out.sort();
}

/** Hash of the contents of every file under the given directories (stable order). */
export async function hashTrees(dirs: string[]): Promise<string> {
  const h = crypto.createHash('sha256');
  for (const dir of dirs) {
    for (const file of await listFiles(dir)) {
      h.update(path.relative(dir, file)).update('\0').update(await fs.readFile(file)).update('\0');
    }
    h.update('\u0001');
  }
  return h.digest('hex');
}

export async function renderInputHash(exportDir: string, engineFingerprint: string, extras: Record<string, unknown>): Promise<string> {
  const files = await hashTrees([exportDir]);
  return crypto.createHash('sha256').update(JSON.stringify({ files, engineFingerprint, extras })).digest('hex');
}

const TYPESET_SRC = fileURLToPath(new URL('../typeset/', import.meta.url));

/** What every render depends on besides its input: layouts, fonts and the engine's own code. */
export function engineFingerprint(layouts: { layoutsDir: string; fontsDir: string }): Promise<string> {
  return hashTrees([layouts.layoutsDir, layouts.fontsDir, TYPESET_SRC]);
}
