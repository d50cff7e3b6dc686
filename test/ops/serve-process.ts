/**
 * `bantin serve` as a real child process on a random port, for tests that kill it (or its Chromium) with
 * SIGKILL. Each server gets its own TMPDIR, so the Chromium processes it starts (whose private profile lives
 * there) can be found in /proc, killed on purpose, and never outlive the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientFor, type ApiClient } from '../web/helpers.ts';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  api: ApiClient;
  /** Everything it wrote on stderr so far (logs at LOG_LEVEL, default warn). */
  stderr(): string;
  /** SIGKILL (no shutdown code runs) and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

const started: { child: ChildProcess; expectExit: () => void }[] = [];
const tmpDirs: string[] = [];

/** A TMPDIR for one test's servers (and their Chromium profiles). */
export function processTmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-proc-'));
  tmpDirs.push(dir);
  return dir;
}

export function startServe(dataDir: string, opts: { tmpDir: string; env?: Record<string, string> }): Promise<ServeProcess> {
  const env = { ...process.env, BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', TMPDIR: opts.tmpDir, ...opts.env };
  const child = spawn(process.execPath, ['bin/bantin.mjs', 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  let expectedExit = false;
  started.push({ child, expectExit: () => (expectedExit = true) });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A server that dies on its own is a finding: show what it said, whichever assertion fails next.
  child.once('exit', (code, signal) => {
    if (!expectedExit) process.stderr.write(`bantin serve (pid ${child.pid}) exited unexpectedly (${code ?? signal}); its stderr:\n${err}\n`);
  });
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /serving (http:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        resolve({
          child,
          url: m[1],
          api: clientFor(m[1]),
          stderr: () => err,
          kill: async () => {
            expectedExit = true;
            child.kill('SIGKILL');
            await exited;
          },
          stop: async () => {
            expectedExit = true;
            child.kill('SIGTERM');
            await exited;
            return child.exitCode;
          },
        });
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}) before serving: ${err}`)));
  });
}

/** Main Chromium processes whose profile is under `tmpDir` (their helpers share each one's process group). */
export function chromiumUnder(tmpDir: string): { pid: number; profile: string }[] {
  const out: { pid: number; profile: string }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch (err) {
      // A process that ended while we looked.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH') continue;
      throw err;
    }
    const args = cmdline.split('\0');
    const profile = args.find((a) => a.startsWith(`--user-data-dir=${tmpDir}/`));
    // Helpers (renderer, zygote, GPU) carry --type=…; the browser process itself does not.
    if (profile && !args.some((a) => a.startsWith('--type='))) out.push({ pid: Number(name), profile: profile.slice('--user-data-dir='.length) });
  }
  return out;
}

/** Kills a Chromium and its helpers (its process group) with SIGKILL. */
export function killChromium(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

// The pollers live with the other HTTP test helpers; ops tests import them from here as before.
export { jobEnded, waitFor, waitForJob, type JobView } from '../web/helpers.ts';

/** For afterAll: kills every server and Chromium the tests started, removes their temp dirs. */
export function cleanUpProcesses(): void {
  for (const { child, expectExit } of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    expectExit();
    child.kill('SIGKILL');
  }
  for (const dir of tmpDirs) {
    for (const c of chromiumUnder(dir)) killChromium(c.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
