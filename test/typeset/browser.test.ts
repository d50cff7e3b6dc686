/**
 * The single owner of Chromium: where it is found, what pages may load, timeouts, crash → one relaunch,
 * closing exactly once, and no Chromium process left behind on any exit path.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowedUrl } from '../../src/typeset/allow-list.ts';
import { BrowserCrashedError, BrowserHost, BrowserNotFoundError, findChromium, RenderTimeoutError } from '../../src/typeset/browser.ts';

/** Processes in the process group led by `pid` (Chromium's helpers share the browser's group). */
function groupMembers(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name "(...)": state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pid && fields[0] !== 'Z') out.push(Number(entry));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  return out;
}

async function waitFor(cond: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

describe('findChromium', () => {
  it('prefers BANTIN_CHROMIUM, and refuses one that does not exist instead of silently falling back', () => {
    expect(findChromium('/opt/x/chrome', (p) => p === '/opt/x/chrome' || p === '/usr/bin/chromium')).toBe('/opt/x/chrome');
    expect(() => findChromium('/nope/chrome', () => false)).toThrow(BrowserNotFoundError);
  });

  it('falls back to the Debian chromium, then Google Chrome, and says what to install when there is none', () => {
    expect(findChromium(undefined, (p) => p === '/usr/bin/chromium' || p === '/usr/bin/google-chrome')).toBe('/usr/bin/chromium');
    expect(findChromium(undefined, (p) => p === '/usr/bin/google-chrome')).toBe('/usr/bin/google-chrome');
    expect(() => findChromium(undefined, () => false)).toThrow(/apt-get install chromium/);
  });
});

describe('isAllowedUrl', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-allow-'));
  fs.mkdirSync(path.join(root, 'issue'));
  fs.writeFileSync(path.join(root, 'issue', 'a.jpg'), 'x');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'x');
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(root, 'issue', 'link.txt'));
  const issue = path.join(root, 'issue');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('allows files inside the allowed directories and data: URLs only', () => {
    expect(isAllowedUrl(pathToFileURL(path.join(issue, 'a.jpg')).href, [issue])).toBe(true);
    expect(isAllowedUrl('data:image/png;base64,AAAA', [issue])).toBe(true);
    expect(isAllowedUrl(pathToFileURL(path.join(root, 'secret.txt')).href, [issue])).toBe(false);
    expect(isAllowedUrl(`${pathToFileURL(issue).href}/../secret.txt`, [issue])).toBe(false);
    expect(isAllowedUrl(`${pathToFileURL(issue).href}-evil/a.jpg`, [issue])).toBe(false);
    expect(isAllowedUrl('http://127.0.0.1/x.png', [issue])).toBe(false);
    expect(isAllowedUrl('https://example.org/font.woff2', [issue])).toBe(false);
  });

  it('refuses a symlink inside the issue that points outside it', () => {
    expect(isAllowedUrl(pathToFileURL(path.join(issue, 'link.txt')).href, [issue])).toBe(false);
  });
});

describe('BrowserHost', () => {
  let host: BrowserHost;
  beforeAll(async () => {
    host = await BrowserHost.launch({ timeoutMs: 3_000 });
  });
  afterAll(async () => {
    await host.close();
  });

  it('ends a render that exceeds the timeout with a clear error, and stays usable', async () => {
    const hang = host.withPage({ allowDirs: [] }, 'a hanging render', async ({ page }) => {
      await page.evaluate('new Promise(() => {})');
    });
    await expect(hang).rejects.toThrow(RenderTimeoutError);
    await expect(hang).rejects.toThrow(/a hanging render did not finish within 3000 ms/);
    const title = await host.withPage({ allowDirs: [] }, 'after timeout', async ({ page }) => {
      await page.setContent('<title>ok</title>');
      return page.title();
    });
    expect(title).toBe('ok');
  });

  it('relaunches once after Chromium crashes and runs the render again', async () => {
    const before = host.launches;
    const oldPid = host.pid() ?? 0;
    let attempts = 0;
    const result = await host.withPage({ allowDirs: [] }, 'a render that crashes', async ({ page }) => {
      attempts += 1;
      if (attempts === 1) {
        host.crashForTest();
        await page.setContent('<p>never</p>');
      }
      await page.setContent('<p>second</p>');
      return page.$eval('p', (p) => p.textContent);
    });
    expect(result).toBe('second');
    expect(attempts).toBe(2);
    expect(host.launches).toBe(before + 1);
    expect(await waitFor(() => groupMembers(oldPid).length === 0)).toBe(true);
  });

  it('gives up with a clear error when Chromium crashes again after the relaunch', async () => {
    const crashing = host.withPage({ allowDirs: [] }, 'an always-crashing render', async ({ page }) => {
      host.crashForTest();
      await page.setContent('<p>never</p>');
    });
    await expect(crashing).rejects.toThrow(BrowserCrashedError);
    await expect(crashing).rejects.toThrow(/crashed twice while running an always-crashing render/);
  });
});

