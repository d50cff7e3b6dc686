/**
 * `bantin serve` killed with SIGKILL (a power cut, the OOM killer) at the worst moments, then started again
 * on the same data dir:
 * - during an upload whose multipart body is still arriving, and right after one was sent: every
 *   acknowledged article is there whole, the interrupted one is not there at all, no temp file is left;
 * - during a typeset job: the job is re-queued once and finishes with files whose sha256 match the record;
 *   interrupted a second time it is failed with a reason; the interrupted attempts' temp output is removed
 *   at start and no temp file is ever left in place of a rendition; typesetting again works.
 */
import { afterAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { minimalDocx } from '../fixtures/minimal-docx.ts';
import { login, setupAdmin, tempDataDir, type ApiClient } from '../web/helpers.ts';
import { readyIssue } from './ready-issue.ts';
import { chromiumUnder, cleanUpProcesses, jobEnded, processTmpDir, startServe, waitFor, waitForJob, type JobView, type ServeProcess } from './serve-process.ts';

const dataDirs: string[] = [];
afterAll(() => {
  cleanUpProcesses();
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
});

function newDataDir(): string {
  const d = tempDataDir('bantin-crash-');
  dataDirs.push(d);
  return d;
}

/** Everything under the data dir that is a write in progress (temp names), relative paths. */
function tempFiles(dataDir: string): string[] {
  return (fs.readdirSync(dataDir, { recursive: true }) as string[]).filter((p) => /(^|\/)\.[^/]*\.tmp(\/|$)|\.tmp$/.test(p) && !p.startsWith('work/'));
}

function readDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'bantin.sqlite'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Three server lifetimes and two renders; on two cores shared with other test files that can take minutes. */
const SLOW_MS = 900_000;

describe('kill -9 of the server during an upload', () => {
  it('keeps acknowledged uploads whole, stores nothing of the interrupted one, and accepts it again after restart', async () => {
    const dataDir = newDataDir();
    const tmpDir = processTmpDir();
    const first = await startServe(dataDir, { tmpDir, env: { BANTIN_WORKER: 'off' } });
    const token = await setupAdmin(first.api);
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 180, g: 40, b: 40 } } }).jpeg().toBuffer();
    const docx = await minimalDocx([{ heading: 'Chi bộ ấp Bình Trung' }, { text: 'Sinh hoạt chuyên đề về tư tưởng, đạo đức, phong cách Hồ Chí Minh. '.repeat(40) }, { picture: photo, widthPx: 600, heightPx: 400 }]);

    const acked = await upload(first.url, token, 'Bài gửi trước khi mất điện', docx);
    expect(acked.status, first.stderr()).toBe(201);
    const before = await first.api<{ title: string; bodyHtml: string; version: number }>('GET', `/articles/${acked.id}`, { token });

    // One upload whose body is only half sent (certainly in flight), one fully sent the moment before the kill.
    const half = startUpload(first.url, token, 'Bài đang tải lên dở dang', docx);
    await half.sendHalf();
    const whole = startUpload(first.url, token, 'Bài vừa gửi xong', docx);
    await whole.sendAll();
    await first.kill();
    const wholeReply = await whole.reply;

    expect(readDb(dataDir, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    const second = await startServe(dataDir, { tmpDir, env: { BANTIN_WORKER: 'off' } });
    expect(tempFiles(dataDir)).toEqual([]);
    const token2 = await login(second.api, 'admin');
    const after = await second.api<{ title: string; bodyHtml: string; version: number }>('GET', `/articles/${acked.id}`, { token: token2 });
    expect(after.body).toMatchObject({ title: before.body.title, bodyHtml: before.body.bodyHtml, version: before.body.version });
    expect(await titles(second.api, token2, 'dang tai len do dang')).toEqual([]);
    // The upload finished just before the kill either committed whole (with its revision) or not at all.
    const raced = await titles(second.api, token2, 'vua gui xong');
    if (wholeReply.status === 201) expect(raced).toEqual(['Bài vừa gửi xong']);
    expect(raced.length).toBeLessThanOrEqual(1);
    expect(readDb(dataDir, (db) => db.prepare('SELECT COUNT(*) AS n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_revisions r WHERE r.article_id = a.id)').get())).toEqual({ n: 0 });

    const again = await upload(second.url, token2, 'Bài đang tải lên dở dang', docx);
    expect(again.status).toBe(201);
    expect(await titles(second.api, token2, 'dang tai len do dang')).toEqual(['Bài đang tải lên dở dang']);
    expect(await second.stop()).toBe(0);
  }, SLOW_MS);
});

