/**
 * Tabs kept open between renders (BrowserHost.openPage with reuse), so a warm build does not pay in every
 * tab for a new renderer process, its setup and the compilation of Paged.js: about 0.2 s of Chromium CPU
 * per tab, 4-5 tabs per build (measured on the generated 64-page issue). A parked tab shows about:blank
 * (its document, images and fonts are freed) and its request filter blocks everything; tabs left idle for
 * `idleMs` are closed, so an idle server does not hold renderer processes.
 */
import type { Page } from 'puppeteer';

export interface Tab {
  page: Page;
  /** The current user's allow-list; undefined while parked, which blocks every request */
  allowDirs: string[] | undefined;
  /** URLs blocked for the current user */
  blocked: string[];
  /** Targets of functions exposed to the page: the binding stays in the tab, its target follows the user */
  exposed: Map<string, (...args: never[]) => unknown>;
  /** Names exposed so far (puppeteer keeps a binding across navigations; a second exposeFunction throws) */
  bound: Set<string>;
}

/** How long parking may take (a navigation to about:blank); a tab that does not make it is closed instead. */
const PARK_TIMEOUT_MS = 10_000;

export class TabPool {
  private idle: Tab[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly max: number,
    private readonly idleMs: number,
  ) {}

  /** A parked tab, ready for a new user, or undefined when none is left. */
  take(): Tab | undefined {
    let tab = this.idle.pop();
    while (tab && tab.page.isClosed()) tab = this.idle.pop();
    return tab;
  }

  /**
   * Parks `tab` for the next user: its page blanked, its filter and exposed functions cut off from the
   * last user. False when the pool is full or the page could not be blanked: the caller closes it.
   */
  async park(tab: Tab): Promise<boolean> {
    if (this.idle.length >= this.max || tab.page.isClosed()) return false;
    tab.allowDirs = undefined;
    tab.exposed.clear();
    try {
      await tab.page.goto('about:blank', { timeout: PARK_TIMEOUT_MS });
      await releaseMemory(tab.page);
    } catch (err) {
      // A page that cannot even show about:blank is not worth keeping; closing it is the caller's job.
      if (err instanceof Error) return false;
      throw err;
    }
    this.idle.push(tab);
    this.scheduleTrim();
    return true;
  }

  /** Forgets every parked tab and returns them (to close, or because their browser is gone). */
  drain(): Tab[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    const tabs = this.idle;
    this.idle = [];
    return tabs;
  }

  private scheduleTrim(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const tab of this.drain()) void tab.page.close().catch(() => undefined);
    }, this.idleMs);
    // An idle pool never keeps the process alive.
    this.timer.unref();
  }
}

/**
 * A renderer keeps the memory of the last document it laid out (V8 heap, Blink's allocator) until it feels
 * pressure; kept tabs holding that high-water mark raised a warm build's peak by ~170 MiB (16 pages, PSS
 * of node and Chromium). A critical pressure signal makes it collect and hand the memory back now.
 */
async function releaseMemory(page: Page): Promise<void> {
  const cdp = await page.createCDPSession();
  try {
    await cdp.send('Memory.simulatePressureNotification', { level: 'critical' });
    await cdp.send('HeapProfiler.collectGarbage');
  } finally {
    await cdp.detach();
  }
}
