import { statementCache, type Db, type Statement } from './database.ts';
import type { PreflightFinding, Rendition, RenditionFile, TocLine } from '../domain/issue.ts';

interface RenditionRow {
  id: number;
  issue_id: number;
  job_id: number | null;
  dir: string;
  pages: number;
  plan_revision: number;
  preflight_errors: number;
  preflight_warnings: number;
  findings: string;
  toc: string;
  signed: number;
  created_at: string;
}

export interface NewRendition {
  issueId: number;
  jobId: number | null;
  dir: string;
  pages: number;
  planRevision: number;
  findings: PreflightFinding[];
  toc: TocLine[];
  files: RenditionFile[];
  /** Render cache key (render-cache.ts); null when unknown */
  inputHash?: string | null;
}

/** Rendition sets (the files one typeset job produced) with their sha256; the signed one is frozen. */
export class RenditionRepository {
  // Prepared once per connection: issue and rendition rows are read on every file download (bench/RESULTS-publish.md).
  private readonly sql: (sql: string) => Statement;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  insert(r: NewRendition, now: string): number {
    const errors = r.findings.filter((f) => f.severity === 'error').length;
    const warnings = r.findings.filter((f) => f.severity === 'warning').length;
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO renditions (issue_id, job_id, dir, pages, plan_revision, preflight_errors, preflight_warnings, findings, toc, input_hash, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(r.issueId, r.jobId, r.dir, r.pages, r.planRevision, errors, warnings, JSON.stringify(r.findings), JSON.stringify(r.toc), r.inputHash ?? null, now).lastInsertRowid,
    );
    const ins = this.sql('INSERT INTO rendition_files (rendition_id, name, bytes, sha256, pages) VALUES (?, ?, ?, ?, ?)');
    for (const f of r.files) ins.run(id, f.name, f.bytes, f.sha256, f.pages);
    return id;
  }

  get(id: number): Rendition | undefined {
    const r = this.sql('SELECT * FROM renditions WHERE id = ?').get(id) as RenditionRow | undefined;
    return r && this.toRendition(r);
  }

  /** Newest first. */
  listForIssue(issueId: number): Rendition[] {
    return (this.sql('SELECT * FROM renditions WHERE issue_id = ? ORDER BY id DESC').all(issueId) as RenditionRow[]).map((r) => this.toRendition(r));
  }

  latest(issueId: number): Rendition | undefined {
    const r = this.sql('SELECT * FROM renditions WHERE issue_id = ? ORDER BY id DESC LIMIT 1').get(issueId) as RenditionRow | undefined;
    return r && this.toRendition(r);
  }

  /** The newest rendition of the issue built from exactly these inputs. */
  findByInputHash(issueId: number, inputHash: string): Rendition | undefined {
    const r = this.sql('SELECT * FROM renditions WHERE issue_id = ? AND input_hash = ? ORDER BY id DESC LIMIT 1').get(issueId, inputHash) as RenditionRow | undefined;
    return r && this.toRendition(r);
  }

  markSigned(id: number): void {
    this.sql('UPDATE renditions SET signed = 1 WHERE id = ?').run(id);
  }

  /** Unsigned renditions of an issue other than `keepId` (removed once the issue is signed off). */
  unsignedExcept(issueId: number, keepId: number): Rendition[] {
    return (this.sql('SELECT * FROM renditions WHERE issue_id = ? AND signed = 0 AND id != ?').all(issueId, keepId) as RenditionRow[]).map((r) =>
      this.toRendition(r),
    );
  }

  delete(id: number): void {
    this.sql('DELETE FROM renditions WHERE id = ?').run(id);
  }

  private files(id: number): RenditionFile[] {
    return this.sql('SELECT name, bytes, sha256, pages FROM rendition_files WHERE rendition_id = ? ORDER BY name').all(id) as RenditionFile[];
  }

  private toRendition(r: RenditionRow): Rendition {
    return {
      id: r.id,
      issueId: r.issue_id,
      jobId: r.job_id,
      dir: r.dir,
      pages: r.pages,
      planRevision: r.plan_revision,
      preflightErrors: r.preflight_errors,
      preflightWarnings: r.preflight_warnings,
      findings: JSON.parse(r.findings) as PreflightFinding[],
      toc: JSON.parse(r.toc) as TocLine[],
      signed: r.signed === 1,
      files: this.files(r.id),
      createdAt: r.created_at,
    };
  }
}
