/**
 * A small WordPress REST API on 127.0.0.1 that behaves as the documented endpoints do: Basic auth with an
 * application password (spaces ignored, 401 `incorrect_password` otherwise), raw-body media uploads that
 * need Content-Disposition, posts created with 201 and updated by POST /posts/<id> (404 when unknown).
 * `faults` makes the next requests answer a given status (or hang) to test retries.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WpMedia {
  id: number;
  fileName: string;
  mimeType: string;
  bytes: number;
  title: string;
  source_url: string;
}
export interface WpPost {
  id: number;
  title: string;
  content: string;
  excerpt: string;
  status: string;
  slug: string;
  featured_media: number;
  link: string;
}

export interface FakeWordPress {
  url: string;
  media: Map<number, WpMedia>;
  posts: Map<number, WpPost>;
  requests: { method: string; path: string; status: number }[];
  faults: (number | 'hang')[];
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

export async function startFakeWordPress(user: string, appPassword: string): Promise<FakeWordPress> {
  let nextId = 100;
  const wp: Omit<FakeWordPress, 'url' | 'close'> = { media: new Map(), posts: new Map(), requests: [], faults: [] };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '').split('?')[0]!;
      const reply = (status: number, json: unknown) => {
        wp.requests.push({ method: req.method ?? '', path, status });
        send(res, status, json);
      };
      const fault = wp.faults.shift();
      if (fault === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault) return reply(fault, { code: 'internal_server_error', message: 'Có lỗi nghiêm trọng trên trang web này.', data: { status: fault } });

      const auth = req.headers.authorization ?? '';
      const [u, p] = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
      // WordPress strips spaces from application passwords before comparing.
      if (!auth.startsWith('Basic ') || u !== user || p?.replace(/\s/g, '') !== appPassword.replace(/\s/g, '')) {
        return reply(401, { code: 'incorrect_password', message: 'The provided password is an invalid application password.', data: { status: 401 } });
      }
      if (req.method !== 'POST') return reply(405, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
      const base = '/wp-json/wp/v2';
      if (path === `${base}/media`) {
        const disposition = req.headers['content-disposition'] ?? '';
        const name = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? /filename="([^"]+)"/.exec(disposition)?.[1];
        if (!name) return reply(400, { code: 'rest_upload_no_content_disposition', message: 'No Content-Disposition supplied.', data: { status: 400 } });
        if (!body.length) return reply(400, { code: 'rest_upload_no_data', message: 'No data supplied.', data: { status: 400 } });
        const id = nextId++;
        const fileName = decodeURIComponent(name);
        const m: WpMedia = { id, fileName, mimeType: String(req.headers['content-type']), bytes: body.length, title: fileName, source_url: `https://portal.example/wp-content/uploads/2026/11/${encodeURIComponent(fileName)}` };
        wp.media.set(id, m);
        return reply(201, { id, source_url: m.source_url, mime_type: m.mimeType, title: { rendered: m.title } });
      }
      const mediaMatch = new RegExp(`^${base}/media/(\\d+)$`).exec(path);
      if (mediaMatch) {
        const m = wp.media.get(Number(mediaMatch[1]));
        if (!m) return reply(404, { code: 'rest_post_invalid_id', message: 'Invalid post ID.', data: { status: 404 } });
        m.title = (JSON.parse(body.toString('utf8')) as { title: string }).title;
        return reply(200, { id: m.id, source_url: m.source_url });
      }
      const fields = () => JSON.parse(body.toString('utf8')) as Partial<WpPost>;
      if (path === `${base}/posts`) {
        const f = fields();
        if (f.featured_media && !wp.media.has(f.featured_media)) return reply(400, { code: 'rest_invalid_featured_media', message: 'Invalid featured media ID.', data: { status: 400 } });
        const id = nextId++;
        const post: WpPost = { id, title: f.title ?? '', content: f.content ?? '', excerpt: f.excerpt ?? '', status: f.status ?? 'draft', slug: f.slug ?? '', featured_media: f.featured_media ?? 0, link: `https://portal.example/?p=${id}` };
        wp.posts.set(id, post);
        return reply(201, post);
      }
      const postMatch = new RegExp(`^${base}/posts/(\\d+)$`).exec(path);
      if (postMatch) {
        const post = wp.posts.get(Number(postMatch[1]));
        if (!post) return reply(404, { code: 'rest_post_invalid_id', message: 'Invalid post ID.', data: { status: 404 } });
        Object.assign(post, fields());
        return reply(200, post);
      }
      reply(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    ...wp,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