describe('reused tabs (openPage with reuse)', () => {
  let host: BrowserHost;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-reuse-'));
  const dirA = path.join(root, 'a');
  const dirB = path.join(root, 'b');
  beforeAll(async () => {
    for (const d of [dirA, dirB]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'doc.html'), `<title>${path.basename(d)}</title><img src="${pathToFileURL(path.join(dirA, 'pic.svg')).href}">`);
    }
    fs.writeFileSync(path.join(dirA, 'pic.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    host = await BrowserHost.launch({ timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await host.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Loads dir/doc.html in a reused tab, calls the exposed `hello` from the page; returns what was seen. */
  async function visit(dir: string, allowDirs: string[]) {
    return host.run('reuse', async () => {
      const session = await host.openPage({ allowDirs }, { reuse: true });
      const heard: string[] = [];
      await session.expose('hello', (who: string) => heard.push(who));
      await session.page.goto(pathToFileURL(path.join(dir, 'doc.html')).href, { waitUntil: 'load' });
      await session.page.evaluate('window.hello(document.title)');
      const seen = { page: session.page, blocked: [...session.blocked], heard, title: await session.page.title() };
      await session.close();
      return { ...seen, url: seen.page.url() };
    });
  }

  it('hands the same tab to the next user, blanked, with that user\'s allow-list, blocked list and exposed functions', async () => {
    const first = await visit(dirA, [dirA]);
    expect(first.blocked).toEqual([]);
    expect(first.heard).toEqual(['a']);
    expect(first.url).toBe('about:blank');

    // dirB's document shows a picture from dirA, which this user may not read.
    const second = await visit(dirB, [dirB]);
    expect(second.page).toBe(first.page);
    expect(second.title).toBe('b');
    expect(second.blocked).toEqual([pathToFileURL(path.join(dirA, 'pic.svg')).href]);
    expect(second.heard).toEqual(['b']);
    expect(first.heard).toEqual(['a']);
    expect(first.blocked).toEqual([]);
  });

  it('closes a tab for real after a timeout instead of keeping it', async () => {
    let hungPage: unknown;
    const hang = host.run('a hanging render in a reused tab', async () => {
      const { page } = await host.openPage({ allowDirs: [] }, { reuse: true });
      hungPage = page;
      await page.evaluate('new Promise(() => {})');
    });
    await expect(hang).rejects.toThrow(RenderTimeoutError);
    const next = await visit(dirA, [dirA]);
    expect(next.page).not.toBe(hungPage);
    expect(next.heard).toEqual(['a']);
  });

  it('drops kept tabs when Chromium crashes: the next render gets a tab of the new browser', async () => {
    const before = await visit(dirA, [dirA]);
    let attempts = 0;
    await host.run('a crash with a kept tab', async () => {
      attempts += 1;
      if (attempts === 1) {
        host.crashForTest();
        throw new Error('Target closed');
      }
    });
    const after = await visit(dirA, [dirA]);
    expect(after.page).not.toBe(before.page);
    expect(after.title).toBe('a');
    expect(after.heard).toEqual(['a']);
  });
});

describe('no Chromium outlives its owner', () => {
  it('close() is idempotent and leaves no process of the browser group', async () => {
    const host = await BrowserHost.launch({ timeoutMs: 10_000 });
    const pid = host.pid() ?? 0;
    await host.withPage({ allowDirs: [] }, 'warm-up', async ({ page }) => page.setContent('<p>x</p>'));
    expect(groupMembers(pid).length).toBeGreaterThan(1);
    await host.close();
    await host.close();
    expect(await waitFor(() => groupMembers(pid).length === 0)).toBe(true);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`kills the whole browser when the owning process gets ${signal}`, async () => {
      const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/fixtures/browser-child.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pid = await new Promise<number>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
        child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      });
      expect(groupMembers(pid).length).toBeGreaterThan(1);
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, sig) => r(sig)));
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(await waitFor(() => groupMembers(pid).length === 0)).toBe(true);
    });
  }
});
