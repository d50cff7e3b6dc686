/** Per-unit download links (for Party cells without accounts): create with an expiry, copy, revoke. */
import { formValues, routeId, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import { loadLookups, unitOptions } from '../lookups.ts';
import { linkPath } from '../../api/download-links.ts';

function linksView(p: SignedInPage, values: Record<string, string> = {}, created?: { url: string; unitName: string; expiresAt: string }) {
  const l = loadLookups(p);
  const now = p.deps.clock().toISOString();
  const links = p.deps.services.downloadLinks.list(p.actor).map((k) => ({
    ...k,
    unitName: l.unitName(k.unitId),
    status: k.revokedAt ? 'Đã thu hồi' : k.expiresAt <= now ? 'Hết hạn' : 'Còn hiệu lực',
    active: !k.revokedAt && k.expiresAt > now,
  }));
  const inMonth = new Date(p.deps.clock().getTime() + 31 * 86_400_000).toISOString().slice(0, 10);
  return { title: 'Liên kết tải bản tin', issuesAssets: true, links, unitOptions: unitOptions(l.units.filter((u) => u.validTo === null)), values: { expiresAt: inMonth, ...values }, created };
}

/** Absolute when the browser told us the host it used, so the copied link works when pasted elsewhere. */
function absolute(p: SignedInPage, pathname: string): string {
  const host = p.req.get('host');
  return host ? `${p.req.protocol}://${host}${pathname}` : pathname;
}

function createLink(p: SignedInPage): void {
  const v = formValues(p.req);
  let created;
  try {
    const link = p.deps.services.downloadLinks.create(p.actor, { unitId: routeId(v.unitId) ?? v.unitId, expiresAt: v.expiresAt });
    const unitName = loadLookups(p).unitName(link.unitId);
    created = { url: absolute(p, linkPath(link.token)), unitName, expiresAt: link.expiresAt };
  } catch (err) {
    p.refused(err, 'download-links', linksView(p, v));
    return;
  }
  // The token is shown this once (only its hash is stored), so the page answers directly instead of redirecting.
  p.render('download-links', linksView(p, {}, created), 201);
}

function revokeLink(p: SignedInPage): void {
  const id = routeId(p.req.params.id);
  if (id === null) throw new NotFoundError('no such link', { userMessage: 'Không tìm thấy liên kết.' });
  p.deps.services.downloadLinks.revoke(p.actor, id);
  p.redirect('/download-links', { kind: 'ok', text: 'Đã thu hồi liên kết.' });
}

export const downloadLinkRoutes: UiRoute[] = [
  { method: 'get', path: '/download-links', access: 'download_link.manage', handler: (p) => p.render('download-links', linksView(p)) },
  { method: 'post', path: '/download-links', access: 'download_link.manage', handler: createLink },
  { method: 'post', path: '/download-links/:id/revoke', access: 'download_link.manage', handler: revokeLink },
];
