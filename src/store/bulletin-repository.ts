import { statementCache, type Db, type Statement } from './database.ts';
import type { BulletinProfile } from '../domain/api-schemas.ts';

/** The single-row bulletin profile, stored as the validated JSON document. */
export class BulletinRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  get(): BulletinProfile | undefined {
    const r = this.sql('SELECT data FROM bulletin_profile WHERE id = 1').get() as { data: string } | undefined;
    return r && (JSON.parse(r.data) as BulletinProfile);
  }

  put(profile: BulletinProfile, userId: number | null, now: string): void {
    this.sql(
        `INSERT INTO bulletin_profile (id, data, updated_at, updated_by) VALUES (1, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(JSON.stringify(profile), now, userId);
  }
}
