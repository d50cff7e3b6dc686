/** The bulletin profile (name, publisher, licence, colophon data) that issues inherit. */
import { NotFoundError } from '../domain/errors.ts';
import { BulletinBody, parseBody, type BulletinProfile } from '../domain/api-schemas.ts';
import type { Actor } from '../domain/user.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';

export class BulletinService {
  constructor(private readonly deps: WorkflowDeps) {}

  put(actor: Actor, body: unknown): BulletinProfile {
    requirePermission(actor, 'bulletin.manage');
    const profile = parseBody(BulletinBody, body);
    this.deps.store.transaction(() => {
      this.deps.store.bulletin.put(profile, actor.id, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'bulletin.update', targetType: 'bulletin', targetId: 1, details: { licence: profile.licence } });
    });
    return profile;
  }

  get(actor: Actor): BulletinProfile {
    requirePermission(actor, 'reference.read');
    const p = this.deps.store.bulletin.get();
    if (!p) throw new NotFoundError('the bulletin profile is not set yet', { userMessage: 'Chưa khai báo thông tin bản tin.' });
    return p;
  }

  /** For other workflows (issues fill their colophon from it); no permission check. */
  current(): BulletinProfile | undefined {
    return this.deps.store.bulletin.get();
  }
}
