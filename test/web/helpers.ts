/**
 * Starts the real app (composition root, real SQLite file in a temp dir, real HTTP on a random port)
 * and gives tests a small JSON client. One per test file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/main.ts';

export interface TestServer {
  url: string;
  dataDir: string;
  running: RunningServer;
  api: ApiClient;
  /** Stops the server; `removeData` also deletes the data dir (keep it to restart on the same data). */
  close(opts?: { removeData?: boolean }): Promise<void>;
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export type ApiClient = <T = Record<string, unknown>>(method: string, path: string, opts?: { token?: string; json?: unknown; raw?: BodyInit; headers?: Record<string, string> }) => Promise<Reply<T>>;

export function tempDataDir(prefix = 'bantin-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestServer(opts: { dataDir?: string; config?: Partial<Config>; clock?: () => Date } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', ...opts.config });
  const running = await startServer(config, { clock: opts.clock });
  const api = clientFor(running.url);
  const close = async (o: { removeData?: boolean } = {}) => {
    await running.close();
    if (o.removeData) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: running.url, dataDir, running, api, close };
}

export function clientFor(base: string): ApiClient {
  return async <T>(method: string, p: string, o: { token?: string; json?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: BodyInit | undefined = o.raw;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    }
    const res = await fetch(base + '/api/v1' + p, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
}

export const PASSWORD = 'mat-khau-an-toan-1';

/** Sets up the first admin and returns its token. */
export async function setupAdmin(api: ApiClient): Promise<string> {
  const r = await api('POST', '/setup', { json: { username: 'admin', password: PASSWORD, displayName: 'Quản trị viên' } });
  if (r.status !== 201) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
  return login(api, 'admin');
}

export async function login(api: ApiClient, username: string, password = PASSWORD): Promise<string> {
  const r = await api<{ token: string }>('POST', '/auth/login', { json: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** Creates a user with a role (and unit) and returns id + token. */
export async function userWithRole(api: ApiClient, adminToken: string, username: string, role: string, unitId?: number): Promise<{ id: number; token: string }> {
  const r = await api<{ id: number }>('POST', '/users', { token: adminToken, json: { username, password: PASSWORD, displayName: `Người dùng ${username}`, role, unitId } });
  if (r.status !== 201) throw new Error(`create ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.id, token: await login(api, username) };
}

export const BULLETIN = {
  name: 'Thông báo Nội bộ',
  publisher: 'Ban Tuyên giáo và Dân vận Tỉnh ủy Tây Ninh',
  address: '01 Đường 30/4, Phường 2, Tây Ninh',
  responsible: 'Nguyễn Văn Trưởng Ban',
  licence: { number: '12/GP-STTTT', date: '2026-01-05', issuer: 'Sở Văn hóa, Thể thao và Du lịch', expires: '2026-12-31' },
  frequency: '1 kỳ/tháng',
  printShop: 'Công ty TNHH MTV In Tây Ninh',
};

/**
 * Polls `check` until it returns a value (not undefined); for states, never for time. The timeout only
 * turns a hang into a failure that says what was last seen (`seen`), well before the test's own timeout.
 */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, opts: { timeoutMs?: number; seen?: () => unknown } = {}): Promise<T> {
  const until = Date.now() + (opts.timeoutMs ?? 480_000);
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(opts.seen?.() ?? null)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface JobView {
  state: string;
  stage?: string;
  progress: number;
  attempts: number;
  message?: string;
  error?: string;
}

/** A job that will not change any more: done, failed or cancelled. */
export function jobEnded(j: JobView): boolean {
  return j.state === 'done' || j.state === 'failed' || j.state === 'cancelled';
}

/** Polls GET /jobs/:id until `done(job)` holds (by default: it ended); a timeout names the job's last state. */
export async function waitForJob(api: ApiClient, token: string, jobId: number, what = `typeset job ${jobId}`, done: (j: JobView) => boolean = jobEnded): Promise<JobView> {
  let last: JobView | undefined;
  return waitFor(
    what,
    async () => {
      const r = await api<JobView>('GET', `/jobs/${jobId}`, { token });
      if (r.status !== 200) throw new Error(`GET /jobs/${jobId} answered ${r.status}`);
      last = r.body;
      return done(r.body) ? r.body : undefined;
    },
    { seen: () => last },
  );
}
