/**
 * The single owner of the Chromium process (STYLE.md §2). It finds a browser, launches it with a private
 * profile, hands out pages whose every request passes an allow-list, enforces the render timeout,
 * relaunches once after a crash, and closes exactly once — also on SIGINT/SIGTERM/exit, so no Chromium
 * process outlives the command that started it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, Page, HTTPRequest } from 'puppeteer';
import { AppError } from '../domain/errors.ts';
import { isAllowedUrl } from './allow-list.ts';
import { TabPool, type Tab } from './tab-pool.ts';
import { puppeteerChromePath } from './puppeteer-cache.ts';

/**
 * Puppeteer (~25 MiB resident) loads on first launch, not when `bantin serve` starts: a server that only
 * answers readers never needs it, and finding its downloaded browser does not load it (puppeteer-cache.ts).
 */
const loadPuppeteer = (): typeof import('puppeteer') => createRequire(import.meta.url)('puppeteer') as typeof import('puppeteer');

/** Flags for a headless, offline, deterministic Chromium (no sync, no updates, no QUIC probing). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  // Several tabs work at once; Chromium must not slow the timers of the ones it considers hidden.
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
];

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
];

/**
 * The renderer could not do its job (no browser, timeout, crashes): not the input's fault, so exit 1 in
 * the CLI and 503 on the web, with a message that says what to do.
 */
export class RenderUnavailableError extends AppError {
  readonly code: string = 'render_unavailable';
  readonly httpStatus = 503;
}

export class BrowserNotFoundError extends RenderUnavailableError {
  override readonly code = 'browser_not_found';
}

/** Thrown when a render exceeds its time budget; its pages are closed, the browser stays usable. */
export class RenderTimeoutError extends RenderUnavailableError {
  override readonly code = 'render_timeout';
  constructor(readonly timeoutMs: number, what: string) {
    super(`${what} did not finish within ${timeoutMs} ms (raise BANTIN_RENDER_TIMEOUT_MS if the issue is very large)`);
  }
}

/** The browser died under a render twice: once is retried after a relaunch. */
export class BrowserCrashedError extends RenderUnavailableError {
  override readonly code = 'browser_crashed';
}

/**
 * Where Chromium lives: the configured path (BANTIN_CHROMIUM) → Puppeteer's own download →
 * Debian/Ubuntu chromium → Google Chrome. A configured path that does not exist is an error, not a
 * silent fallback, because the operator asked for that exact browser.
 */
export function findChromium(configured: string | undefined, exists: (p: string) => boolean = fs.existsSync): string {
  if (configured) {
    if (exists(configured)) return configured;
    throw new BrowserNotFoundError(`BANTIN_CHROMIUM points to ${configured}, which does not exist`, {
      field: 'BANTIN_CHROMIUM',
      expected: 'the path of a Chromium or Chrome executable',
    });
  }
  // Computed without loading Puppeteer: /readyz and the system page look for a browser on every call.
  const bundled = puppeteerChromePath();
  if (bundled && exists(bundled)) return bundled;
  const found = SYSTEM_CANDIDATES.find((p) => exists(p));
  if (found) return found;
  throw new BrowserNotFoundError(
    'no Chromium found. Install it with `apt-get install chromium` (Debian/Ubuntu), or `npx puppeteer browsers install chrome`, ' +
      'or set BANTIN_CHROMIUM to a Chrome/Chromium executable',
    { field: 'BANTIN_CHROMIUM', expected: 'an installed Chromium' },
  );
}

export interface BrowserOptions {
  executablePath?: string;
  /** Budget for one render (navigation + pagination + printing) */
  timeoutMs: number;
  /** Called each time Chromium has started: the first launch and every relaunch after a crash (metrics). */
  onLaunch?: () => void;
}

/** What one render may read: file:// URLs under these directories, and data: URLs. Nothing else. */
export interface PageAccess {
  allowDirs: string[];
}

export interface PageSession {
  page: Page;
  /** URLs the allow-list aborted, in the order Chromium asked for them */
  blocked: string[];
}

/** Tabs kept for reuse: a build opens one per document (up to about 5); closed after a minute unused. */
const POOLED_TABS = 6;
const POOL_IDLE_MS = 60_000;

export interface OpenPageOptions {
  /**
   * Take a tab kept from an earlier render and keep this one for the next when it is closed (after a
   * timeout or a crash it is really closed). For users that navigate to their own document first.
   */
  reuse?: boolean;
}

/** The pages opened inside one run(), so a timeout can close them. */
const runScope = new AsyncLocalStorage<Set<() => Promise<void>>>();

