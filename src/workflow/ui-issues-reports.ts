/**
 * Reports for the editorial office and the admin: issues per year and copies printed, who contributes
 * articles (per unit) and what the issues carried (per section), downloads per issue and per unit, and
 * which units have not downloaded the newest published issue. Read-only; built from the repositories.
 */
import { ForbiddenError } from '../domain/errors.ts';
import type { Actor } from '../domain/user.ts';
import { compareVi } from '../domain/vi-text.ts';
import type { WorkflowDeps } from './context.ts';
import { viewerOf } from './issue-access.ts';
import { countDownloads, countDownloadsByUnit } from './download-counts.ts';

export interface CountRow {
  label: string;
  count: number;
  /** A second figure where the table has one (copies printed, bytes downloaded) */
  extra?: number;
}

export interface Reports {
  issuesPerYear: CountRow[];
  articlesPerUnit: CountRow[];
  articlesPerSection: CountRow[];
  downloadsPerIssue: CountRow[];
  downloadsPerUnit: CountRow[];
  /** The newest published issue and the current units without a download of it */
  latest: { label: string; unitsWithout: string[] } | null;
}

const PRINTED = new Set(['sent_to_print', 'published']);

export class IssueReportService {
  constructor(private readonly deps: WorkflowDeps) {}

  reports(actor: Actor): Reports {
    if (viewerOf(actor).kind !== 'office') throw new ForbiddenError(`role ${actor.role} may not read reports`, { userMessage: 'Bạn không có quyền xem báo cáo.' });
    const { store } = this.deps;
    const issues = store.issues.list();
    const units = store.units.list();
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const label = (i: { number: number; date: string }) => `Số ${i.number} – Tháng ${Number(i.date.slice(5, 7))}/${i.date.slice(0, 4)}`;

    const years = new Map<number, CountRow>();
    for (const i of issues) {
      const row = years.get(i.year) ?? { label: String(i.year), count: 0, extra: 0 };
      row.count += 1;
      if (PRINTED.has(i.state)) row.extra = (row.extra ?? 0) + i.printRun;
      years.set(i.year, row);
    }

    const perUnit = new Map<string, number>();
    for (const r of store.articles.countByUnitSince('0000-01-01')) {
      const name = r.unitId === null ? '(không thuộc đơn vị)' : (unitName.get(r.unitId) ?? `#${r.unitId}`);
      perUnit.set(name, (perUnit.get(name) ?? 0) + r.count);
    }
    // Current units that never sent anything are part of the answer ("who never does").
    for (const u of units) if (u.validTo === null && !perUnit.has(u.name)) perUnit.set(u.name, 0);

    const perSection = new Map<string, number>();
    const published = issues.filter((i) => i.state === 'published');
    const downloadsPerIssue: CountRow[] = [];
    const perUnitDownloads = new Map<string, number>();
    for (const i of issues) {
      for (const s of store.issues.plan(i.id)) perSection.set(s.title, (perSection.get(s.title) ?? 0) + s.articleIds.length);
    }
    for (const i of published) {
      const log = store.downloadLinks.downloads(i.id);
      downloadsPerIssue.push({ label: label(i), count: countDownloads(log), extra: log.reduce((n, d) => n + d.bytes, 0) });
      for (const [unitId, n] of countDownloadsByUnit(log)) {
        const name = unitId === null ? '(không thuộc đơn vị)' : (unitName.get(unitId) ?? `#${unitId}`);
        perUnitDownloads.set(name, (perUnitDownloads.get(name) ?? 0) + n);
      }
    }
    const newest = published[0];
    const latest = newest
      ? (() => {
          const got = new Set(store.downloadLinks.downloads(newest.id).map((d) => d.unitId));
          const without = units.filter((u) => u.validTo === null && !got.has(u.id)).map((u) => u.name).sort(compareVi);
          return { label: label(newest), unitsWithout: without };
        })()
      : null;

    const rows = (m: Map<string, number>) => [...m].map(([l, count]) => ({ label: l, count })).sort((a, b) => b.count - a.count || compareVi(a.label, b.label));
    return {
      issuesPerYear: [...years.values()].sort((a, b) => b.label.localeCompare(a.label)),
      articlesPerUnit: rows(perUnit),
      articlesPerSection: rows(perSection),
      downloadsPerIssue,
      downloadsPerUnit: rows(perUnitDownloads),
      latest,
    };
  }
}
