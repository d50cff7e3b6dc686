/**
 * The internal portal for every signed-in role: the archive of published issues by year (current issue
 * first, each with its cover picture), an issue's table of contents and downloads, and search over
 * published issues' articles. What a viewer may see and download is decided by the workflow
 * (issue-access.ts), not here. Feed and e-mail subscriptions are in archive-feed.ts, covers in archive-cover.ts.
 */
import { formatNumberVi, formatDateLongVi } from '../../../domain/vi-text.ts';
import type { SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { onlineHref } from '../../api/files.ts';
import { hasOnlineEdition } from '../../../workflow/issue-online.ts';
import type { ContentsLine, ContentsSection } from '../../../workflow/ui-issues-portal.ts';
import { fileHref, issueHeading, issueIdParam } from './issue-view.ts';

/** "1,2 MB" / "350 KB" */
export function fileSizeVi(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatNumberVi(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
  return `${formatNumberVi(Math.max(1, Math.round(bytes / 1024)))} KB`;
}

/** "Ngày 15 tháng 11 năm 2026" (the long date starts a line here). */
function dateLine(iso: string): string {
  const d = formatDateLongVi(iso);
  return d.charAt(0).toLocaleUpperCase('vi') + d.slice(1);
}

const DOWNLOAD_LABELS: Record<string, string> = {
  'screen.pdf': 'Tải bản đọc (PDF)',
  'print.pdf': 'Tải bản in (PDF)',
  'cover.pdf': 'Bìa (PDF)',
  'job.json': 'Phiếu công việc (JSON)',
  'print-ticket.pdf': 'Phiếu đặt in (PDF)',
  'distribution.csv': 'Danh sách phát hành (CSV)',
};

export function coverHref(issueId: number): string {
  return `/archive/${issueId}/cover.jpg`;
}

/** What the archive page shows; `extra` carries a just-made feed address or a refused form. */
export function archiveView(p: SignedInPage, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { services } = p.deps;
  const items = services.publishing.listPublished(p.actor);
  const years = new Map<number, unknown[]>();
  items.forEach((i, index) => {
    const screen = i.files.find((f) => f.name === 'screen.pdf');
    const entry = {
      ...i,
      heading: issueHeading(i),
      isCurrent: index === 0,
      dateLong: dateLine(i.date),
      size: screen ? fileSizeVi(screen.bytes) : '',
      // "Đọc" opens the online edition; renditions made before it existed open screen.pdf in the browser.
      readHref: hasOnlineEdition(i.files) ? onlineHref(i.id) : screen ? fileHref(i.id, 'screen.pdf', true) : null,
      downloadHref: screen ? fileHref(i.id, 'screen.pdf') : null,
      coverHref: coverHref(i.id),
    };
    const list = years.get(i.year) ?? [];
    list.push(entry);
    years.set(i.year, list);
  });
  const q = typeof p.req.query.q === 'string' ? p.req.query.q.slice(0, 200) : '';
  const hits = q.trim() ? services.issuePortal.search(p.actor, q).map((h) => ({ ...h, heading: issueHeading(h) })) : [];
  return {
    title: 'Kho bản tin',
    issuesAssets: true,
    currentHeading: items.length > 0 ? issueHeading(items[0]!) : '',
    years: [...years].map(([year, list]) => ({ year, items: list, count: list.length })),
    q,
    searched: q.trim() !== '',
    hits,
    feed: services.feeds.status(p.actor),
    mailEnabled: services.notifier.mailEnabled,
    email: services.emailAddresses.own(p.actor).email,
    ...extra,
  };
}

function archive(p: SignedInPage): void {
  p.render('archive', archiveView(p));
}

function issuePage(p: SignedInPage): void {
  const id = issueIdParam(p);
  const issue = p.deps.services.issues.view(p.actor, id);
  const contents = p.deps.services.issuePortal.contents(p.actor, id);
  const order = ['screen.pdf', 'print.pdf', 'cover.pdf', 'print-ticket.pdf', 'job.json', 'distribution.csv'];
  const downloads = issue.files
    .filter((f) => order.includes(f.name))
    .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
    .map((f) => ({ ...f, label: DOWNLOAD_LABELS[f.name] ?? f.name, size: fileSizeVi(f.bytes), href: fileHref(id, f.name) }));
  const screen = issue.files.find((f) => f.name === 'screen.pdf');
  const online = hasOnlineEdition(issue.files);
  p.render('archive-issue', {
    title: issueHeading(issue),
    issuesAssets: true,
    issue,
    heading: issueHeading(issue),
    dateLong: dateLine(issue.date),
    // Articles numbered in plan order: the online edition's anchors (`#bai-3`, see online-html.ts).
    contents: numbered(contents),
    downloads,
    // The online edition readers get (the signed rendition); the office sees the newest one before sign-off.
    onlineHref: online ? onlineHref(id) : null,
    onlineMissing: !online && screen !== undefined,
    pdfHref: screen ? fileHref(id, 'screen.pdf', true) : null,
    coverHref: coverHref(id),
    published: issue.state === 'published',
  });
}

function numbered(sections: ContentsSection[]): Array<Omit<ContentsSection, 'articles'> & { articles: Array<ContentsLine & { position: number }> }> {
  let position = 0;
  return sections.map((s) => ({ ...s, articles: s.articles.map((a) => ({ ...a, position: (position += 1) })) }));
}

export const portalRoutes: UiRoute[] = [
  { method: 'get', path: '/archive', access: 'signed-in', handler: archive },
  { method: 'get', path: '/archive/:id', access: 'signed-in', handler: issuePage },
];
