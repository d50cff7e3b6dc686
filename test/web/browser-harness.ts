/**
 * What the real-browser UI tests share: one system Chromium, people signing in in their own browser
 * context, clicking like a person and reading the page. Every script error or console error is
 * collected so the test can fail on it (helmet's CSP forbids inline scripts and remote sources).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';

export interface BrowserHarness {
  browser: Browser;
  /** Script and console errors seen on any page, for the test to check and clear. */
  errors: string[];
  shotsDir: string;
  signIn(baseUrl: string, username: string, password: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowserHarness(shotsPrefix: string): Promise<BrowserHarness> {
  const browser = await puppeteer.launch({
    executablePath: process.env.BANTIN_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const errors: string[] = [];
  const shotsDir = fs.mkdtempSync(path.join(os.tmpdir(), shotsPrefix));
  console.log(`${shotsPrefix} screenshots: ${shotsDir}`);
  return {
    browser,
    errors,
    shotsDir,
    async signIn(baseUrl, username, password) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      // Other test files typeset in real Chromium on the same 2 cores; a form post can wait behind them.
      page.setDefaultNavigationTimeout(90_000);
      page.setDefaultTimeout(90_000);
      page.on('pageerror', (err: unknown) => errors.push(`${page.url()}: ${err instanceof Error ? err.message : String(err)}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`);
      });
      // Sign-off asks "are you sure?" (data-confirm); the person says yes. Under load the dialog can be gone
      // before the answer arrives (the page moved on): that rejection used to escape as an unhandled error
      // and fail the run; anything else is recorded like a script error.
      page.on('dialog', (d) => {
        d.accept().catch((err: unknown) => {
          if (!String(err).includes('No dialog is showing')) errors.push(`${page.url()}: dialog: ${String(err)}`);
        });
      });
      await page.setViewport({ width: 1366, height: 768 });
      await page.goto(`${baseUrl}/login`, { waitUntil: 'domcontentloaded' });
      await page.type('#username', username);
      await page.type('#password', password);
      await clickAndWait(page, 'button[type=submit].btn-primary');
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}

/**
 * Clicks what a person would click and waits for the next document. The locator waits until the
 * element is visible and its box has stopped moving: a click computed from a box that then shifted
 * (the embedded PDF viewer settling above a form) lands beside the button and no navigation ever
 * comes, which timed out a CI run. We wait for the document, not 'load', because Chromium's PDF viewer
 * in the issue page's iframe can hold the load event for a long time on two busy cores.
 */
export async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.locator(selector).click()]);
}

export async function mainText(page: Page): Promise<string> {
  return page.$eval('main', (m) => (m as HTMLElement).innerText);
}

export async function screenshot(harness: BrowserHarness, page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(harness.shotsDir, `${name}.png`), fullPage: true });
}
