/**
 * The precompiled `bantin` command (scripts/bundle-cli.mjs, run by `npm ci`): it builds an issue from a
 * fresh process like the TypeScript sources do, and bin/bantin.mjs may use it only while every source it
 * was made from is unchanged (bin/cli-bundle.mjs).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIssue } from '../fixtures/make-issue.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let tmp: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bantin-bundle-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
  for (const cleanup of cleanups) await cleanup();
});

describe('bundled bantin command', () => {

  it('lists its sources with their hashes and builds an issue in a new process: both PDFs, preflight, job.json', async () => {
    // Inside the package like the real one (node_modules/.cache/bantin-cli), so npm packages resolve from it.
    const bundle = path.join(ROOT, 'node_modules', '.cache', `bantin-cli-test-${process.pid}`);
    cleanups.push(() => fs.rm(bundle, { recursive: true, force: true }));
    await run(process.execPath, ['scripts/bundle-cli.mjs', '--out-dir', bundle], { cwd: ROOT });
    const manifest = JSON.parse(await fs.readFile(path.join(bundle, 'sources.json'), 'utf8')) as { files: Record<string, string> };
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/cli/commands/build.ts', 'src/typeset/paginate.ts', 'src/typeset/postprocess.ts', 'node_modules/pdf-lib/package.json']));
    expect(Object.values(manifest.files).every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);

    const fx = await makeIssue();
    cleanups.push(fx.cleanup);
    const out = path.join(tmp, 'out');
    // Run from elsewhere: layouts/, fonts/, Paged.js and the in-page script are found from the sources' places.
    const r = await run(process.execPath, [path.join(bundle, 'main.mjs'), 'build', fx.dir, '--out', out, '--json'], { cwd: os.tmpdir(), timeout: 180_000 });
    const result = JSON.parse(r.stdout) as { pages: number; exitCode: number; files: Array<{ name: string; sha256: string; pages?: number }> };
    expect(r.stderr).toContain('preflight passed');
    expect(result.exitCode).toBe(0);
    expect(result.pages % 4).toBe(0);
    for (const name of ['print.pdf', 'screen.pdf']) {
      const doc = await PDFDocument.load(await fs.readFile(path.join(out, name)));
      expect(doc.getPageCount()).toBe(result.pages);
    }
    const job = JSON.parse(await fs.readFile(path.join(out, 'job.json'), 'utf8')) as { files: Array<{ name: string }> };
    expect(job.files.map((f) => f.name)).toEqual(expect.arrayContaining(['print.pdf', 'screen.pdf', 'preflight.json']));
  });
});

describe('freshBundle', () => {
  /** freshBundle(root, dir) in a new node process, as bin/bantin.mjs calls it: the URL, "none", or the error. */
  async function fresh(root: string, dir: string): Promise<string> {
    const script = `import { freshBundle } from ${JSON.stringify(path.join(ROOT, 'bin', 'cli-bundle.mjs'))};
      try { console.log(freshBundle(${JSON.stringify(root)}, ${JSON.stringify(dir)}) ?? 'none'); } catch (err) { console.log('error: ' + err.message); }`;
    return (await run(process.execPath, ['--input-type=module', '-e', script])).stdout.trim();
  }

  it('is used while the sources match, and not once one is edited, deleted, or the manifest is missing', async () => {
    const root = path.join(tmp, 'checkout');
    const dir = path.join(root, 'cache');
    await fs.mkdir(path.join(root, 'src'), { recursive: true });
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    await fs.writeFile(path.join(root, 'src', 'b.ts'), 'export const b = 2;\n');
    await fs.writeFile(path.join(dir, 'main.mjs'), '');
    await fs.writeFile(path.join(dir, 'sources.json'), JSON.stringify({ files: { 'src/a.ts': sha256Of('export const a = 1;\n'), 'src/b.ts': sha256Of('export const b = 2;\n') } }));

    expect(await fresh(root, dir)).toBe(`file://${path.join(dir, 'main.mjs')}`);

    await fs.writeFile(path.join(root, 'src', 'b.ts'), 'export const b = 3;\n');
    expect(await fresh(root, dir)).toBe('none');
    await fs.writeFile(path.join(root, 'src', 'b.ts'), 'export const b = 2;\n');
    expect(await fresh(root, dir)).toBe(`file://${path.join(dir, 'main.mjs')}`);

    await fs.rm(path.join(root, 'src', 'a.ts'));
    expect(await fresh(root, dir)).toBe('none');

    await fs.rm(path.join(dir, 'sources.json'));
    expect(await fresh(root, dir)).toBe('none');

    await fs.writeFile(path.join(dir, 'sources.json'), '{"files": {');
    expect(await fresh(root, dir)).toMatch(/^error: .*sources\.json is damaged/);
  });
});

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
