/**
 * Per-unit download links for Party cells without accounts: a random token (only its sha256 is stored)
 * that opens the unit's published issues until it expires or is revoked.
 */
import crypto from 'node:crypto';
import { BadInputError, ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import { DownloadLinkBody } from '../domain/issue-schemas.ts';
import type { Actor } from '../domain/user.ts';
import type { DownloadLink } from '../store/download-link-repository.ts';
import type { Unit } from '../domain/unit.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';

export interface CreatedLink {
  id: number;
  unitId: number;
  expiresAt: string;
  /** Shown once; the web layer turns it into the link's URL */
  token: string;
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Why a link no longer opens anything (null = valid). */
export function whyLinkInvalid(link: DownloadLink | undefined, now: string): string | null {
  if (!link) return 'unknown link';
  if (link.revokedAt) return 'this link was revoked';
  if (link.expiresAt <= now) return 'this link has expired';
  return null;
}

export class DownloadLinkService {
  constructor(private readonly deps: WorkflowDeps) {}

  create(actor: Actor, body: unknown): CreatedLink {
    requirePermission(actor, 'download_link.manage');
    const input = parseBody(DownloadLinkBody, body);
    const { store } = this.deps;
    if (!store.units.get(input.unitId)) throw new BadInputError(`unknown unit ${input.unitId}`, { field: 'unitId', expected: 'the id of an existing unit' });
    const expiresAt = input.expiresAt.length === 10 ? `${input.expiresAt}T23:59:59.999Z` : new Date(input.expiresAt).toISOString();
    const token = crypto.randomBytes(24).toString('base64url');
    const id = store.transaction(() => {
      const newId = store.downloadLinks.insert(hashToken(token), input.unitId, expiresAt, actor.id, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'download_link.create', targetType: 'download_link', targetId: newId, details: { unitId: input.unitId, expiresAt } });
      return newId;
    });
    return { id, unitId: input.unitId, expiresAt, token };
  }

  list(actor: Actor): DownloadLink[] {
    requirePermission(actor, 'download_link.manage');
    return this.deps.store.downloadLinks.list();
  }

  revoke(actor: Actor, id: number): DownloadLink {
    requirePermission(actor, 'download_link.manage');
    const { store } = this.deps;
    return store.transaction(() => {
      if (!store.downloadLinks.get(id)) throw new NotFoundError(`download link ${id} not found`);
      store.downloadLinks.revoke(id, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'download_link.revoke', targetType: 'download_link', targetId: id });
      return store.downloadLinks.get(id)!;
    });
  }

  /** The link and its unit, or 403 (unknown, revoked and expired tokens look alike to the holder). */
  resolve(token: string): { link: DownloadLink; unit: Unit } {
    const link = /^[A-Za-z0-9_-]{10,100}$/.test(token) ? this.deps.store.downloadLinks.findByTokenHash(hashToken(token)) : undefined;
    const why = whyLinkInvalid(link, nowIso(this.deps));
    const unit = link && this.deps.store.units.get(link.unitId);
    if (why || !link || !unit) {
      throw new ForbiddenError(`download link refused: ${why ?? 'unit no longer exists'}`, {
        userMessage: why === 'this link has expired' ? 'Liên kết tải bản tin đã hết hạn.' : 'Liên kết tải bản tin không còn hiệu lực.',
      });
    }
    return { link, unit };
  }
}
