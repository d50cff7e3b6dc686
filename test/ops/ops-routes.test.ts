/**
 * /readyz and /metrics on the real app (real SQLite, real HTTP): readiness reports each check and turns
 * 503 while another connection holds the database's write lock; metrics count requests by matched route
 * and status, show the typeset queue, and are refused to callers coming through a proxy unless admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { setupAdmin, startTestServer, userWithRole, type TestServer } from '../web/helpers.ts';

let t: TestServer;
let adminToken: string;

/** Outside /api/v1 (the test client's prefix): the ops endpoints live at the root. */
async function get<T = unknown>(p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(t.url + p, { headers });
  const text = await res.text();
  return { status: res.status, text, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

beforeAll(async () => {
  t = await startTestServer({ config: { inProcessWorker: false } });
  adminToken = await setupAdmin(t.api);
});
afterAll(async () => {
  await t.close();
});

describe('readiness', () => {
  it('is ready with a writable database, a Chromium it can find and free disk space', async () => {
    const r = await get<{ ok: boolean; checks: Record<string, { ok: boolean; freeBytes?: number }> }>('/readyz');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.checks.database!.ok).toBe(true);
    expect(r.body.checks.browser!.ok).toBe(true);
    expect(r.body.checks.disk!.freeBytes).toBeGreaterThan(0);
  });

  it('is not ready (503, naming the database) while another process holds the write lock, and ready again after', async () => {
    const locker = new Database(t.running.runtime.store.file);
    locker.exec('BEGIN IMMEDIATE');
    try {
      const r = await get<{ ok: boolean; checks: Record<string, { ok: boolean; error?: string }> }>('/readyz');
      expect(r.status).toBe(503);
      expect(r.body.checks.database).toMatchObject({ ok: false, error: expect.stringMatching(/locked/) });
      // Liveness is a different question: the process still answers.
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    expect((await get('/readyz')).status).toBe(200);
  });
});

describe('metrics', () => {
  it('counts requests by matched route and status, with latency and the typeset queue, in Prometheus text', async () => {
    await get('/healthz');
    await t.api('GET', '/articles/999999', { token: adminToken });
    const r = await fetch(`${t.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    const text = await r.text();
    expect(text).toMatch(/bantin_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(text).toMatch(/bantin_http_requests_total\{method="GET",route="\/api\/v1\/articles\/:id",status="404"\} 1/);
    expect(text).toMatch(/bantin_http_request_duration_seconds_bucket\{le="0.05",method="GET",route="\/healthz"\} [1-9]/);
    expect(text).toMatch(/bantin_typeset_queue_length 0/);
    expect(text).toMatch(/bantin_typeset_jobs\{state="failed"\} 0/);
    expect(text).toContain('bantin_browser_launches_total');
    expect(text).toMatch(/bantin_info\{version="\d+\.\d+\.\d+"\} 1/);
  });

  it('refuses /metrics through a proxy unless the caller is an admin', async () => {
    const viaProxy = { 'X-Forwarded-For': '203.0.113.7' };
    expect((await get('/metrics', viaProxy)).status).toBe(403);
    const editor = await userWithRole(t.api, adminToken, 'bientap', 'editor');
    expect((await get('/metrics', { ...viaProxy, Authorization: `Bearer ${editor.token}` })).status).toBe(403);
    const admin = await fetch(`${t.url}/metrics`, { headers: { ...viaProxy, Authorization: `Bearer ${adminToken}` } });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('bantin_http_requests_total');
  });
});
