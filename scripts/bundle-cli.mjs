#!/usr/bin/env node
/**
 * Precompiles the `bantin` command (src/cli/main.ts and every source file it imports) into plain
 * JavaScript, so a cold `bantin build` does not spend its first second loading tsx and transforming about
 * 250 TypeScript files (bench/RESULTS.md, "Cold start"). npm runs it after `npm ci` / `npm install` (the
 * "prepare" script); `npm run bundle` runs it by hand. `--out-dir <dir>` writes elsewhere (tests).
 *
 * bin/bantin.mjs runs the result only while every source file it was made from is unchanged (the manifest
 * lists their sha256; bin/cli-bundle.mjs), otherwise the sources through tsx, so stale code never runs.
 * npm packages stay outside the bundle and load from node_modules as usual. Each `import.meta.url` in a
 * source file becomes that source file's own URL, so the paths built from it (layouts/, fonts/,
 * migrations, createRequire) still point into the checkout. Commands stay separate chunks, loaded on use.
 *
 * Never fails an install: without esbuild or without sources (a Docker layer with only package.json) it
 * says so and bantin keeps running its sources with tsx.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUNDLE_DIR, ENTRY, MANIFEST, PACKAGE_ROOT } from '../bin/cli-bundle.mjs';

const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const root = PACKAGE_ROOT;
const outDir = path.resolve(values['out-dir'] ?? path.join(root, BUNDLE_DIR));
const entry = path.join(root, 'src', 'cli', 'main.ts');
const srcDir = path.join(root, 'src') + path.sep;

function skip(reason) {
  console.error(`bundle-cli: ${reason}; bantin will run its TypeScript sources with tsx`);
  process.exit(0);
}

if (!fs.existsSync(entry)) skip(`no sources here (${entry})`);
let esbuild;
try {
  esbuild = await import('esbuild');
} catch (err) {
  skip(`esbuild is not installed (${err.message})`);
}

/** import.meta.url in a source file → the URL of that file, computed from the chunk's own URL at run time. */
const ownUrlPlugin = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const relative = path.relative(outDir, args.path).split(path.sep).join('/');
      return { contents: source.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

const tmpDir = `${outDir}.tmp-${process.pid}`;
try {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { [path.basename(ENTRY, '.mjs')]: entry },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: tmpDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    // Stack traces of unexpected failures name the chunk; the maps let `node --enable-source-maps` name the source.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [ownUrlPlugin],
  });
  const sources = Object.keys(result.metafile.inputs)
    .map((p) => path.resolve(root, p))
    .filter((p) => p.startsWith(srcDir))
    .sort();
  const files = Object.fromEntries(sources.map((p) => [path.relative(root, p).split(path.sep).join('/'), sha256(p)]));
  fs.writeFileSync(path.join(tmpDir, MANIFEST), JSON.stringify({ files }, null, 1) + '\n');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  fs.renameSync(tmpDir, outDir);
  console.error(`bundle-cli: ${sources.length} source files → ${outDir}`);
} catch (err) {
  fs.rmSync(tmpDir, { recursive: true, force: true });
  skip(`bundling failed: ${err.message}`);
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
