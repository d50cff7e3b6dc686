/**
 * Atom feeds of published issues for people who follow them in a feed reader or a mail client. A feed's
 * address carries a per-user token — never a session token — that its owner can revoke or replace; only
 * its sha256 is stored. The feed lists exactly what that user may read now (issue-access.ts): a reader
 * whose unit loses access, or whose account is disabled, stops seeing issues at once.
 */
import crypto from 'node:crypto';
import { ForbiddenError } from '../domain/errors.ts';
import type { Actor, User } from '../domain/user.ts';
import { formatDateLongVi, nfc } from '../domain/vi-text.ts';
import { audit, nowIso, type WorkflowDeps } from '../workflow/context.ts';
import { hashToken } from '../workflow/download-links.ts';
import { currentRendition, viewerOf, type Viewer } from '../workflow/issue-access.ts';
import type { PublishService } from '../workflow/publish.ts';
import { issueTitle } from '../notify/messages.ts';
import { renderAtom, type AtomEntry } from './atom.ts';

export interface FeedTokenStatus {
  active: boolean;
  createdAt: string | null;
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export function feedPath(token: string): string {
  return `/feeds/${token}/issues.atom`;
}

export class FeedService {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly publishing: PublishService,
  ) {}

  status(actor: Actor): FeedTokenStatus {
    const t = this.deps.store.feedTokens.active(actor.id);
    return { active: t !== undefined, createdAt: t?.createdAt ?? null };
  }

  /** A new feed address for the caller; any earlier one stops working. The token is shown this once. */
  createToken(actor: Actor): { token: string; createdAt: string } {
    const token = crypto.randomBytes(24).toString('base64url');
    const now = nowIso(this.deps);
    const { store } = this.deps;
    store.transaction(() => {
      store.feedTokens.revokeAll(actor.id, now);
      store.feedTokens.insert(actor.id, hashToken(token), now);
      audit(this.deps, { actorId: actor.id, action: 'feed_token.create', targetType: 'user', targetId: actor.id });
    });
    return { token, createdAt: now };
  }

  revoke(actor: Actor): FeedTokenStatus {
    const { store } = this.deps;
    store.transaction(() => {
      if (store.feedTokens.revokeAll(actor.id, nowIso(this.deps))) audit(this.deps, { actorId: actor.id, action: 'feed_token.revoke', targetType: 'user', targetId: actor.id });
    });
    return this.status(actor);
  }

  /** Who a feed token belongs to; 403 for unknown, revoked tokens and disabled accounts (they look alike). */
  resolve(token: string): { user: User; viewer: Viewer } {
    const found = TOKEN.test(token) ? this.deps.store.feedTokens.findByTokenHash(hashToken(token)) : undefined;
    const user = found && found.revokedAt === null ? this.deps.store.users.get(found.userId) : undefined;
    if (!user || user.disabled) {
      throw new ForbiddenError('feed token refused: unknown, revoked, or its account is disabled', { userMessage: 'Địa chỉ nhận tin này không còn hiệu lực.' });
    }
    const actor: Actor = { id: user.id, username: user.username, displayName: user.displayName, role: user.role, unitId: user.unitId };
    return { user, viewer: viewerOf(actor) };
  }

  /** The Atom document for a token; `base` is the absolute origin links start with. */
  atom(token: string, base: string): string {
    const { user, viewer } = this.resolve(token);
    const { store } = this.deps;
    const bulletin = store.bulletin.get();
    const bulletinName = bulletin?.name ?? 'Thông báo Nội bộ';
    const origin = base.replace(/\/+$/, '');
    const host = safeTagAuthority(origin);
    const entries: AtomEntry[] = this.publishing
      .listFor(viewer)
      .filter((i) => i.files.some((f) => f.name === 'screen.pdf'))
      .map((i) => {
        const screen = i.files.find((f) => f.name === 'screen.pdf')!;
        const title = issueTitle({ bulletinName, number: i.number, date: i.date });
        const issue = store.issues.get(i.id);
        const toc = (issue && currentRendition(store, issue)?.toc) ?? [];
        return {
          id: `tag:${host},${i.year}:bantin/issue/${i.id}`,
          title,
          updated: i.publishedAt ?? `${i.date}T00:00:00Z`,
          alternate: `${origin}/archive/${i.id}`,
          enclosure: { href: `${origin}${feedPath(token).replace(/issues\.atom$/, '')}issues/${i.id}/screen.pdf`, type: 'application/pdf', length: screen.bytes, title: `${title} (PDF)` },
          summary: nfc(`${title}, phát hành ${formatDateLongVi(i.date)}${i.pages ? `, ${i.pages} trang` : ''}. Lưu hành nội bộ.${toc.length ? ' Mục lục: ' + toc.map((t) => t.title).join('; ') + '.' : ''}`),
          categories: [String(i.year)],
        };
      });
    return renderAtom({
      id: `tag:${host},2026:bantin/feed/user/${user.id}`,
      title: nfc(`Bản tin ${bulletinName}`),
      subtitle: nfc(`${bulletin?.publisher ? bulletin.publisher + ' — ' : ''}các số đã phát hành, lưu hành nội bộ`),
      self: `${origin}${feedPath(token)}`,
      alternate: `${origin}/archive`,
      author: bulletin?.publisher ?? 'Ban biên tập',
      entries,
      fallbackUpdated: nowIso(this.deps),
    });
  }
}

/** The host part of a tag URI: a DNS name or address without port or brackets (`origin` is a checked URL). */
function safeTagAuthority(origin: string): string {
  return new URL(origin).hostname.replace(/[[\]]/g, '') || 'localhost';
}