type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNALS: Signal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class BrowserHost {
  private browser: Browser | undefined;
  private profileDir: string | undefined;
  private closed = false;
  /** Tail of the queue of foreground() callers: one tab at a time is in front */
  private frontQueue: Promise<unknown> = Promise.resolve();
  private launchCount = 0;
  /** The relaunch in progress, shared by every run that saw the same crash. */
  private relaunching: Promise<void> | undefined;
  private hooked = false;
  private readonly pool = new TabPool(POOLED_TABS, POOL_IDLE_MS);
  private readonly onSignal = (signal: Signal) => {
    this.killNow();
    this.removeProcessHooks();
    // With our listener gone, re-raising gives the default behaviour (terminate) unless someone else listens.
    process.kill(process.pid, signal);
  };
  private readonly onExit = () => this.killNow();

  private constructor(
    private readonly executablePath: string,
    readonly timeoutMs: number,
    private readonly onLaunch?: () => void,
  ) {}

  static async launch(opts: BrowserOptions): Promise<BrowserHost> {
    const host = new BrowserHost(findChromium(opts.executablePath), opts.timeoutMs, opts.onLaunch);
    try {
      await host.start();
    } catch (first) {
      // A Chromium killed while starting (OOM killer, an operator) gets one more try, like a crash in a render.
      host.killNow();
      host.removeProfile();
      try {
        await host.start();
      } catch (second) {
        host.removeProcessHooks();
        throw new BrowserCrashedError(`Chromium could not be started (tried twice): ${errorText(second)}`, { cause: second ?? first });
      }
    }
    return host;
  }

  /** How many times Chromium was started (1 + relaunches after crashes). */
  get launches(): number {
    return this.launchCount;
  }

  get version(): Promise<string> {
    return this.requireBrowser().version();
  }

  /** Process ids of the main Chromium process (its children share its process group). */
  pid(): number | undefined {
    return this.browser?.process()?.pid;
  }

  private async start(): Promise<void> {
    this.profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-chromium-'));
    this.launchCount += 1;
    this.browser = await loadPuppeteer().launch({
      executablePath: this.executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      userDataDir: this.profileDir,
      pipe: true,
      // We handle signals ourselves so the temp profile is removed and the exit code is the signal's.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      protocolTimeout: Math.max(this.timeoutMs, 30_000),
    });
    this.onLaunch?.();
    if (!this.hooked) {
      this.hooked = true;
      for (const s of SIGNALS) process.on(s, this.onSignal);
      process.on('exit', this.onExit);
    }
  }

  private requireBrowser(): Browser {
    if (this.closed || !this.browser) throw new Error('browser is closed');
    return this.browser;
  }

  /**
   * Runs `fn` (which may open several pages) under the render timeout. If Chromium crashes meanwhile,
   * it is relaunched once and `fn` runs again from the start; a second crash is a clear error.
   */
  async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const used = this.browser;
    try {
      return await this.withTimeout(what, fn);
    } catch (err) {
      if (!this.isCrash(err)) throw err;
      try {
        await this.relaunch(used);
      } catch (failed) {
        // Dying again while starting is the second crash: say so, not the protocol error puppeteer saw.
        throw new BrowserCrashedError(`Chromium crashed while running ${what} and could not be started again: ${errorText(failed)}`, { cause: failed });
      }
      try {
        return await this.withTimeout(what, fn);
      } catch (second) {
        if (this.isCrash(second)) {
          throw new BrowserCrashedError(`Chromium crashed twice while running ${what}; giving up`, { cause: second });
        }
        throw second;
      }
    }
  }

  /** One page for the duration of `fn`, under the allow-list; see run() for timeout and crash handling. */
  async withPage<T>(access: PageAccess, what: string, fn: (session: PageSession) => Promise<T>): Promise<T> {
    return this.run(what, async () => {
      const session = await this.openPage(access);
      try {
        return await fn(session);
      } finally {
        await session.close();
      }
    });
  }

  /**
   * Runs `fn` with `page` as the visible tab, one caller at a time. Chromium treats every other tab as
   * hidden and paints it rarely: a screenshot of a hidden tab waited tens of seconds for a frame while
   * other tabs of the same build were printing.
   */
  async foreground<T>(page: Page, fn: () => Promise<T>): Promise<T> {
    const turn = this.frontQueue.then(async () => {
      await page.bringToFront();
      return fn();
    });
    // The next caller waits for this one to end, whether it succeeded or not.
    this.frontQueue = turn.catch(() => undefined);
    return turn;
  }

  /** A page whose every request passes the allow-list. The caller closes it (inside run()). */
  async openPage(access: PageAccess, opts: OpenPageOptions = {}): Promise<PageSession & { close(): Promise<void>; expose(name: string, fn: (...args: never[]) => unknown): Promise<void> }> {
    const tab = (opts.reuse ? this.pool.take() : undefined) ?? (await this.newTab());
    tab.allowDirs = access.allowDirs;
    tab.blocked = [];
    const { page } = tab;
    const scope = runScope.getStore();
    let done = false;
    const destroy = async () => {
      done = true;
      scope?.delete(destroy);
      if (!page.isClosed() && this.browser?.connected) await page.close().catch(ignoreClosed);
    };
    // A timeout closes the page for real: it may still be busy with the render that ran out of time.
    scope?.add(destroy);
    const close = async () => {
      if (done) return;
      done = true;
      scope?.delete(destroy);
      if (opts.reuse && this.browser?.connected && (await this.pool.park(tab))) return;
      await destroy();
    };
    const expose = async (name: string, fn: (...args: never[]) => unknown) => {
      // The binding outlives navigations and users of the tab; only its target changes.
      if (!tab.bound.has(name)) {
        await page.exposeFunction(name, (...args: never[]) => tab.exposed.get(name)?.(...args));
        tab.bound.add(name);
      }
      tab.exposed.set(name, fn);
    };
    return { page, blocked: tab.blocked, close, expose };
  }

  private async newTab(): Promise<Tab> {
    const page = await this.requireBrowser().newPage();
    const tab: Tab = { page, allowDirs: undefined, blocked: [], exposed: new Map(), bound: new Set() };
    page.setDefaultTimeout(this.timeoutMs);
    await page.setRequestInterception(true);
    page.on('request', (req) => filterRequest(req, tab.allowDirs ?? [], tab.blocked));
    return tab;
  }

  private isCrash(err: unknown): boolean {
    if (err instanceof RenderTimeoutError) return false;
    if (!this.browser || !this.browser.connected) return true;
    const msg = err instanceof Error ? err.message : String(err);
    return /Target closed|Session closed|crash|Protocol error.*(closed|detached)|Navigating frame was detached/i.test(msg);
  }

  /**
   * Replaces the browser `crashed` once, however many runs saw it die. Runs side by side (pagination and
   * other renders of one build) all fail when Chromium dies; a second relaunch would kill the browser the
   * first one is starting and delete its profile (seen: "crashed twice" after a single SIGKILL).
   */
  private async relaunch(crashed: Browser | undefined): Promise<void> {
    if (this.relaunching) return this.relaunching;
    if (this.browser !== crashed && this.browser?.connected) return;
    this.relaunching = (async () => {
      this.killNow();
      this.removeProfile();
      await this.start();
    })().finally(() => {
      this.relaunching = undefined;
    });
    return this.relaunching;
  }

  private async withTimeout<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RenderTimeoutError(this.timeoutMs, what)), this.timeoutMs);
    });
    const pages = new Set<() => Promise<void>>();
    try {
      return await Promise.race([runScope.run(pages, fn), timeout]);
    } catch (err) {
      // A timed-out render may still be busy in its pages; close them so Chromium stops working on it.
      if (err instanceof RenderTimeoutError) await Promise.all([...pages].map((close) => close()));
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Simulates a crash for tests: kills the whole Chromium process group. */
  crashForTest(): void {
    this.killNow();
  }

  /** Idempotent: the second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.removeProcessHooks();
    this.pool.drain();
    const browser = this.browser;
    this.browser = undefined;
    if (browser?.connected) {
      // A graceful close lets Chromium flush and reap its helpers; if it hangs, the group kill below ends it.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([browser.close(), new Promise((r) => (timer = setTimeout(r, 5_000)))]);
      clearTimeout(timer);
    }
    killGroup(browser);
    this.removeProfile();
  }

  private killNow(): void {
    // Parked tabs die with their browser.
    this.pool.drain();
    killGroup(this.browser);
  }

  private removeProfile(): void {
    if (this.profileDir) fs.rmSync(this.profileDir, { recursive: true, force: true });
    this.profileDir = undefined;
  }

  private removeProcessHooks(): void {
    this.hooked = false;
    for (const s of SIGNALS) process.off(s, this.onSignal);
    process.off('exit', this.onExit);
  }
}

/** Chromium's helpers (zygote, renderers, GPU) share the main process' group; kill them all. */
function killGroup(browser: Browser | undefined): void {
  const proc = browser?.process();
  if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
  try {
    process.kill(-proc.pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      proc.kill('SIGKILL');
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function ignoreClosed(err: unknown): void {
  // Closing a page whose target already went away is fine; anything else is a real failure.
  if (err instanceof Error && /closed|Target|detached/i.test(err.message)) return;
  throw err;
}

function filterRequest(req: HTTPRequest, allowDirs: string[], blocked: string[]): void {
  if (req.isInterceptResolutionHandled()) return;
  const url = req.url();
  // The page may close while a request is pending; a failed continue/abort then means nothing.
  if (isAllowedUrl(url, allowDirs)) {
    req.continue().catch(ignoreClosed);
  } else {
    blocked.push(url);
    req.abort('blockedbyclient').catch(ignoreClosed);
  }
}
