/**
 * `bantin serve` as an outside API client meets it: a real process started with only `PORT` and
 * `BANTIN_DATA_DIR` (DESIGN.md "The JSON API"), ready when `GET /healthz` answers, driven with fetch.
 * Nothing from src/ is imported, so the suite sees only what the contract promises.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../publish/free-port.ts';
import { REPO } from './bantin-process.ts';

export interface Served {
  base: string;
  dataDir: string;
  api: Api;
  stop(): Promise<void>;
}

export interface Answer<T> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export type Api = <T = Record<string, unknown>>(method: string, p: string, o?: { token?: string; json?: unknown; raw?: BodyInit; headers?: Record<string, string> }) => Promise<Answer<T>>;

export async function serve(env: Record<string, string> = {}): Promise<Served> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-contract-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [`${REPO}bin/bantin.mjs`, 'serve'], {
    cwd: REPO,
    env: { ...process.env, PORT: String(port), BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  // Ready means /healthz answers 200 (DESIGN.md); until then the port may refuse connections.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bantin serve exited with ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const api: Api = async <T>(method: string, p: string, o: { token?: string; json?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body = o.raw;
    if (o.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(o.json);
    }
    const res = await fetch(`${base}/api/v1${p}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  };
  return {
    base,
    dataDir,
    api,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
