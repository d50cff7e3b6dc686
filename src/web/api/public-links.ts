/**
 * What a download link opens, without login: GET /d/:token lists the unit's published issues (JSON for
 * programs, a small Vietnamese page for browsers), GET /d/:token/issues/:id/files/:name downloads one.
 * Unknown, revoked and expired tokens get 403 (a Vietnamese page in a browser).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isAppError } from '../../domain/errors.ts';
import { formatDateLongVi, formatNumberVi } from '../../domain/vi-text.ts';
import type { Services } from '../../workflow/index.ts';
import type { Viewer } from '../../workflow/issue-access.ts';
import type { PublishedItem } from '../../workflow/publish.ts';
import { hasOnlineEdition, ONLINE_INDEX } from '../../workflow/issue-online.ts';
import { FILE_ROUTE, requestedFile, sendIssueFile } from './files.ts';
import { sendCover } from './cover-response.ts';
import { pathId } from './params.ts';
import { linkPath } from './download-links.ts';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}small{color:#555}
h1{font-size:1.5rem}.issues{list-style:none;padding:0}.issues li{display:flex;gap:.75rem;margin:0 0 1rem;padding-bottom:1rem;border-bottom:1px solid #ddd}
.issues img{flex:0 0 auto;width:72px;height:auto;aspect-ratio:190/270;object-fit:cover;border:1px solid #ccc;background:#f3efe6}.issues p{margin:.4rem 0 0}
.btn{display:inline-block;padding:.3rem .7rem;border:1px solid #a3161c;border-radius:4px;color:#a3161c;text-decoration:none;font-weight:600}</style></head>
<body>${body}</body></html>`;
}

const FILE_LABELS: Record<string, string> = { 'screen.pdf': 'Tải bản đọc (PDF)', 'cover.pdf': 'Tải bìa (PDF)' };

/** "1,2 MB" / "350 KB" */
function sizeVi(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${formatNumberVi(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB` : `${formatNumberVi(Math.max(1, Math.round(bytes / 1024)))} KB`;
}

function listPage(unit: string, token: string, items: PublishedItem[]): string {
  const rows = items
    .map((i) => {
      const base = `${linkPath(token)}/issues/${i.id}`;
      const online = hasOnlineEdition(i.files) ? `<a class="btn" href="${base}/files/${ONLINE_INDEX}">Đọc trực tuyến</a> ` : '';
      const files = online + i.files
        .filter((f) => f.name !== ONLINE_INDEX)
        .map((f) => `<a class="btn" href="${base}/files/${encodeURIComponent(f.name)}">${escapeHtml(FILE_LABELS[f.name] ?? f.name)}</a> <small>${sizeVi(f.bytes)}</small>`)
        .join(' ');
      const heading = `Số ${i.number} – Tháng ${Number(i.date.slice(5, 7))}/${i.year}`;
      return `<li><img src="${base}/cover.jpg" alt="" width="72" height="102" loading="lazy"><div><strong>${heading}</strong><br><small>${escapeHtml(formatDateLongVi(i.date))}${i.pages ? `, ${i.pages} trang` : ''}</small><p>${files}</p></div></li>`;
    })
    .join('\n');
  return page(`Bản tin – ${unit}`, `<h1>Bản tin Thông báo Nội bộ</h1><p>Đơn vị: <strong>${escapeHtml(unit)}</strong>. Tài liệu lưu hành nội bộ.</p>
${items.length ? `<ul class="issues">${rows}</ul>` : '<p>Chưa có số bản tin nào được phát hành cho đơn vị.</p>'}`);
}

export function publicLinkRouter(s: Services): Router {
  const router = express.Router();
  router.get('/d/:token', (req: Request, res: Response) => {
    const token = String(req.params.token);
    const { unit } = s.downloadLinks.resolve(token);
    const viewer: Viewer = { kind: 'unit', unitId: unit.id, actor: null };
    const items = s.publishing.listFor(viewer);
    res.set('Cache-Control', 'private, no-store');
    if (wantsHtml(req)) {
      res.type('html').send(listPage(unit.name, token, items));
      return;
    }
    const base = `${linkPath(token)}/issues`;
    res.json({ unit: { id: unit.id, name: unit.name }, items: items.map((i) => ({ ...i, files: i.files.map((f) => ({ ...f, url: `${base}/${i.id}/files/${f.name}` })) })) });
  });

  router.get('/d/:token/issues/:id/cover.jpg', async (req: Request, res: Response) => {
    const { unit } = s.downloadLinks.resolve(String(req.params.token));
    const viewer: Viewer = { kind: 'unit', unitId: unit.id, actor: null };
    await sendCover(req, res, await s.covers.forIssue(viewer, pathId(req.params as Record<string, string>)));
  });

  router.get(`/d/:token/issues/:id${FILE_ROUTE}`, (req: Request, res: Response, next: NextFunction) => {
    const { link, unit } = s.downloadLinks.resolve(String(req.params.token));
    const viewer: Viewer = { kind: 'unit', unitId: unit.id, actor: null };
    const sent = s.issueFiles.open(viewer, pathId(req.params as Record<string, string>), requestedFile(req));
    sendIssueFile(req, res, next, s, viewer, sent, link.id);
  });

  // A person following a dead link sees a Vietnamese page; programs get the usual JSON envelope.
  router.use('/d', (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!isAppError(err) || !wantsHtml(req) || res.headersSent) return next(err);
    res.status(err.httpStatus).type('html').send(page('Không mở được liên kết', `<h1>Không mở được liên kết</h1><p>${escapeHtml(err.userMessage)}</p><p>Vui lòng liên hệ Ban biên tập để được cấp liên kết mới.</p>`));
  });
  return router;
}
