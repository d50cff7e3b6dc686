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
