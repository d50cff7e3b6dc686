/**
 * Paths written by people (issue.yaml, article image src/href) are resolved here and nowhere else, so
 * one function decides what "inside the issue directory" means. Rejected: empty, URLs (any scheme),
 * absolute paths (POSIX or Windows drive), backslashes, `..` segments, and symlinks whose target
 * leaves the directory. Existence is checked too, because a missing file is a bad-input error.
 */
import fs from 'node:fs';
import path from 'node:path';

export type PathVerdict =
  | { ok: true; /** relative to the root, forward slashes */ rel: string; abs: string }
  | { ok: false; reason: string; expected: string };

const EXPECTED = 'a relative path inside the issue directory, e.g. articles/01-bai-viet.md';

/** A URL scheme such as `http:`, `file:`, `data:` or `javascript:` (but not a Windows drive `C:`). */
export function hasUrlScheme(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(ref) || ref.startsWith('//');
}

export interface RefOptions {
  /**
   * Allow `..` segments as long as the resolved path stays inside the root: an article in articles/
   * may reach images/ as `../images/x.jpg`. issue.yaml paths never need `..` and never get this.
   */
  dotDotInside?: boolean;
}

/** Checks the spelling of a reference without touching the disk. */
export function checkRelativeRef(ref: string, opts: RefOptions = {}): PathVerdict | null {
  if (ref.trim() === '') return { ok: false, reason: 'empty path', expected: EXPECTED };
  if (hasUrlScheme(ref)) return { ok: false, reason: `URLs are not allowed: "${ref}"`, expected: EXPECTED };
  if (ref.includes('\\')) return { ok: false, reason: `backslashes are not allowed: "${ref}"`, expected: `${EXPECTED} (use forward slashes)` };
  if (ref.startsWith('/') || /^[a-z]:/i.test(ref)) return { ok: false, reason: `absolute paths are not allowed: "${ref}"`, expected: EXPECTED };
  if (!opts.dotDotInside && ref.split('/').some((seg) => seg === '..')) return { ok: false, reason: `".." is not allowed: "${ref}"`, expected: EXPECTED };
  if (ref.includes('\0')) return { ok: false, reason: 'NUL byte in path', expected: EXPECTED };
  return null;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves `ref` against `baseDir` (itself inside `root`) and proves the real file stays inside the
 * real `root`. `root` must already be a realpath.
 */
export function resolveInside(root: string, baseDir: string, ref: string, opts: RefOptions = {}): PathVerdict {
  const spelling = checkRelativeRef(ref, opts);
  if (spelling) return spelling;
  const decoded = safeDecode(ref);
  const abs = path.resolve(baseDir, decoded);
  if (!isInside(root, abs)) return { ok: false, reason: `path leaves the issue directory: "${ref}"`, expected: EXPECTED };
  const onDisk = spelledOnDisk(baseDir, abs);
  const real = onDisk === undefined ? undefined : realpathOrUndefined(onDisk);
  // realpath only fails for files that do not exist (or dangling links): both are "missing file".
  if (onDisk === undefined || real === undefined) return { ok: false, reason: `file not found: "${ref}"`, expected: 'an existing file' };
  if (!isInside(root, real)) return { ok: false, reason: `symlink leaves the issue directory: "${ref}"`, expected: EXPECTED };
  if (!fs.statSync(real).isFile()) return { ok: false, reason: `not a regular file: "${ref}"`, expected: 'a file, not a directory' };
  // `rel` is spelled as on disk: Chromium fetches images by it, and a URL in another Unicode form is another file.
  return { ok: true, rel: path.relative(root, onDisk).split(path.sep).join('/'), abs: real };
}

/**
 * `abs` as it is spelled on disk, or undefined when it does not exist. People type Vietnamese file names in
 * NFC, but an issue copied from a Mac (or unzipped by some tools) has them in NFD on disk: the same name in
 * another Unicode form is the same file, so each missing segment below `baseDir` is looked up by its NFC form.
 */
function spelledOnDisk(baseDir: string, abs: string): string | undefined {
  if (fs.existsSync(abs)) return abs;
  if (abs === abs.normalize('NFC') && abs === abs.normalize('NFD')) return undefined;
  let dir = baseDir;
  for (const segment of path.relative(baseDir, abs).split(path.sep)) {
    const exact = path.join(dir, segment);
    if (segment === '..' || fs.existsSync(exact)) {
      dir = exact;
      continue;
    }
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return undefined;
    const wanted = segment.normalize('NFC');
    const match = fs.readdirSync(dir).find((name) => name.normalize('NFC') === wanted);
    if (match === undefined) return undefined;
    dir = path.join(dir, match);
  }
  return dir;
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Markdown/HTML authors percent-encode spaces in src; an undecodable ref is used verbatim. */
function safeDecode(ref: string): string {
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref;
  }
}
