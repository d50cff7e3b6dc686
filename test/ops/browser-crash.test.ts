/**
 * Chromium killed with SIGKILL (with all its helpers) while a typeset job paginates inside `bantin serve`:
 * killed once, the render runs again on a freshly launched browser and the job ends done; killed every time
 * it comes up, the job retries once and then fails with a reason that names the browser. The server keeps
 * answering /healthz and its pages throughout, and the next job renders normally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { BrowserHost } from '../../src/typeset/browser.ts';
import { setupAdmin, tempDataDir } from '../web/helpers.ts';
import { readyIssue } from './ready-issue.ts';
import { chromiumUnder, cleanUpProcesses, jobEnded, killChromium, processTmpDir, startServe, waitFor, waitForJob, type JobView, type ServeProcess } from './serve-process.ts';

/** Several renders per test; on two cores shared with other test files each can take minutes. */
const SLOW_MS = 900_000;

const dataDir = tempDataDir('bantin-chromium-kill-');
const tmpDir = processTmpDir();
let server: ServeProcess;
let admin: string;

beforeAll(async () => {
  // A render that hangs after a crash fails the job within 2 minutes instead of holding the test.
  server = await startServe(dataDir, { tmpDir, env: { BANTIN_RENDER_TIMEOUT_MS: '120000' } });
  admin = await setupAdmin(server.api);
}, 120_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop();
  cleanUpProcesses();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function job(token: string, jobId: number): Promise<JobView> {
  const r = await server.api<JobView>('GET', `/jobs/${jobId}`, { token });
  expect(r.status).toBe(200);
  return r.body;
}

async function typeset(issueId: number, token: string): Promise<number> {
  const r = await server.api<{ jobId: number }>('POST', `/issues/${issueId}/typeset`, { token });
  expect(r.status).toBe(202);
  return r.body.jobId;
}

async function stillServing(issueId: number, token: string): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect((await server.api('GET', `/issues/${issueId}`, { token })).status).toBe(200);
  expect((await fetch(`${server.url}/login`)).status).toBe(200);
}

async function launchesCounted(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = /^bantin_browser_launches_total (\d+)$/m.exec(text);
  if (!m?.[1]) throw new Error('no bantin_browser_launches_total in /metrics');
  return Number(m[1]);
}

describe('Chromium killed during a render', () => {
  it('once: the render runs again on a fresh browser and the job ends done', async () => {
    const { issueId, token } = await readyIssue(server.api, admin, 1);
    const jobId = await typeset(issueId, token);
    let seen: JobView | undefined;
    const victim = await waitFor('Chromium to paginate', async () => {
      const j = (seen = await job(token, jobId));
      if (jobEnded(j)) throw new Error(`job ended before Chromium could be killed: ${JSON.stringify(j)}`);
      return j.stage === 'paginate' ? chromiumUnder(tmpDir)[0] : undefined;
    }, { seen: () => seen });
    killChromium(victim.pid);
    await stillServing(issueId, token);
    const final = await waitForJob(server.api, token, jobId, 'the job to end', jobEnded);
    expect(final).toMatchObject({ state: 'done', attempts: 1 });
    // The warm browser the worker keeps now is a new one, with its own profile.
    const now = chromiumUnder(tmpDir);
    expect(now).toHaveLength(1);
    expect(now[0]!.profile).not.toBe(victim.profile);
    expect((await server.api<{ pages: number }>('GET', `/issues/${issueId}`, { token })).body.pages).toBeGreaterThan(0);
    // /metrics (from this machine) counts the first launch and the relaunch after the crash.
    expect(await launchesCounted()).toBe(2);
  }, SLOW_MS);

  it('every time it starts: the job fails with a reason after one retry, the server keeps serving, the next job renders', async () => {
    const { issueId, token } = await readyIssue(server.api, admin, 2);
    const jobId = await typeset(issueId, token);
    await waitForJob(server.api, token, jobId, 'the job to start', (j) => j.state !== 'queued');
    const killed = new Set<string>();
    let final: JobView | undefined;
    // Kill each Chromium as soon as it shows up, until the job gives up.
    while (!final) {
      for (const c of chromiumUnder(tmpDir)) {
        killChromium(c.pid);
        killed.add(c.profile);
      }
      const j = await job(token, jobId);
      if (jobEnded(j)) final = j;
      else await new Promise((r) => setTimeout(r, 25));
    }
    expect(final.state).toBe('failed');
    expect(final.error).toMatch(/Chromium (crashed|could not be started)/);
    expect(killed.size).toBeGreaterThanOrEqual(2);
    await stillServing(issueId, token);

    // Left alone again, the worker launches a new browser for the next job.
    const retry = await typeset(issueId, token);
    const done = await waitForJob(server.api, token, retry, 'the retyped job to end', jobEnded);
    expect(done).toMatchObject({ state: 'done' });
  }, SLOW_MS);
});

describe('one crash seen by renders running side by side', () => {
  it('relaunches Chromium once for all of them, and each render runs again on the new browser', async () => {
    const host = await BrowserHost.launch({ timeoutMs: 120_000 });
    try {
      const attempts = [0, 0, 0];
      let killed = false;
      const render = (n: number) =>
        host.withPage({ allowDirs: [] }, `render ${n}`, async ({ page }) => {
          attempts[n] = (attempts[n] ?? 0) + 1;
          await page.setContent(`<p>Trang ${n}</p>`);
          if (attempts[n] === 1) {
            // The first attempts all wait in Chromium; the last one to get there kills it under them.
            if (attempts.every((a) => a === 1) && !killed) {
              killed = true;
              host.crashForTest();
            }
            await page.evaluate(() => new Promise((r) => setTimeout(r, 600_000)));
          }
          return page.evaluate(() => document.body.textContent);
        });
      expect(await Promise.all([render(0), render(1), render(2)])).toEqual(['Trang 0', 'Trang 1', 'Trang 2']);
      expect(attempts).toEqual([2, 2, 2]);
      expect(host.launches).toBe(2);
    } finally {
      await host.close();
    }
  }, SLOW_MS);
});
