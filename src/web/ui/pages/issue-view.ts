/**
 * The data of the issue screen (assembly, distribution, typesetting, preview, sign-off, print, publish),
 * built once so that every refused action re-shows the same page with its message and the input kept.
 */
import type { PreflightFinding } from '../../../domain/issue.ts';
import { can } from '../../../domain/roles.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import { compareVi } from '../../../domain/vi-text.ts';
import { routeId, type SignedInPage } from '../page.ts';
import { unitOptions } from '../lookups.ts';
import type { RefusalLine } from './issue-refusals.ts';
import { findingVi } from '../preflight-vi.ts';
import { countDownloads } from '../../../workflow/download-counts.ts';

export function issueIdParam(p: SignedInPage): number {
  const id = routeId(p.req.params.id);
  if (id === null) throw new NotFoundError('no such issue', { userMessage: 'Không tìm thấy số bản tin.' });
  return id;
}

/** "Số 11 – Tháng 11/2026" */
export function issueHeading(i: { number: number; date: string }): string {
  return `Số ${i.number} – Tháng ${Number(i.date.slice(5, 7))}/${i.date.slice(0, 4)}`;
}

export function fileHref(issueId: number, name: string, inline = false): string {
  // Folders of a rendition stay path segments (`online/index.html`): the page's relative links depend on them.
  return `/api/v1/issues/${issueId}/files/${name.split('/').map(encodeURIComponent).join('/')}${inline ? '?inline=1' : ''}`;
}

const JOB_STATES_VI: Record<string, string> = { queued: 'đang chờ', running: 'đang chạy', done: 'hoàn tất', failed: 'lỗi', cancelled: 'đã hủy' };

export interface IssueScreenExtras {
  refusal?: { message: string; lines: RefusalLine[] };
  values?: Record<string, string>;
  /** Copies typed into the distribution form, by unit id, when it was refused */
  copies?: Record<string, string>;
}

export function issueScreen(p: SignedInPage, id: number, extras: IssueScreenExtras = {}) {
  const { issues, issuePortal, articles, units, sections } = p.deps.services;
  const issue = issues.view(p.actor, id);
  const contents = issuePortal.contents(p.actor, id);
  const placed = new Set(contents.flatMap((s) => s.articles.map((a) => a.articleId)));
  const candidates = articles.list(p.actor, { state: 'approved', limit: 500 }).items.filter((a) => !placed.has(a.id));
  const sectionTitles = [...new Set([...contents.map((s) => s.title), ...sections.list(p.actor).map((s) => s.title)])];
  const activeUnits = units.list(p.actor).filter((u) => u.validTo === null);
  const byUnit = new Map((issue.distribution ?? []).filter((d) => d.unitId !== null).map((d) => [d.unitId, d.copies]));
  const distribution = unitOptions(activeUnits).map((u) => ({ ...u, copies: extras.copies?.[String(u.id)] ?? String(byUnit.get(u.id) ?? '') }));
  const distributionTotal = (issue.distribution ?? []).reduce((n, d) => n + d.copies, 0);
  const frozen = issue.state !== 'draft' && issue.state !== 'typeset';
  const job = issue.latestJob ?? null;
  const running = job !== null && (job.state === 'queued' || job.state === 'running');
  const findings = ((issue.preflight?.findings ?? []) as PreflightFinding[]).map((f) => {
    const article = f.article ? contents.flatMap((s) => s.articles).find((a) => a.title === f.article) : undefined;
    return { ...f, ...findingVi(f), articleId: article?.articleId ?? null, isError: f.severity === 'error' };
  });
  const shops = issuePortal.printShops(p.actor);
  const shopName = new Map(shops.map((s) => [s.id, s.displayName]));
  const log = issues.downloads(p.actor, id);
  const people = p.deps.people.displayNames(p.actor, log.map((d) => d.userId));
  const unitName = new Map(activeUnits.map((u) => [u.id, u.name]));
  const downloads = log.map((d) => ({
    ...d,
    who: d.userId !== null ? (people.get(d.userId) ?? `#${d.userId}`) : d.linkId !== null ? `liên kết #${d.linkId}` : '',
    unitName: d.unitId !== null ? (unitName.get(d.unitId) ?? '') : '',
  }));
  const hasFile = (n: string) => issue.files.some((f) => f.name === n);
  return {
    title: issueHeading(issue),
    issuesAssets: true,
    issue,
    heading: issueHeading(issue),
    frozen,
    contents: contents.map((s, si) => ({ ...s, index: si, first: si === 0, last: si === contents.length - 1, articles: s.articles.map((a, ai) => ({ ...a, upDisabled: si === 0 && ai === 0, downDisabled: si === contents.length - 1 && ai === s.articles.length - 1 })) })),
    candidates: [...candidates].sort((a, b) => compareVi(a.title, b.title)),
    sectionTitles,
    distribution,
    distributionTotal,
    distributionOff: distributionTotal !== issue.printRun && (issue.distribution ?? []).length > 0,
    job: job ? { ...job, stateText: JOB_STATES_VI[job.state] ?? job.state } : null,
    running,
    jobFailed: job?.state === 'failed',
    preview: hasFile('screen.pdf') ? fileHref(id, 'screen.pdf', true) : null,
    thumbnails: issue.thumbnails.map((t) => ({ ...t, src: `/api/v1/issues/${id}/files/${t.name}` })),
    files: issue.files.map((f) => ({ ...f, href: fileHref(id, f.name) })),
    findings,
    preflightErrors: issue.preflight?.errors ?? 0,
    preflightWarnings: issue.preflight?.warnings ?? 0,
    outdated: issue.current === false,
    staleArticles: issue.editedSinceTypeset?.length ? issue.editedSinceTypeset : null,
    canSign: can(p.actor.role, 'issue.signoff'),
    shops: shops.map((s) => ({ ...s, sent: (issue.printShops ?? []).some((d) => d.userId === s.id) })),
    deliveries: (issue.printShops ?? []).map((d) => ({ ...d, name: shopName.get(d.userId) ?? `#${d.userId}` })),
    publishUnits: unitOptions(activeUnits),
    audience: issue.publication
      ? issue.publication.visibility === 'all'
        ? 'mọi đơn vị'
        : issue.publication.unitIds.map((u) => unitName.get(u) ?? `#${u}`).join(', ')
      : '',
    downloads: downloads.slice(-100).reverse(),
    // Range requests of one download (a PDF viewer, a resumed link) count once per reader, file and day.
    downloadCount: countDownloads(log),
    values: extras.values ?? {},
    refusal: extras.refusal,
  };
}
