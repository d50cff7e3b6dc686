/**
 * What Chromium may load during a build: files inside the build's own directories (issue, fonts,
 * Paged.js, the work dir) and data: URLs. Everything else — http(s) to anywhere, file:// elsewhere,
 * symlinks leading out — is refused, so uploaded HTML cannot reach the machine or the LAN.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The allow-list: file:// inside allowDirs, data:, and the about:blank of a new page. */
export function isAllowedUrl(url: string, allowDirs: string[]): boolean {
  if (url.startsWith('data:') || url === 'about:blank') return true;
  if (!url.startsWith('file:')) return false;
  let file: string;
  try {
    file = path.resolve(fileURLToPath(url));
  } catch (err) {
    if (err instanceof TypeError) return false;
    throw err;
  }
  // Resolve symlinks on both sides: a link inside the issue pointing at /etc must not pass.
  const real = realpathOrSelf(file);
  return allowDirs.some((dir) => {
    const root = realpathOrSelf(path.resolve(dir));
    return real === root || real.startsWith(root + path.sep);
  });
}

function realpathOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch (err) {
    // A file that does not exist cannot leak anything; Chromium will simply fail to load it.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return p;
    throw err;
  }
}
