import { statementCache, type Db, type Statement } from './database.ts';

export interface Section {
  id: number;
  title: string;
  position: number;
}

export class SectionRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insert(title: string, position: number | undefined, now: string): number {
    const pos = position ?? ((this.sql('SELECT COALESCE(MAX(position), 0) + 1 AS p FROM sections').get() as { p: number }).p);
    return Number(this.sql('INSERT INTO sections (title, position, created_at) VALUES (?, ?, ?)').run(title, pos, now).lastInsertRowid);
  }

  get(id: number): Section | undefined {
    return this.sql('SELECT id, title, position FROM sections WHERE id = ?').get(id) as Section | undefined;
  }

  findByTitle(title: string): Section | undefined {
    return this.sql('SELECT id, title, position FROM sections WHERE title = ?').get(title) as Section | undefined;
  }

  list(): Section[] {
    return this.sql('SELECT id, title, position FROM sections ORDER BY position, id').all() as Section[];
  }

  update(id: number, f: { title?: string; position?: number }): void {
    if (f.title !== undefined) this.sql('UPDATE sections SET title = ? WHERE id = ?').run(f.title, id);
    if (f.position !== undefined) this.sql('UPDATE sections SET position = ? WHERE id = ?').run(f.position, id);
  }
}
