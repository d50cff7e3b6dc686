/**
 * "Can the browser start?" for /readyz and the admin's system page, answered cheaply: find the executable
 * (no Puppeteer import, see typeset/puppeteer-cache.ts), check it may be executed, and run
 * `chromium --version` with a timeout. A Chromium that is missing, not executable, or cannot run on this
 * machine (missing libraries, wrong architecture) fails the version probe with its own words. The probe's
 * answer is kept for a while (5 minutes when it worked, 30 s when it did not) so a load balancer polling
 * /readyz every second does not start a process each time; the first probe starts with the server.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { findChromium } from '../typeset/browser.ts';

export type BrowserReport = { ok: true; path: string; version: string } | { ok: false; path?: string; error: string };

export interface BrowserCheck {
  /** The cached answer, probing again when it is older than its time to live. */
  report(): Promise<BrowserReport>;
}

export interface BrowserCheckDeps {
  /** BANTIN_CHROMIUM, if set. */
  chromiumPath?: string;
  timeoutMs?: number;
  okTtlMs?: number;
  failedTtlMs?: number;
  now?: () => number;
}

export function createBrowserCheck(deps: BrowserCheckDeps): BrowserCheck {
  const now = deps.now ?? Date.now;
  let cached: { at: number; report: Promise<BrowserReport> } | undefined;
  const ttl = (r: BrowserReport) => (r.ok ? (deps.okTtlMs ?? 300_000) : (deps.failedTtlMs ?? 30_000));
  const check: BrowserCheck = {
    async report() {
      if (cached) {
        const r = await cached.report;
        if (now() - cached.at < ttl(r)) return r;
      }
      const probing = { at: now(), report: probe(deps.chromiumPath, deps.timeoutMs ?? 10_000) };
      cached = probing;
      return probing.report;
    },
  };
  return check;
}

async function probe(configured: string | undefined, timeoutMs: number): Promise<BrowserReport> {
  let file: string;
  try {
    file = findChromium(configured);
    fs.accessSync(file, fs.constants.X_OK);
  } catch (err) {
    return { ok: false, ...(configured ? { path: configured } : {}), error: messageOf(err) };
  }
  return new Promise((resolve) => {
    execFile(file, ['--version'], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const version = stdout.trim().replace(/^(Chromium|Google Chrome(?: for Testing)?)\s+/, '').replace(/\s+built on .*$/, '');
      if (err || !version) {
        const why = !err ? 'it printed no version' : err.killed ? `no answer within ${timeoutMs} ms` : stderr.trim().split('\n')[0] || messageOf(err);
        resolve({ ok: false, path: file, error: `Chromium at ${file} cannot start: ${why}` });
      } else {
        resolve({ ok: true, path: file, version });
      }
    });
  });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
