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
      if (!args.path.startsWith(srcDir)) return undefined;
      const source = await fs.promises.readFile(args.path, 'utf8');
      const relative = path.relative(outDir, args.path).split(path.sep).join('/');
      return { contents: source.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

/**
 * Pure-JavaScript packages of the typesetting pipeline that are compiled into the bundle with their own
 * dependencies, because loading them from node_modules costs a cold build more than their code: pdf-lib's
 * CommonJS build is 139 files plus tslib; compiled in from its ES build, the typesetting chunk imports with
 * ~130 ms less CPU. CommonJS packages that require Node built-ins cannot be compiled into an ES bundle, and
 * packages with native code or files looked up at run time (sharp, Puppeteer, Paged.js) must stay outside.
 */
const BUNDLED_PACKAGES = ['pdf-lib'];

const packageName = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const isBare = (spec) => !spec.startsWith('.') && !path.isAbsolute(spec) && !spec.startsWith('node:');
const inNodeModules = (file) => file.split(path.sep).includes('node_modules');

/** npm packages stay external (loaded from node_modules at run time) except BUNDLED_PACKAGES and what they import. */
const externalPackagesPlugin = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point' || !isBare(args.path)) return undefined;
      if (BUNDLED_PACKAGES.includes(packageName(args.path)) || inNodeModules(args.importer)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** package.json of every package compiled into the bundle: a changed version makes the bundle stale too. */
function bundledPackageJsons(inputs) {
  const found = new Set();
  for (const input of inputs) {
    const parts = input.split(path.sep);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const depth = parts[at + 1]?.startsWith('@') ? 3 : 2;
    found.add(path.join(...parts.slice(0, at + depth), 'package.json'));
  }
  return [...found].map((p) => (path.isAbsolute(p) ? p : path.sep + p));
}

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
    outdir: tmpDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    // Stack traces of unexpected failures name the chunk; the maps let `node --enable-source-maps` name the source.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    mainFields: ['module', 'main'],
    plugins: [externalPackagesPlugin, ownUrlPlugin],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(root, p));
  const sources = [...inputs.filter((p) => p.startsWith(srcDir)), ...bundledPackageJsons(inputs)].sort();
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
