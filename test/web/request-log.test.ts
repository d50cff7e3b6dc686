/**
 * Request ids and request log lines (src/web/request-log.ts) over real HTTP: one line per finished request
 * with id, method, URL and status at the level its status deserves; a route's own log line carries the
 * request's id; a sane incoming X-Request-Id is kept, anything else replaced.
 */
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLogging } from '../../src/web/request-log.ts';

interface Line {
  level: number;
  msg: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

const lines: Line[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const app = express();
  app.use(requestLogging(app, logger));
  app.get('/ok', (_req, res) => void res.json({ ok: true }));
  app.get('/fails', (req, res) => {
    req.log.error({ detail: 'disk on fire' }, 'route failed');
    res.status(500).json({ error: 'internal' });
  });
  app.get('/missing', (_req, res) => void res.status(404).end());
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The log line about a finished request with this id (written just after the response ends). */
async function finished(id: string): Promise<Line> {
  await expect.poll(() => lines.some((l) => l.req?.id === id && l.res), { timeout: 10_000 }).toBe(true);
  return lines.find((l) => l.req?.id === id && l.res)!;
}

describe('request log', () => {
  it('gives each request an id and logs it once it is answered, at info for a success', async () => {
    const res = await fetch(base + '/ok?x=1');
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = await finished(id);
    expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { id, method: 'GET', url: '/ok?x=1' }, res: { statusCode: 200 } });
    expect(typeof line.responseTime).toBe('number');
    const other = (await fetch(base + '/ok')).headers.get('x-request-id');
    expect(other).not.toBe(id);
  });

  it('keeps a sane X-Request-Id from a proxy and replaces one that is not', async () => {
    expect((await fetch(base + '/ok', { headers: { 'x-request-id': 'proxy-42.a_b' } })).headers.get('x-request-id')).toBe('proxy-42.a_b');
    const odd = (await fetch(base + '/ok', { headers: { 'x-request-id': 'a b<script>' } })).headers.get('x-request-id');
    expect(odd).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("binds a route's own log line to the request and logs a 5xx as an error, a 4xx as a warning", async () => {
    const failed = await fetch(base + '/fails');
    expect(failed.status).toBe(500);
    const id = failed.headers.get('x-request-id')!;
    expect(await finished(id)).toMatchObject({ level: 50, res: { statusCode: 500 } });
    expect(lines.find((l) => l.msg === 'route failed')).toMatchObject({ level: 50, req: { id, method: 'GET', url: '/fails' } });
    const missing = await fetch(base + '/missing');
    expect(await finished(missing.headers.get('x-request-id')!)).toMatchObject({ level: 40, res: { statusCode: 404 } });
  });
});
