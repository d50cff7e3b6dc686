/** Reports for the office (admin, editors): tables with simple inline SVG bars, and each table as CSV. */
import { NotFoundError } from '../../../domain/errors.ts';
import { formatNumberVi } from '../../../domain/vi-text.ts';
import type { CountRow, Reports } from '../../../workflow/ui-issues-reports.ts';
import type { SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { contentDisposition } from '../../api/files.ts';

type TableKey = Exclude<keyof Reports, 'latest'>;

const TABLES: Record<TableKey, { title: string; countLabel: string; extraLabel?: string }> = {
  issuesPerYear: { title: 'Số bản tin theo năm', countLabel: 'Số bản tin', extraLabel: 'Bản đã in' },
  articlesPerUnit: { title: 'Bài viết theo đơn vị gửi', countLabel: 'Bài' },
  articlesPerSection: { title: 'Bài đã xếp theo chuyên mục', countLabel: 'Bài' },
  downloadsPerIssue: { title: 'Lượt tải theo số', countLabel: 'Lượt tải', extraLabel: 'Byte' },
  downloadsPerUnit: { title: 'Lượt tải theo đơn vị', countLabel: 'Lượt tải' },
};

/** Bars as percentages of the largest count, for an inline SVG (no chart library, no CDN). */
function withBars(rows: CountRow[]) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return rows.map((r) => ({ ...r, countText: formatNumberVi(r.count), extraText: r.extra === undefined ? '' : formatNumberVi(r.extra), width: Math.round((r.count / max) * 100) }));
}

function reportsPage(p: SignedInPage): void {
  const data = p.deps.services.issueReports.reports(p.actor);
  const tables = (Object.keys(TABLES) as TableKey[]).map((key) => ({ key, ...TABLES[key], rows: withBars(data[key]) }));
  p.render('reports', { title: 'Báo cáo', issuesAssets: true, tables, latest: data.latest });
}

function reportCsv(p: SignedInPage): void {
  const key = String(p.req.params.table) as TableKey;
  const table = TABLES[key];
  if (!Object.hasOwn(TABLES, key) || !table) throw new NotFoundError(`no report "${key}"`, { userMessage: 'Không có báo cáo này.' });
  const rows = p.deps.services.issueReports.reports(p.actor)[key];
  const cell = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [[table.title, table.countLabel, ...(table.extraLabel ? [table.extraLabel] : [])].map(cell).join(','), ...rows.map((r) => [cell(r.label), r.count, ...(table.extraLabel ? [r.extra ?? 0] : [])].join(','))];
  p.res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': contentDisposition(`bao-cao-${key}.csv`) }).send('\uFEFF' + lines.join('\r\n') + '\r\n');
}

export const reportRoutes: UiRoute[] = [
  { method: 'get', path: '/reports', access: 'signed-in', handler: reportsPage },
  { method: 'get', path: '/reports/:table.csv', access: 'signed-in', handler: reportCsv },
];
