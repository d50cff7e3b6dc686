/** In-app notifications for the signed-in person, and the audit log for admins. */
import { z } from 'zod';
import { parseBody, idSchema } from '../domain/api-schemas.ts';
import type { Actor } from '../domain/user.ts';
import type { Notification } from '../store/notification-repository.ts';
import type { AuditEntry } from '../store/audit-repository.ts';
import { nowIso, requirePermission, type WorkflowDeps } from './context.ts';

const MarkReadBody = z.object({ ids: z.union([z.array(idSchema).max(1000), z.literal('all')]).default('all') });
const AuditQuery = z.object({
  action: z.string().max(100).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export class InboxService {
  constructor(private readonly deps: WorkflowDeps) {}

  notifications(actor: Actor, unreadOnly = false, limit = 50): { items: Notification[]; unread: number } {
    return { items: this.deps.store.notifications.list(actor.id, unreadOnly, limit), unread: this.deps.store.notifications.unreadCount(actor.id) };
  }

  markRead(actor: Actor, body: unknown): number {
    const input = parseBody(MarkReadBody, body);
    return this.deps.store.notifications.markRead(actor.id, input.ids, nowIso(this.deps));
  }

  auditLog(actor: Actor, query: unknown): AuditEntry[] {
    requirePermission(actor, 'audit.read');
    return this.deps.store.audit.list(parseBody(AuditQuery, query, 'query'));
  }
}
