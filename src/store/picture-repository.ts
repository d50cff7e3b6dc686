import { statementCache, type Db, type Statement } from './database.ts';
import type { Picture, PictureMime } from '../domain/picture.ts';
import { placeholders } from './sql-where.ts';

/** A picture's name anywhere in stored text (HTML, JSON-escaped drafts): looser than the <img> pattern on purpose. */
const MEDIA_NAME_IN_TEXT = /\/media\/([0-9a-f]{64})\.(?:jpg|png)/g;

interface PictureRow {
  sha256: string;
  mime: PictureMime;
  width: number;
  height: number;
  bytes: number;
  created_by: number;
  created_at: string;
}

function toPicture(r: PictureRow): Picture {
  return { sha256: r.sha256, mime: r.mime, width: r.width, height: r.height, bytes: r.bytes, createdBy: r.created_by, createdAt: r.created_at };
}

export class PictureRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** Records a stored file and who sent it; the first uploader stays its creator when the same bytes come again. */
  insert(p: Picture): void {
    this.sql('INSERT OR IGNORE INTO pictures (sha256, mime, width, height, bytes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(p.sha256, p.mime, p.width, p.height, p.bytes, p.createdBy, p.createdAt);
    // A repeated upload restarts the grace period of the media sweep: the editor is using the photo again.
    this.sql('INSERT INTO picture_uploads (sha256, user_id, uploaded_at) VALUES (?, ?, ?) ON CONFLICT (sha256, user_id) DO UPDATE SET uploaded_at = excluded.uploaded_at')
      .run(p.sha256, p.createdBy, p.createdAt);
  }

  uploadedBy(sha256: string, userId: number): boolean {
    return this.sql('SELECT 1 FROM picture_uploads WHERE sha256 = ? AND user_id = ?').get(sha256, userId) !== undefined;
  }

  get(sha256: string): Picture | undefined {
    const r = this.sql('SELECT * FROM pictures WHERE sha256 = ?').get(sha256) as PictureRow | undefined;
    return r && toPicture(r);
  }

  /** Adds links (never removes: older revisions keep using their pictures). */
  link(articleId: number, sha256s: readonly string[]): void {
    const st = this.sql('INSERT OR IGNORE INTO article_pictures (article_id, sha256) VALUES (?, ?)');
    for (const sha of sha256s) st.run(articleId, sha);
  }

  linkedTo(articleId: number): Picture[] {
    return (
      this.sql('SELECT p.* FROM article_pictures ap JOIN pictures p ON p.sha256 = ap.sha256 WHERE ap.article_id = ? ORDER BY p.created_at, p.sha256')
        .all(articleId) as PictureRow[]
    ).map(toPicture);
  }

  isLinked(articleId: number, sha256: string): boolean {
    return this.sql('SELECT 1 FROM article_pictures WHERE article_id = ? AND sha256 = ?').get(articleId, sha256) !== undefined;
  }

  /**
   * Whether some article using the picture is visible: any article when `scope` is undefined (the
   * editorial office), otherwise an article of one of the scope's units or one the scope's user created
   * (the same rule as the article list, so a picture is seen exactly by those who see its article).
   */
  usedByVisibleArticle(sha256: string, scope?: { unitIds: number[]; userId: number }): boolean {
    if (!scope) return this.sql('SELECT 1 FROM article_pictures WHERE sha256 = ? LIMIT 1').get(sha256) !== undefined;
    return (
      this.sql(
        `SELECT 1 FROM article_pictures ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.sha256 = ? AND (a.unit_id IN (${placeholders(scope.unitIds)}) OR a.created_by = ?) LIMIT 1`,
      ).get(sha256, ...scope.unitIds, scope.userId) !== undefined
    );
  }

  /**
   * The media sweep's candidates: pictures no article links to (in any revision), stored before `before`
   * and not uploaded again since. Article bodies, revisions and drafts are checked by the caller as well
   * ({@link mediaTextReferences}): a link is the rule, the text scan is the belt and braces.
   */
  unlinkedBefore(before: string): Picture[] {
    return (
      this.sql(
        `SELECT p.* FROM pictures p
         WHERE p.created_at < ?
           AND NOT EXISTS (SELECT 1 FROM article_pictures ap WHERE ap.sha256 = p.sha256)
           AND NOT EXISTS (SELECT 1 FROM picture_uploads u WHERE u.sha256 = p.sha256 AND u.uploaded_at >= ?)
         ORDER BY p.created_at, p.sha256`,
      ).all(before, before) as PictureRow[]
    ).map(toPicture);
  }

  /**
   * Which of `candidates` some stored text still names as /media/<sha256>: article bodies, every revision,
   * unsaved drafts held in edit locks, and rendition files with the same bytes. One pass over the text,
   * only when there are candidates.
   */
  mediaTextReferences(candidates: ReadonlySet<string>): Set<string> {
    const found = new Set<string>();
    if (candidates.size === 0) return found;
    const scan = (sql: string): void => {
      for (const row of this.sql(sql).iterate() as Iterable<{ text: string | null }>) {
        if (!row.text) continue;
        for (const m of row.text.matchAll(MEDIA_NAME_IN_TEXT)) if (candidates.has(m[1]!)) found.add(m[1]!);
      }
    };
    scan("SELECT body_html AS text FROM articles WHERE instr(body_html, '/media/') > 0");
    scan("SELECT body_html AS text FROM article_revisions WHERE instr(body_html, '/media/') > 0");
    scan("SELECT draft AS text FROM article_locks WHERE instr(draft, '/media/') > 0");
    for (const row of this.sql('SELECT DISTINCT sha256 FROM rendition_files').iterate() as Iterable<{ sha256: string }>) {
      if (candidates.has(row.sha256)) found.add(row.sha256);
    }
    return found;
  }

  /**
   * Deletes the picture's rows if it is still unused at this moment (no article link, no upload since
   * `before`, not named by a held draft): the caller runs this in a transaction, before removing the file.
   */
  deleteIfUnused(sha256: string, before: string): boolean {
    const stillUnused =
      this.sql(
        `SELECT 1 FROM pictures p WHERE p.sha256 = ? AND p.created_at < ?
           AND NOT EXISTS (SELECT 1 FROM article_pictures ap WHERE ap.sha256 = p.sha256)
           AND NOT EXISTS (SELECT 1 FROM picture_uploads u WHERE u.sha256 = p.sha256 AND u.uploaded_at >= ?)
           AND NOT EXISTS (SELECT 1 FROM article_locks l WHERE instr(l.draft, p.sha256) > 0)`,
      ).get(sha256, before, before) !== undefined;
    if (!stillUnused) return false;
    this.sql('DELETE FROM picture_uploads WHERE sha256 = ?').run(sha256);
    this.sql('DELETE FROM pictures WHERE sha256 = ?').run(sha256);
    return true;
  }

  count(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM pictures').get() as { n: number }).n;
  }
}
