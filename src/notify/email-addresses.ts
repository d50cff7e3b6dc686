/**
 * Users' e-mail addresses (optional; used only when SMTP is configured). A person sets their own on the
 * account page; an admin may set anyone's. Kept apart from the user record so the editorial core is untouched.
 */
import { z } from 'zod';
import { NotFoundError } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import type { Actor } from '../domain/user.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from '../workflow/context.ts';

export const EmailBody = z.object({
  // '' or null removes the address (forms send an empty field).
  email: z.union([z.null(), z.string().trim().pipe(z.union([z.literal('').transform(() => null), z.email('expected an e-mail address like ten@donvi.vn').max(254)]))]),
});

export class EmailAddressService {
  constructor(private readonly deps: WorkflowDeps) {}

  own(actor: Actor): { email: string | null } {
    return { email: this.deps.store.mail.email(actor.id) };
  }

  setOwn(actor: Actor, body: unknown): { email: string | null } {
    return this.write(actor, actor.id, body);
  }

  get(actor: Actor, userId: number): { email: string | null } {
    requirePermission(actor, 'user.manage');
    this.requireUser(userId);
    return { email: this.deps.store.mail.email(userId) };
  }

  /** Everyone's address by user id, for the admin's list of users. */
  all(actor: Actor): Map<number, string> {
    requirePermission(actor, 'user.manage');
    return this.deps.store.mail.allEmails();
  }

  set(actor: Actor, userId: number, body: unknown): { email: string | null } {
    requirePermission(actor, 'user.manage');
    this.requireUser(userId);
    return this.write(actor, userId, body);
  }

  private write(actor: Actor, userId: number, body: unknown): { email: string | null } {
    const { email } = parseBody(EmailBody, body);
    this.deps.store.transaction(() => {
      this.deps.store.mail.setEmail(userId, email, nowIso(this.deps));
      // Who changed whose address and whether it was set or cleared; the address itself stays out of the log.
      audit(this.deps, { actorId: actor.id, action: 'user.email', targetType: 'user', targetId: userId, details: { set: email !== null } });
    });
    return { email };
  }

  private requireUser(userId: number): void {
    if (!this.deps.store.users.get(userId)) throw new NotFoundError(`user ${userId} not found`, { userMessage: 'Không tìm thấy người dùng.' });
  }
}
