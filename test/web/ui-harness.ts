/**
 * A real bantin server for UI tests: a temp data dir with a real SQLite file, the same composition as
 * `bantin serve` (createRuntime → createApp with the UI router), listening on a random loopback port.
 * Plus a tiny cookie-keeping HTTP client that reads CSRF tokens from the pages like a browser would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { createRuntime, type Runtime } from '../../src/main.ts';
import { createApp } from '../../src/web/app.ts';
import { createUiRouter, uiDepsFrom } from '../../src/web/ui/index.ts';

export interface UiServer {
  url: string;
  dataDir: string;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startUiServer(opts: { dataDir?: string; clock?: () => Date; trustProxy?: boolean } = {}): Promise<UiServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-ui-'));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', trustProxy: opts.trustProxy ?? false });
  const runtime = createRuntime(config, { clock: opts.clock });
  const app = createApp({ config, services: runtime.services, logger: runtime.logger, ui: createUiRouter(uiDepsFrom(runtime)) });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    runtime,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          runtime.store.close();
          resolve();
        });
      }),
  };
}

export interface Reply {
  status: number;
  location: string | null;
  html: string;
}

/** A signed-out or signed-in visitor: keeps cookies between requests, never follows redirects. */
export class Visitor {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async get(pathname: string): Promise<Reply> {
    return this.send(pathname, { method: 'GET' });
  }

  /** Posts a form; `_csrf` is taken from `tokenFrom` (the page the form was on) unless given. */
  async post(pathname: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send(pathname, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  async postMultipart(pathname: string, form: FormData): Promise<Reply> {
    return this.send(pathname, { method: 'POST', body: form });
  }

  /** GET the page, then post its form with the page's CSRF token added. */
  async submit(pagePath: string, action: string, fields: Record<string, string>): Promise<Reply> {
    const page = await this.get(pagePath);
    return this.post(action, { _csrf: csrfOf(page.html), ...fields });
  }

  private async send(pathname: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Reply> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + pathname, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
}

/** Creates the first admin through the set-up page and returns a signed-in admin visitor. */
export async function setUpAdmin(server: UiServer, username = 'quantri', password = 'mat-khau-dai-1'): Promise<Visitor> {
  const v = new Visitor(server.url);
  const r = await v.submit('/setup', '/setup', { displayName: 'Nguyễn Văn Quản', username, password, passwordConfirm: password });
  if (r.status !== 303) throw new Error(`setup failed: ${r.status} ${r.html.slice(0, 500)}`);
  await signIn(v, username, password);
  return v;
}

export async function signIn(v: Visitor, username: string, password: string): Promise<void> {
  const r = await v.submit('/login', '/login', { username, password });
  if (r.status !== 303) throw new Error(`login of ${username} failed: ${r.status}`);
}
