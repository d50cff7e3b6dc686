/**
 * What every use case receives: the store, a clock (tests move time), and limits from the config.
 * The web layer, the UI and the CLI build one of these in the composition root and share it.
 */
import type { Store } from '../store/index.ts';
import type { Actor } from '../domain/user.ts';
import { can, type Action } from '../domain/roles.ts';
import { ForbiddenError } from '../domain/errors.ts';
import type { NewAuditEntry } from '../store/audit-repository.ts';

export interface WorkflowDeps {
  store: Store;
  clock: () => Date;
  sessionTtlHours: number;
  /** Minutes a soft lock lasts without being refreshed. */
  lockTtlMinutes: number;
}

/** Facts about the request that some use cases record (login throttling, audit). */
export interface RequestMeta {
  ip?: string | null;
}

export function nowIso(deps: WorkflowDeps): string {
  return deps.clock().toISOString();
}

export function todayIso(deps: WorkflowDeps): string {
  return nowIso(deps).slice(0, 10);
}

/** Authorisation comes before state: a role that may never do `action` is refused here (403). */
export function requirePermission(actor: Actor, action: Action): void {
  if (!can(actor.role, action)) {
    throw new ForbiddenError(`role ${actor.role} may not ${action.replace('.', ' ')}`, {
      userMessage: 'Bạn không có quyền thực hiện thao tác này.',
    });
  }
}

export function audit(deps: WorkflowDeps, entry: NewAuditEntry): void {
  deps.store.audit.insert(entry, nowIso(deps));
}
