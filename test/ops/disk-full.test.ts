/**
 * Disk full, really: the data dir is a 4 MB tmpfs (needs root to mount; skipped otherwise). Once the disk
 * is full, saves are refused with 507 "disk_full" (never a half-written article), everything saved before is
 * intact, /readyz says the disk is the problem, and saving works again when space returns.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { setupAdmin, startTestServer } from '../web/helpers.ts';

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-tiny-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  // Not root (or no mount in this container): the test below is skipped and says why.
  mounted = false;
}

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('disk full (4 MB tmpfs data dir; needs root to mount)', () => {
  it('refuses saves while the disk is full, keeps what was saved, and recovers when space returns', async () => {
    const t = await startTestServer({ dataDir: mountPoint, config: { inProcessWorker: false } });
    try {
      const token = await setupAdmin(t.api);
      const saved: { id: number; title: string }[] = [];
      for (let i = 0; i < 5; i += 1) {
        const r = await t.api<{ id: number }>('POST', '/articles', { token, json: { title: `Bài trước khi đầy đĩa ${i}`, bodyHtml: '<p>Nội dung ngắn.</p>' } });
        expect(r.status).toBe(201);
        saved.push({ id: r.body.id, title: `Bài trước khi đầy đĩa ${i}` });
      }
      // Fill the disk to the last byte.
      const filler = path.join(mountPoint, 'filler.bin');
      const fd = fs.openSync(filler, 'w');
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(64 * 1024));
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        fs.closeSync(fd);
      }
      const big = `<p>${'Nội dung dài cần nhiều trang cơ sở dữ liệu. '.repeat(400)}</p>`;
      let refused: { status: number; body: unknown } | undefined;
      for (let i = 0; i < 20 && !refused; i += 1) {
        const r = await t.api('POST', '/articles', { token, json: { title: `Bài khi đầy đĩa ${i}`, bodyHtml: big } });
        if (r.status !== 201) refused = r;
      }
      expect(refused, 'a save failed once the disk was full').toBeDefined();
      expect(refused).toMatchObject({ status: 507, body: { error: { code: 'disk_full', message: expect.stringMatching(/disk is full; nothing was saved/) } } });
      const ready = await fetch(`${t.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { disk: { ok: boolean } } }).checks.disk.ok).toBe(false);

      fs.rmSync(filler);
      const after = await t.api<{ id: number }>('POST', '/articles', { token, json: { title: 'Bài sau khi có chỗ', bodyHtml: '<p>Lưu lại được.</p>' } });
      expect(after.status).toBe(201);
      for (const a of saved) expect((await t.api<{ title: string }>('GET', `/articles/${a.id}`, { token })).body.title).toBe(a.title);
      const db = new Database(path.join(mountPoint, 'bantin.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT COUNT(*) AS n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_revisions r WHERE r.article_id = a.id)').get()).toEqual({ n: 0 });
      db.close();
    } finally {
      await t.close();
    }
  });
});
