/**
 * The commands as an operator runs them: `bantin migrate`, `bantin user add` (password from the
 * environment or stdin), `bantin serve` on a random port until SIGTERM, then again on the same data dir.
 */
import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor, tempDataDir } from './helpers.ts';

const dataDir = tempDataDir('bantin-cli-');
const env = { ...process.env, BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1' };
const running: { kill: () => void }[] = [];

function bantin(args: string[], input?: string, extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['bin/bantin.mjs', ...args], { env: { ...env, ...extraEnv }, input, encoding: 'utf8' });
}

/** Starts `bantin serve`, resolves with its URL once it says where it listens. */
function serve(): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['bin/bantin.mjs', 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  running.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /serving (http:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        resolve({
          url: m[1],
          stop: () => new Promise((done) => {
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

afterAll(() => {
  for (const c of running) c.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('bantin commands', () => {
  it('migrate applies the numbered migrations once', () => {
    const first = bantin(['migrate']);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/applied 001-editorial/);
    const again = bantin(['migrate']);
    expect(again.stdout).toMatch(/up to date/);
  });

  it('user add takes the password from stdin or BANTIN_PASSWORD and refuses a bad role with exit 2', () => {
    const fromStdin = bantin(['user', 'add', 'nhain', '--role', 'print_shop', '--display-name', 'Nhà in Tây Ninh'], 'mat-khau-nha-in-1\n');
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).toMatch(/created user nhain/);
    expect(bantin(['user', 'add', 'quantri', '--role', 'admin'], undefined, { BANTIN_PASSWORD: 'mat-khau-quan-tri-1' }).status).toBe(0);
    const bad = bantin(['user', 'add', 'x', '--role', 'boss'], 'mat-khau-an-toan-1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--role must be one of/);
    expect(bantin(['user', 'add', 'nhain', '--role', 'reader'], 'mat-khau-an-toan-1').status).toBe(2); // taken → 409 → exit 2
  });

  it('serve answers /healthz, logs people in, stops on SIGTERM and serves the same data after a restart', async () => {
    const first = await serve();
    const health = await fetch(first.url + '/healthz');
    expect(await health.json()).toEqual({ ok: true });
    const api = clientFor(first.url);
    expect((await api('POST', '/setup', { json: { username: 'a', password: 'mat-khau-an-toan-1', displayName: 'A' } })).status).toBe(409);
    const login = await api<{ token: string }>('POST', '/auth/login', { json: { username: 'quantri', password: 'mat-khau-quan-tri-1' } });
    expect(login.status).toBe(200);
    expect((await api('POST', '/units', { token: login.body.token, json: { name: 'Đảng ủy xã Hòa Hội', kind: 'commune_committee' } })).status).toBe(201);
    expect(await first.stop()).toBe(0);

    const second = await serve();
    const units = await clientFor(second.url)<{ items: { name: string }[] }>('GET', '/units', { token: login.body.token });
    expect(units.body.items.map((u) => u.name)).toEqual(['Đảng ủy xã Hòa Hội']);
    expect(await second.stop()).toBe(0);
  });
});
