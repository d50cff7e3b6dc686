/**
 * NukeViet's api.php on 127.0.0.1, checking what the real one checks, in its order: Remote API switched
 * on (else 0011), timestamp within 5 s of the portal clock (0020), a credential with this apikey (0013),
 * hashsecret = password_verify(secret_timestamp) for 4.5 or md5 for 4.6 (0014), a known action (0004) —
 * then the BantinPublishIssue class: create or update the article by remote_id / issue_key.
 * Answers are the `{status, code, message}` envelope with HTTP 200, as nv_jsonOutput does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import multer from 'multer';
import { verifyNukevietHashSecret, type NukeVietVersion } from '../../src/publish/channels/nukeviet-auth.ts';

export interface NvArticle {
  id: number;
  issueKey: string;
  title: string;
  pdfBytes: number;
  pdfName: string;
  coverBytes: number;
  updates: number;
}

export interface FakeNukeViet {
  url: string;
  articles: Map<number, NvArticle>;
  remoteApiOn: boolean;
  /** Seconds the portal's clock is ahead of ours */
  clockSkew: number;
  close(): Promise<void>;
}

export async function startFakeNukeViet(credential: { apiKey: string; secret: string; version: NukeVietVersion }): Promise<FakeNukeViet> {
  const state = { articles: new Map<number, NvArticle>(), remoteApiOn: true, clockSkew: 0 };
  let nextId = 1;
  const app = express();
  const upload = multer({ storage: multer.memoryStorage() }).fields([{ name: 'pdf', maxCount: 1 }, { name: 'cover', maxCount: 1 }]);
  app.post('/api.php', upload, (req, res) => {
    const out = (code: string, message: string, extra: Record<string, unknown> = {}) =>
      res.json({ status: code === '0000' ? 'success' : 'error', code, message, ...extra });
    const body = req.body as Record<string, string>;
    if (!state.remoteApiOn) return out('0011', 'Remote is off!!!');
    const now = Math.floor(Date.now() / 1000) + state.clockSkew;
    const ts = Number(body.timestamp);
    if (!(ts + 5 >= now && ts - 5 <= now)) return out('0020', `Incorrect API time: ${ts}, Server time: ${now}`);
    if (body.apikey !== credential.apiKey) return out('0013', 'No Api Credential found !!!');
    if (!verifyNukevietHashSecret(credential.secret, ts, body.hashsecret ?? '', credential.version)) return out('0014', 'Api Authentication fail !!! ');
    if (body.action !== 'BantinPublishIssue' || body.module !== 'news') return out('0004', 'Api Command Not Found!!!');
    const files = req.files as Record<string, Express.Multer.File[]>;
    const pdf = files.pdf?.[0];
    const cover = files.cover?.[0];
    if (!pdf || pdf.mimetype !== 'application/pdf' || !pdf.buffer.subarray(0, 5).equals(Buffer.from('%PDF-'))) return out('1001', 'Missing or invalid PDF');
    const existing = (body.remote_id && state.articles.get(Number(body.remote_id))) || [...state.articles.values()].find((a) => a.issueKey === body.issue_key);
    const article: NvArticle = existing ?? { id: nextId++, issueKey: body.issue_key ?? '', title: '', pdfBytes: 0, pdfName: '', coverBytes: 0, updates: -1 };
    Object.assign(article, { title: body.title ?? '', pdfBytes: pdf.size, pdfName: pdf.originalname, coverBytes: cover?.size ?? 0, updates: article.updates + 1 });
    state.articles.set(article.id, article);
    out('0000', existing ? 'updated' : 'created', { id: article.id, link: `https://tinhuy.example/vi/news/ban-tin/${article.issueKey}-${article.id}.html` });
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const fake = {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  } as FakeNukeViet;
  // The test flips these on the object it holds; the handler reads them through `state`.
  Object.defineProperties(fake, {
    articles: { get: () => state.articles },
    remoteApiOn: { get: () => state.remoteApiOn, set: (v: boolean) => (state.remoteApiOn = v) },
    clockSkew: { get: () => state.clockSkew, set: (v: number) => (state.clockSkew = v) },
  });
  return fake;
}
