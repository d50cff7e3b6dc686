import { statementCache, type Db, type Statement } from './database.ts';
import type { Picture, PictureMime } from '../domain/picture.ts';
import { placeholders } from './sql-where.ts';

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
    this.sql('INSERT OR IGNORE INTO picture_uploads (sha256, user_id, uploaded_at) VALUES (?, ?, ?)').run(p.sha256, p.createdBy, p.createdAt);
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

  count(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM pictures').get() as { n: number }).n;
  }
}
