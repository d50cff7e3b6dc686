/**
 * "Can the browser start?" without loading Puppeteer: a real `bantin serve` (no BANTIN_CHROMIUM, so it
 * must look for Puppeteer's download first) answers /readyz and the admin's system page with Chromium's
 * version while Puppeteer's entry point is never loaded (a --require tracer records every load; its
 * positive control loads Puppeteer the way a launch does). A browser that is missing, not executable or
 * cannot run is reported by name with 503; Puppeteer's download is found where Puppeteer would look.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserCheck } from '../../src/ops/browser-check.ts';
import { findChromium } from '../../src/typeset/browser.ts';
import { pinnedChromeBuild, puppeteerChromePath } from '../../src/typeset/puppeteer-cache.ts';
import { setupAdmin, startTestServer, tempDataDir, PASSWORD } from '../web/helpers.ts';
import { Visitor, signIn } from '../web/ui-harness.ts';
import { cleanUpProcesses, processTmpDir, startServe } from './serve-process.ts';

const TRACER = path.resolve('test/ops/fixtures/trace-puppeteer.cjs');
const scratch: string[] = [];

function scratchDir(prefix: string): string {
  const d = tempDataDir(prefix);
  scratch.push(d);
  return d;
}

/** An executable shell script standing in for a browser. */
function fakeBrowser(dir: string, name: string, script: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

afterAll(() => {
  cleanUpProcesses();
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

describe('/readyz and the system page of a real server', () => {
  let traceFile: string;
  // The server's environment without a configured browser, so discovery runs its full course.
  const env: Record<string, string> = {};
  beforeAll(() => {
    traceFile = path.join(scratchDir('bantin-trace-'), 'puppeteer-loads.txt');
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'BANTIN_CHROMIUM' && !k.startsWith('PUPPETEER_')) env[k] = v;
    Object.assign(env, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${TRACER}`.trim(), BANTIN_TRACE_FILE: traceFile });
  });

  it('the tracer sees Puppeteer when a process loads it as a browser launch does', async () => {
    const code = await new Promise<number | null>((resolve) => {
      spawn(process.execPath, ['bin/run-ts.mjs', 'test/ops/fixtures/load-puppeteer.ts'], { env, stdio: 'inherit' }).once('exit', resolve);
    });
    expect(code).toBe(0);
    expect(fs.readFileSync(traceFile, 'utf8')).toContain('puppeteer\n');
    fs.rmSync(traceFile);
  });

  it('answers /readyz with the browser version and shows it on /system without loading Puppeteer', async () => {
    const serve = await startServe(scratchDir('bantin-readyz-'), { tmpDir: processTmpDir(), env: { ...env, BANTIN_CHROMIUM: '', BANTIN_WORKER: 'off' } });
    const ready = await fetch(`${serve.url}/readyz`);
    const body = (await ready.json()) as { ok: boolean; checks: { browser: { ok: boolean; path: string; version: string } } };
    expect(ready.status, JSON.stringify(body)).toBe(200);
    expect(body.checks.browser).toMatchObject({ ok: true, path: findChromium(undefined) });
    expect(body.checks.browser.version).toMatch(/^\d+\.\d+\.\d+\.\d+/);

    await setupAdmin(serve.api);
    const admin = new Visitor(serve.url);
    await signIn(admin, 'admin', PASSWORD);
    const page = await admin.get('/system');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<dt>Chromium</dt><dd>${body.checks.browser.version}</dd>`);

    expect(fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8') : '').toBe('');
    expect(await serve.stop()).toBe(0);
  });
});

describe('a browser that cannot start', () => {
  it('is reported by /readyz with 503, naming the configured path and what it said', async () => {
    const dir = scratchDir('bantin-badbrowser-');
    const broken = fakeBrowser(dir, 'chromium', 'echo "chromium: error while loading shared libraries: libnss3.so: cannot open shared object file" >&2\nexit 127');
    const t = await startTestServer({ config: { inProcessWorker: false, chromiumPath: broken } });
    try {
      const r = await fetch(`${t.url}/readyz`);
      expect(r.status).toBe(503);
      const body = (await r.json()) as { checks: { browser: { ok: boolean; path: string; error: string }; database: { ok: boolean } } };
      expect(body.checks.database.ok).toBe(true);
      expect(body.checks.browser).toMatchObject({ ok: false, path: broken });
      expect(body.checks.browser.error).toBe(`Chromium at ${broken} cannot start: chromium: error while loading shared libraries: libnss3.so: cannot open shared object file`);
    } finally {
      await t.close({ removeData: true });
    }
  });

  it('names a configured path that does not exist, a file that may not be executed, and a browser that hangs', async () => {
    const dir = scratchDir('bantin-badbrowser-');
    const missing = await createBrowserCheck({ chromiumPath: path.join(dir, 'nowhere', 'chromium') }).report();
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining(`BANTIN_CHROMIUM points to ${path.join(dir, 'nowhere', 'chromium')}, which does not exist`) });

    const plain = path.join(dir, 'not-executable');
    fs.writeFileSync(plain, 'not a program', { mode: 0o644 });
    expect(await createBrowserCheck({ chromiumPath: plain }).report()).toMatchObject({ ok: false, error: expect.stringMatching(/EACCES/) });

    const hanging = fakeBrowser(dir, 'hanging', 'exec sleep 60');
    expect(await createBrowserCheck({ chromiumPath: hanging, timeoutMs: 300 }).report()).toMatchObject({ ok: false, error: `Chromium at ${hanging} cannot start: no answer within 300 ms` });
  });

  it('probes again after a failure once its short time to live has passed, and keeps a success longer', async () => {
    const dir = scratchDir('bantin-badbrowser-');
    const file = fakeBrowser(dir, 'chromium', 'exit 1');
    let clock = 0;
    const check = createBrowserCheck({ chromiumPath: file, now: () => clock, failedTtlMs: 30_000, okTtlMs: 300_000 });
    expect((await check.report()).ok).toBe(false);
    fakeBrowser(dir, 'chromium', 'echo "Chromium 150.0.7871.100 built on Debian GNU/Linux 12 (bookworm)"');
    clock = 29_000;
    expect((await check.report()).ok).toBe(false);
    clock = 31_000;
    expect(await check.report()).toEqual({ ok: true, path: file, version: '150.0.7871.100' });
    fakeBrowser(dir, 'chromium', 'exit 1');
    clock = 300_000;
    expect((await check.report()).ok).toBe(true);
  });
});

describe("Puppeteer's downloaded browser", () => {
  it('is found where Puppeteer would look (PUPPETEER_CACHE_DIR, its pinned build) before the system Chromium', () => {
    const cache = scratchDir('bantin-pptr-cache-');
    const build = pinnedChromeBuild();
    expect(build).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const saved = process.env.PUPPETEER_CACHE_DIR;
    process.env.PUPPETEER_CACHE_DIR = cache;
    try {
      const expected = path.join(cache, 'chrome', `linux-${build}`, 'chrome-linux64', 'chrome');
      expect(puppeteerChromePath(process.env, 'linux', 'x64')).toBe(expected);
      // Not downloaded: the system browser is used.
      expect(findChromium(undefined)).not.toBe(expected);
      fakeBrowser(path.dirname(expected), 'chrome', 'echo "Google Chrome for Testing 148.0.7778.97"');
      if (process.platform === 'linux' && process.arch === 'x64') expect(findChromium(undefined)).toBe(expected);
    } finally {
      if (saved === undefined) delete process.env.PUPPETEER_CACHE_DIR;
      else process.env.PUPPETEER_CACHE_DIR = saved;
    }
  });
});
