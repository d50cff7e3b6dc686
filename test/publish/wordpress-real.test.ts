/**
 * Opt-in (BANTIN_WP_INTEGRATION=1, needs Debian's `wordpress`, `mariadb-server`, `php-mysql`): the
 * wordpress channel against a real WordPress 6 — a private MariaDB in a temp dir, WordPress copied from
 * /usr/share/wordpress and served by `php -S`, an application password created by WordPress itself.
 * Everything listens on loopback or a Unix socket and is stopped afterwards.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { startHarness, type Harness } from './harness.ts';
import { seedSignedIssue } from './published-issue.ts';

const WANTED = process.env.BANTIN_WP_INTEGRATION === '1';
const AVAILABLE = ['/usr/share/wordpress/wp-load.php', '/usr/sbin/mariadbd', '/usr/bin/mariadb-install-db'].every((f) => fs.existsSync(f));
const FILES = fileURLToPath(new URL('./wordpress-real/', import.meta.url));

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!WANTED || !AVAILABLE)('wordpress channel against a real WordPress', () => {
  let dir: string;
  let mariadb: ChildProcess;
  let php: ChildProcess;
  let url: string;
  let appPassword: string;
  let h: Harness;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-wp-'));
    const sock = path.join(dir, 'mysql.sock');
    execFileSync('mariadb-install-db', ['--no-defaults', '--user=root', `--datadir=${dir}/db`, '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
    mariadb = spawn('mariadbd', ['--no-defaults', '--user=root', `--datadir=${dir}/db`, `--socket=${sock}`, '--skip-networking', `--pid-file=${dir}/mariadb.pid`], { stdio: 'ignore' });
    await until('MariaDB socket', () => fs.existsSync(sock));
    execFileSync('mariadb', ['--no-defaults', `--socket=${sock}`, '-uroot', '-e', 'CREATE DATABASE wp CHARACTER SET utf8mb4']);
    fs.cpSync('/usr/share/wordpress', path.join(dir, 'wp'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'wp', 'wp-config.php'),
      `<?php
define('DB_NAME', 'wp'); define('DB_USER', 'root'); define('DB_PASSWORD', ''); define('DB_HOST', 'localhost:${sock}');
define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
define('WP_ENVIRONMENT_TYPE', 'local'); // application passwords over plain http on loopback
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $k) define($k, '${Math.random()}' . $k);
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`,
    );
    for (const f of ['router.php', 'install.php']) fs.copyFileSync(path.join(FILES, f), path.join(dir, f));
    const port = await freePort();
    const installed = execFileSync('php', ['install.php'], { cwd: dir, env: { ...process.env, WP_PORT: String(port) }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    appPassword = (JSON.parse(installed.slice(installed.indexOf('{'))) as { password: string }).password;
    // Document root = the WordPress copy, so the router's `return false` serves uploads from there.
    php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', path.join(dir, 'wp'), path.join(dir, 'router.php')], { cwd: dir, stdio: 'ignore' });
    url = `http://127.0.0.1:${port}`;
    await until('WordPress REST API', async () => (await fetch(`${url}/wp-json/`).catch(() => undefined))?.status === 200);
    h = startHarness({ baseDelayMs: 10, maxAttempts: 2, timeoutMs: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await stop(php);
    await stop(mariadb);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function wp<T>(p: string): Promise<T> {
    const res = await fetch(`${url}/wp-json/wp/v2${p}`, { headers: { authorization: 'Basic ' + Buffer.from(`bientap:${appPassword}`).toString('base64') } });
    return (await res.json()) as T;
  }

  it('publishes the issue as a post with the cover as featured image and the PDF in a file block; re-publishing updates it', async () => {
    // WordPress shows application passwords in groups of four; the channel sends it as the admin typed it.
    h.store.channels.saveSettings('wordpress', true, { baseUrl: url, username: 'bientap', status: 'publish', categories: [] }, appPassword.replace(/(.{4})(?=.)/g, '$1 '), null, new Date().toISOString());
    const { issueId, pdf } = await seedSignedIssue(h.store, h.dataDir);
    h.dispatcher.enqueue(issueId, ['wordpress']);
    await h.dispatcher.idle();
    const first = h.store.channels.delivery(issueId, 'wordpress')!;
    expect(first.lastError).toBeNull();
    expect(first.state).toBe('ok');

    const post = await wp<{ id: number; title: { rendered: string }; content: { rendered: string }; featured_media: number; status: string }>(`/posts/${first.remoteId}`);
    expect(post.status).toBe('publish');
    expect(post.title.rendered).toBe('Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026');
    const media = await wp<{ id: number; mime_type: string; source_url: string; media_details: { filesize?: number } }[]>('/media?per_page=20');
    const pdfMedia = media.find((m) => m.mime_type === 'application/pdf')!;
    const cover = media.find((m) => m.mime_type === 'image/jpeg')!;
    expect(post.featured_media).toBe(cover.id);
    expect(post.content.rendered).toContain(`href="${pdfMedia.source_url}"`);
    expect(Buffer.from(await (await fetch(pdfMedia.source_url)).arrayBuffer()).equals(pdf)).toBe(true);

    h.dispatcher.enqueue(issueId, ['wordpress']);
    await h.dispatcher.idle();
    const second = h.store.channels.delivery(issueId, 'wordpress')!;
    expect(second.state).toBe('ok');
    expect(second.remoteId).toBe(first.remoteId);
    expect(await wp<unknown[]>('/posts?per_page=20&status=publish')).toHaveLength(2); // ours + WordPress's "Hello world!"
    expect(await wp<unknown[]>('/media?per_page=20')).toHaveLength(2);
  });

  it('a wrong application password gets WordPress’s 401 and is not retried', async () => {
    h.store.channels.saveSettings('wordpress', true, { baseUrl: url, username: 'bientap', status: 'publish', categories: [] }, 'abcd efgh ijkl mnop qrst uvwx', null, new Date().toISOString());
    const { issueId } = await seedSignedIssue(h.store, h.dataDir, { number: 12 });
    h.dispatcher.enqueue(issueId, ['wordpress']);
    await h.dispatcher.idle();
    const d = h.store.channels.delivery(issueId, 'wordpress')!;
    expect(d).toMatchObject({ state: 'failed', attempts: 1 });
    expect(d.lastError).toContain('HTTP 401');
  });
});
