/**
 * The sample issue issues/2026-11 through the real command, exactly as README tells people to run it:
 * it must pass preflight with at least 40 pages, and leave no Chromium process behind.
 * (The one test that builds the full sample; everything else uses small fixtures.)
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-sample-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Live processes whose command line mentions `needle` (Chromium's --user-data-dir lives under TMPDIR). */
function processesMentioning(needle: string): number[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle) ? [Number(pid)] : [];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH') return [];
      throw err;
    }
  });
}

it('builds issues/2026-11 with `bantin build`: preflight passes, ≥ 40 pages, no Chromium left running', async () => {
  const childTmp = path.join(tmp, 'tmp');
  fs.mkdirSync(childTmp);
  const out = path.join(tmp, 'out');
  const child = spawn(process.execPath, ['bin/bantin.mjs', 'build', 'issues/2026-11', '--out', out, '--json'], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: childTmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const code = await new Promise<number | null>((r) => child.once('exit', r));

  expect(stderr).toContain('preflight passed');
  expect(code).toBe(0);
  const result = JSON.parse(stdout);
  expect(result.pages).toBeGreaterThanOrEqual(40);
  expect(result.pages % 4).toBe(0);
  expect(result.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
  // Laid out as a proofreader wants it: no page left mostly empty inside a section, no section ending
  // with a few stray lines, no heading stranded at a page bottom.
  const layoutCodes = ['page-underfilled', 'page-nearly-empty', 'widow-title'];
  expect(result.findings.filter((f: { code: string }) => layoutCodes.includes(f.code))).toEqual([]);
  // Running heads on the inside pages only: not over the masthead (page 1) nor the colophon (last page).
  const head = 'Thông báo Nội bộ · Số 11 – Tháng 11/2026';
  const firstLine = (page: number): string =>
    execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', path.join(out, 'screen.pdf'), '-'], { encoding: 'utf8' }).split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  expect(firstLine(1)).not.toContain(head);
  expect(firstLine(2)).toContain(head);
  expect(firstLine(result.pages)).not.toContain(head);
  expect(fs.existsSync(path.join(out, 'print.pdf'))).toBe(true);
  expect(processesMentioning(childTmp)).toEqual([]);
  // The private Chromium profile and work files were removed too (tsx keeps its compile cache there).
  expect(fs.readdirSync(childTmp).filter((n) => n.startsWith('bantin-'))).toEqual([]);
}, 300_000);
