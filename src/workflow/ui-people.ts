/**
 * Display names of the people behind ids the screens show (revision authors, article senders,
 * assignees). The newsroom needs names, not ids, and the users list itself is admin-only; names are
 * not sensitive, so any role that may read articles may resolve them.
 */
import type { Actor } from '../domain/user.ts';
import { requirePermission, type WorkflowDeps } from './context.ts';

export class PeopleDirectory {
  constructor(private readonly deps: Pick<WorkflowDeps, 'store'>) {}

  displayNames(actor: Actor, ids: Iterable<number | null | undefined>): Map<number, string> {
    requirePermission(actor, 'article.read');
    const names = new Map<number, string>();
    for (const id of ids) {
      if (id == null || names.has(id)) continue;
      const user = this.deps.store.users.get(id);
      if (user) names.set(id, user.displayName);
    }
    return names;
  }
}
