/**
 * Opt-in (runs when `php` with pdo_sqlite is installed): the shipped PHP class
 * extras/nukeviet/BantinPublishIssue.php executed by real PHP behind a harness api.php that makes
 * NukeViet's checks (real password_verify / md5), storing into the news tables (SQLite here).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { startHarness, type Harness } from './harness.ts';
import { seedSignedIssue } from './published-issue.ts';

function phpWithSqlite(): boolean {
  try {
    return execFileSync('php', ['-m'], { encoding: 'utf8' }).includes('pdo_sqlite');
  } catch {
    return false; // no php on this machine: the test is skipped, as announced above
  }
}

const HAS_PHP = phpWithSqlite();
const HARNESS = fileURLToPath(new URL('./nukeviet-php/', import.meta.url));
const SECRET = 'bi-mat-cua-cong-2026';

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`php -S did not listen on ${port}`);
}

describe.skipIf(!HAS_PHP)('NukeViet API class under real PHP', () => {
  let php: ChildProcess;
  let url: string;
  let portalDir: string;
  let h: Harness;

  async function startPortal(version: '4.5' | '4.6', remoteApi = 'on'): Promise<void> {
    portalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-nukeviet-'));
    const port = await freePort();
    php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', HARNESS], {
      env: { ...process.env, NV_DATA_DIR: portalDir, NV_API_KEY: 'bantin-key', NV_API_SECRET: SECRET, NV_VERSION: version, NV_REMOTE_API: remoteApi },
      stdio: 'ignore',
    });
    url = `http://127.0.0.1:${port}`;
    await waitForPort(port);
  }

  afterEach(async () => {
    php?.kill();
    await h?.close();
    if (portalDir) fs.rmSync(portalDir, { recursive: true, force: true });
  });
  afterAll(() => php?.kill());

  for (const version of ['4.5', '4.6'] as const) {
    it(`${version}: creates the news article with the PDF and cover, and re-publishing updates it`, async () => {
      await startPortal(version);
      h = startHarness({ baseDelayMs: 10, maxAttempts: 2, timeoutMs: 10_000 });
      h.store.channels.saveSettings('nukeviet', true, { baseUrl: url, apiKey: 'bantin-key', version, module: 'news', language: 'vi', action: 'BantinPublishIssue' }, SECRET, null, new Date().toISOString());
      const { issueId, pdf } = await seedSignedIssue(h.store, h.dataDir);
      h.dispatcher.enqueue(issueId, ['nukeviet']);
      await h.dispatcher.idle();
      const first = h.store.channels.delivery(issueId, 'nukeviet')!;
      expect(first.lastError).toBeNull();
      expect(first.state).toBe('ok');
      expect(first.remoteUrl).toBe(`https://tinhuy.example/index.php?language=vi&nv=news&op=ban-tin/ban-tin-thong-bao-noi-bo-so-11-thang-11-2026-${first.remoteId}.html`);
      const stored = path.join(portalDir, 'uploads', 'news', 'bantin', 'bantin-2026-11');
      expect(fs.readFileSync(path.join(stored, 'bantin-2026-11.pdf')).equals(pdf)).toBe(true);
      expect(fs.readFileSync(path.join(stored, 'bantin-2026-11-bia.jpg')).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

      h.dispatcher.enqueue(issueId, ['nukeviet']);
      await h.dispatcher.idle();
      const second = h.store.channels.delivery(issueId, 'nukeviet')!;
      expect(second.state).toBe('ok');
      expect(second.remoteId).toBe(first.remoteId);
      const seen = (await (await fetch(`${url}/inspect.php`)).json()) as { rows: { id: number; title: string }[]; catRows: number; details: { files: string; bodyhtml: string }[]; map: unknown[] };
      expect(seen.rows).toHaveLength(1);
      expect(seen.rows[0]!.title).toBe('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026');
      expect(seen.catRows).toBe(1);
      expect(seen.details[0]!.files).toBe('bantin/bantin-2026-11/bantin-2026-11.pdf');
      expect(seen.details[0]!.bodyhtml).toContain('Mục lục');
      expect(seen.map).toEqual([{ issue_key: 'bantin-2026-11', news_id: Number(first.remoteId) }]);
    });
  }

  it('a wrong secret gets 0014 from password_verify', async () => {
    await startPortal('4.5');
    h = startHarness({ baseDelayMs: 10, maxAttempts: 2, timeoutMs: 10_000 });
    h.store.channels.saveSettings('nukeviet', true, { baseUrl: url, apiKey: 'bantin-key', version: '4.5', module: 'news', language: 'vi', action: 'BantinPublishIssue' }, 'sai', null, new Date().toISOString());
    const { issueId } = await seedSignedIssue(h.store, h.dataDir);
    h.dispatcher.enqueue(issueId, ['nukeviet']);
    await h.dispatcher.idle();
    expect(h.store.channels.delivery(issueId, 'nukeviet')).toMatchObject({ state: 'failed', attempts: 1 });
    expect(h.store.channels.delivery(issueId, 'nukeviet')!.lastError).toMatch(/0014/);
  });
});