describe('kill -9 of the server during a typeset job', () => {
  it('re-queues the job once and finishes it, fails it with a reason the second time, and leaves no temp output', async () => {
    const dataDir = newDataDir();
    const tmpDir = processTmpDir();
    let server = await startServe(dataDir, { tmpDir });
    const admin = await setupAdmin(server.api);
    const editor = await readyIssue(server.api, admin, 11);
    const issueId = editor.issueId;
    const queued = await server.api<{ jobId: number }>('POST', `/issues/${issueId}/typeset`, { token: editor.token });
    expect(queued.status).toBe(202);
    const jobId = queued.body.jobId;

    // Attempt 1 is killed while it paginates.
    await untilPaginating(server, editor.token, jobId, 1);
    await server.kill();
    expect(readDb(dataDir, (db) => db.prepare('SELECT state, attempts FROM jobs WHERE id = ?').get(jobId))).toEqual({ state: 'running', attempts: 1 });
    // Chromium notices its parent is gone (the DevTools pipe closes) and exits: no orphan keeps the memory.
    await waitFor('the killed server’s Chromium to exit', () => (chromiumUnder(tmpDir).length === 0 ? true : undefined));
    // What a kill during the write of the outputs leaves: the attempt's temp directory with a partial PDF.
    const leftover = path.join(dataDir, 'renditions', String(issueId), `.job-${jobId}-1.tmp`);
    fs.mkdirSync(leftover, { recursive: true });
    fs.writeFileSync(path.join(leftover, 'print.pdf'), '%PDF-1.7\n% cut off by the power failure');

    // Restart: the leftover is removed at start, the job re-queued (attempt 2); it is killed again.
    server = await startServe(dataDir, { tmpDir });
    expect(fs.existsSync(leftover)).toBe(false);
    await untilPaginating(server, editor.token, jobId, 2);
    await server.kill();

    // Second restart: interrupted twice, the job is failed with a reason instead of looping forever.
    server = await startServe(dataDir, { tmpDir });
    const failed = await server.api<JobView>('GET', `/jobs/${jobId}`, { token: editor.token });
    expect(failed.body).toMatchObject({ state: 'failed', attempts: 2 });
    expect(failed.body.error).toMatch(/server stopped during this job 2 times/);
    expect(tempFiles(dataDir)).toEqual([]);
    expect(readDb(dataDir, (db) => db.prepare('SELECT COUNT(*) AS n FROM renditions WHERE issue_id = ?').get(issueId))).toEqual({ n: 0 });

    // Typesetting again works, and what is recorded is exactly what is on disk.
    const retry = await server.api<{ jobId: number }>('POST', `/issues/${issueId}/typeset`, { token: editor.token });
    const done = await waitForJob(server.api, editor.token, retry.body.jobId, 'the new job to end', jobEnded);
    expect(done).toMatchObject({ state: 'done', attempts: 1 });
    const issue = await server.api<{ files: { name: string; sha256: string }[] }>('GET', `/issues/${issueId}`, { token: editor.token });
    expect(issue.body.files.map((f) => f.name)).toEqual(expect.arrayContaining(['print.pdf', 'screen.pdf', 'job.json']));
    for (const f of issue.body.files) {
      const res = await fetch(`${server.url}/api/v1/issues/${issueId}/files/${f.name}`, { headers: { authorization: `Bearer ${editor.token}` } });
      expect(res.status).toBe(200);
      expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(f.sha256);
    }
    expect(tempFiles(dataDir)).toEqual([]);
    expect(await server.stop()).toBe(0);
  }, SLOW_MS);
});

/** Polls the job until the given attempt is paginating (Chromium at work). */
async function untilPaginating(server: ServeProcess, token: string, jobId: number, attempt: number): Promise<void> {
  await waitForJob(server.api, token, jobId, `job ${jobId} attempt ${attempt} to paginate`, (j) => {
    if (jobEnded(j)) throw new Error(`job ended before it could be interrupted: ${JSON.stringify(j)}`);
    return j.state === 'running' && j.attempts === attempt && j.stage === 'paginate';
  });
}

async function titles(api: ApiClient, token: string, q: string): Promise<string[]> {
  const r = await api<{ items: { title: string }[] }>('GET', `/articles?q=${encodeURIComponent(q)}`, { token });
  expect(r.status).toBe(200);
  return r.body.items.map((a) => a.title);
}

function multipartBody(title: string, docx: Uint8Array): { boundary: string; body: Buffer } {
  const boundary = `----bantin${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bai-viet.docx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n`),
    Buffer.from(docx),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { boundary, body };
}

/** A multipart upload sent by hand, so the test decides when each half of the body leaves. */
function startUpload(base: string, token: string, title: string, docx: Uint8Array) {
  const { boundary, body } = multipartBody(title, docx);
  const req = http.request(`${base}/api/v1/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
  });
  const reply = new Promise<{ status: number; id?: number }>((resolve) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, id: res.statusCode === 201 ? (JSON.parse(text) as { id: number }).id : undefined }));
      // The server was killed mid-response: no reply.
      res.on('error', () => resolve({ status: 0 }));
    });
    // Connection reset by the kill: no reply.
    req.once('error', () => resolve({ status: 0 }));
  });
  const write = (chunk: Buffer) => new Promise<void>((resolve, reject) => req.write(chunk, (err) => (err ? reject(err) : resolve())));
  return {
    reply,
    sendHalf: () => write(body.subarray(0, Math.floor(body.length / 2))),
    sendAll: async () => {
      await write(body);
      req.end();
    },
  };
}

async function upload(base: string, token: string, title: string, docx: Uint8Array): Promise<{ status: number; id?: number }> {
  const u = startUpload(base, token, title, docx);
  await u.sendAll();
  return u.reply;
}
