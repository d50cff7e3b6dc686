// Where the precompiled `bantin` command lives (made by scripts/bundle-cli.mjs) and whether it may run.
// Plain JavaScript on purpose: bin/bantin.mjs decides this before tsx is loaded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Relative to the package root; inside node_modules, so it is never committed or linted, and `npm ci` remakes it. */
export const BUNDLE_DIR = 'node_modules/.cache/bantin-cli';
export const ENTRY = 'main.mjs';
/** The source files the bundle was made from (paths relative to the package root) with their sha256. */
export const MANIFEST = 'sources.json';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The bundle entry's URL when every source file it was made from still has the same content, else
 * undefined: no bundle (never made, or npm ran with --ignore-scripts), or a source edited, renamed or
 * deleted since. Content, not modification times: a checkout or a copy can give an edited file an old
 * time. A new source file can only come into use by editing a listed one, so the listed ones suffice.
 */
export function freshBundle(root = PACKAGE_ROOT, dir = path.join(root, BUNDLE_DIR)) {
  const manifestText = readIfPresent(path.join(dir, MANIFEST));
  if (manifestText === undefined) return undefined;
  let files;
  try {
    files = Object.entries(JSON.parse(manifestText).files ?? {});
  } catch (err) {
    throw new Error(`${path.join(dir, MANIFEST)} is damaged (${err.message}); remake it with \`npm run bundle\` or delete ${dir}`, { cause: err });
  }
  if (files.length === 0) return undefined;
  for (const [file, hash] of files) {
    const bytes = readIfPresent(path.join(root, file));
    if (bytes === undefined || crypto.createHash('sha256').update(bytes).digest('hex') !== hash) return undefined;
  }
  const entry = path.join(dir, ENTRY);
  return fs.existsSync(entry) ? pathToFileURL(entry).href : undefined;
}

/** A missing file means "no bundle" or "source deleted"; any other read error is a real problem and throws. */
function readIfPresent(file) {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if (err && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return undefined;
    throw err;
  }
}
