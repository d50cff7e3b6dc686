import { statementCache, type Db, type Statement } from './database.ts';
import type { DistributionEntry, Issue, IssueSectionPlan, IssueState } from '../domain/issue.ts';

interface IssueRow {
  id: number;
  number: number;
  year: number;
  date: string;
  print_run: number;
  layout: string;
  trim_width_mm: number;
  trim_height_mm: number;
  bleed_mm: number;
  colours: string | null;
  binding: string | null;
  paper: string | null;
  state: IssueState;
  version: number;
  version_reason: string | null;
  plan_revision: number;
  signed_rendition_id: number | null;
  signed_off_at: string | null;
  signed_off_by: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

function toIssue(r: IssueRow): Issue {
  return {
    id: r.id,
    number: r.number,
    year: r.year,
    date: r.date,
    printRun: r.print_run,
    layout: r.layout,
    trim: { widthMm: r.trim_width_mm, heightMm: r.trim_height_mm },
    bleedMm: r.bleed_mm,
    colours: r.colours,
    binding: r.binding,
    paper: r.paper,
    state: r.state,
    version: r.version,
    versionReason: r.version_reason,
    planRevision: r.plan_revision,
    signedRenditionId: r.signed_rendition_id,
    signedOffAt: r.signed_off_at,
    signedOffBy: r.signed_off_by,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** What creating an issue needs: the issue's own data (as the domain names it) and who created it. */
export type NewIssue = Pick<Issue, 'number' | 'year' | 'date' | 'printRun' | 'layout' | 'trim' | 'bleedMm' | 'colours' | 'binding' | 'paper'> & {
  createdBy: number;
};

export type IssueDataChange = Partial<Pick<NewIssue, 'number' | 'date' | 'printRun' | 'layout' | 'trim' | 'bleedMm' | 'colours' | 'binding' | 'paper'>>;

/** Issues, their section plan and placements, and their distribution list. */
export class IssueRepository {
  // Prepared once per connection: issue and rendition rows are read on every file download (bench/RESULTS-publish.md).
  private readonly sql: (sql: string) => Statement;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  insert(i: NewIssue, now: string): number {
    const r = this.db
      .prepare(
        `INSERT INTO issues (number, year, date, print_run, layout, trim_width_mm, trim_height_mm, bleed_mm, colours, binding, paper, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(i.number, i.year, i.date, i.printRun, i.layout, i.trim.widthMm, i.trim.heightMm, i.bleedMm, i.colours, i.binding, i.paper, i.createdBy, now, now);
    return Number(r.lastInsertRowid);
  }

  get(id: number): Issue | undefined {
    const r = this.sql('SELECT * FROM issues WHERE id = ?').get(id) as IssueRow | undefined;
    return r && toIssue(r);
  }

  findByNumber(year: number, number: number, version: number): Issue | undefined {
    const r = this.sql('SELECT * FROM issues WHERE year = ? AND number = ? AND version = ?').get(year, number, version) as IssueRow | undefined;
    return r && toIssue(r);
  }

  list(filter: { ids?: number[] } = {}): Issue[] {
    if (filter.ids && filter.ids.length === 0) return [];
    const where = filter.ids ? `WHERE id IN (${filter.ids.map(() => '?').join(', ')})` : '';
    // Not cached: one SQL string per number of ids.
    const rows = this.db.prepare(`SELECT * FROM issues ${where} ORDER BY date DESC, id DESC`).all(...(filter.ids ?? [])) as IssueRow[];
    return rows.map(toIssue);
  }

  /** Changes issue data and bumps the plan revision, so earlier renditions no longer count as current. */
  updateData(id: number, c: IssueDataChange, now: string): void {
    const cols: [string, unknown][] = [];
    if (c.number !== undefined) cols.push(['number', c.number]);
    if (c.date !== undefined) cols.push(['date', c.date], ['year', Number(c.date.slice(0, 4))]);
    if (c.printRun !== undefined) cols.push(['print_run', c.printRun]);
    if (c.layout !== undefined) cols.push(['layout', c.layout]);
    if (c.trim !== undefined) cols.push(['trim_width_mm', c.trim.widthMm], ['trim_height_mm', c.trim.heightMm]);
    if (c.bleedMm !== undefined) cols.push(['bleed_mm', c.bleedMm]);
    if (c.colours !== undefined) cols.push(['colours', c.colours]);
    if (c.binding !== undefined) cols.push(['binding', c.binding]);
    if (c.paper !== undefined) cols.push(['paper', c.paper]);
    const set = cols.map(([c2]) => `${c2} = ?`).join(', ');
    this.db
      .prepare(`UPDATE issues SET ${set}${set ? ', ' : ''}plan_revision = plan_revision + 1, updated_at = ? WHERE id = ?`)
      .run(...cols.map(([, v]) => v), now, id);
  }

  setState(id: number, state: IssueState, now: string): void {
    this.sql('UPDATE issues SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id);
  }

  /** Only moves when the issue is still in `from` (two requests racing: one wins). */
  moveState(id: number, from: readonly IssueState[], to: IssueState, now: string): boolean {
    const r = this.db
      .prepare(`UPDATE issues SET state = ?, updated_at = ? WHERE id = ? AND state IN (${from.map(() => '?').join(', ')})`)
      .run(to, now, id, ...from);
    return r.changes > 0;
  }

  markSignedOff(id: number, renditionId: number, userId: number, now: string): void {
    this.db
      .prepare(`UPDATE issues SET state = 'signed_off', signed_rendition_id = ?, signed_off_at = ?, signed_off_by = ?, updated_at = ? WHERE id = ?`)
      .run(renditionId, now, userId, now, id);
  }

  // --- plan -------------------------------------------------------------------------------------------

  plan(issueId: number): IssueSectionPlan[] {
    const sections = this.db
      .prepare(
        `SELECT s.id AS isid, s.section_id, sec.title FROM issue_sections s JOIN sections sec ON sec.id = s.section_id
         WHERE s.issue_id = ? ORDER BY s.position`,
      )
      .all(issueId) as { isid: number; section_id: number; title: string }[];
    const placements = this.db
      .prepare('SELECT article_id, issue_section_id FROM placements WHERE issue_id = ? ORDER BY issue_section_id, position')
      .all(issueId) as { article_id: number; issue_section_id: number }[];
    return sections.map((s) => ({
      sectionId: s.section_id,
      title: s.title,
      articleIds: placements.filter((p) => p.issue_section_id === s.isid).map((p) => p.article_id),
    }));
  }

  /** The issue an article is placed in, if any. */
  placementOf(articleId: number): number | undefined {
    const r = this.sql('SELECT issue_id FROM placements WHERE article_id = ?').get(articleId) as { issue_id: number } | undefined;
    return r?.issue_id;
  }

  /** Replaces the whole plan; runs inside the caller's transaction. */
  replacePlan(issueId: number, sections: { sectionId: number; articleIds: number[] }[], now: string): void {
    this.sql('DELETE FROM placements WHERE issue_id = ?').run(issueId);
    this.sql('DELETE FROM issue_sections WHERE issue_id = ?').run(issueId);
    const insSection = this.sql('INSERT INTO issue_sections (issue_id, section_id, position) VALUES (?, ?, ?)');
    const insPlacement = this.sql('INSERT INTO placements (article_id, issue_id, issue_section_id, position) VALUES (?, ?, ?, ?)');
    sections.forEach((s, i) => {
      const isid = Number(insSection.run(issueId, s.sectionId, i + 1).lastInsertRowid);
      s.articleIds.forEach((a, j) => insPlacement.run(a, issueId, isid, j + 1));
    });
    this.sql('UPDATE issues SET plan_revision = plan_revision + 1, updated_at = ? WHERE id = ?').run(now, issueId);
  }

  /**
   * A new version of a frozen issue: same data, version + 1 with the reason, a draft again. The plan moves
   * to the new version (an article is in one issue at a time); the old version keeps its signed files.
   */
  insertVersion(from: Issue, reason: string, userId: number, now: string): number {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO issues (number, year, date, print_run, layout, trim_width_mm, trim_height_mm, bleed_mm, colours, binding, paper, version, version_reason, created_by, created_at, updated_at)
           SELECT number, year, date, print_run, layout, trim_width_mm, trim_height_mm, bleed_mm, colours, binding, paper, ?, ?, ?, ?, ? FROM issues WHERE id = ?`,
        )
        .run(from.version + 1, reason, userId, now, now, from.id).lastInsertRowid,
    );
    const sections = this.sql('SELECT id, section_id, position FROM issue_sections WHERE issue_id = ? ORDER BY position').all(from.id) as { id: number; section_id: number; position: number }[];
    for (const s of sections) {
      const nid = Number(this.sql('INSERT INTO issue_sections (issue_id, section_id, position) VALUES (?, ?, ?)').run(id, s.section_id, s.position).lastInsertRowid);
      this.sql('UPDATE placements SET issue_id = ?, issue_section_id = ? WHERE issue_section_id = ?').run(id, nid, s.id);
    }
    this.db
      .prepare('INSERT INTO distribution_lines (issue_id, unit_id, unit_name, copies, position) SELECT ?, unit_id, unit_name, copies, position FROM distribution_lines WHERE issue_id = ?')
      .run(id, from.id);
    return id;
  }

  // --- distribution -----------------------------------------------------------------------------------

  distribution(issueId: number): DistributionEntry[] {
    return this.db
      .prepare('SELECT unit_id AS unitId, unit_name AS unit, copies FROM distribution_lines WHERE issue_id = ? ORDER BY position')
      .all(issueId) as DistributionEntry[];
  }

  replaceDistribution(issueId: number, lines: DistributionEntry[], now: string): void {
    this.sql('DELETE FROM distribution_lines WHERE issue_id = ?').run(issueId);
    const ins = this.sql('INSERT INTO distribution_lines (issue_id, unit_id, unit_name, copies, position) VALUES (?, ?, ?, ?, ?)');
    lines.forEach((l, i) => ins.run(issueId, l.unitId, l.unit, l.copies, i + 1));
    this.sql('UPDATE issues SET plan_revision = plan_revision + 1, updated_at = ? WHERE id = ?').run(now, issueId);
  }
}
