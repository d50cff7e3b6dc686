/** Collects optional conditions and their bound values for a WHERE / SET clause, in order. */
export type SqlValue = string | number | null;

export class Clauses {
  readonly parts: string[] = [];
  readonly args: SqlValue[] = [];

  add(sql: string, ...args: SqlValue[]): this {
    this.parts.push(sql);
    this.args.push(...args);
    return this;
  }

  where(): string {
    return this.parts.length ? 'WHERE ' + this.parts.join(' AND ') : '';
  }

  set(): string {
    return this.parts.join(', ');
  }
}

/** `?, ?, ?` for an IN list; an empty list matches nothing. */
export function placeholders(values: readonly unknown[]): string {
  return values.length ? values.map(() => '?').join(',') : 'NULL';
}
