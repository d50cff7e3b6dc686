/** First-admin setup, login/logout (Bearer tokens and browser sessions share one table), password changes. */
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { ConflictError, NotAuthenticatedError, TooManyRequestsError, BadInputError } from '../domain/errors.ts';
import { LoginBody, SetupBody, PasswordChangeBody, parseBody } from '../domain/api-schemas.ts';
import type { Actor, User } from '../domain/user.ts';
import { audit, nowIso, type RequestMeta, type WorkflowDeps } from './context.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { LoginThrottle } from './login-throttle.ts';

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: User;
}

export type SessionKind = 'api' | 'browser';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class AuthService {
  private readonly throttle = new LoginThrottle();

  constructor(private readonly deps: WorkflowDeps) {}

  needsSetup(): boolean {
    return this.deps.store.users.count() === 0;
  }

  /** Creates the first admin; refused (409) once any user exists, so it can never reset an installation. */
  async setup(body: unknown, meta: RequestMeta = {}): Promise<User> {
    // Done is done: whatever the body says, a second setup is a conflict, not a validation error.
    if (!this.needsSetup()) throw new ConflictError('setup is already done: users exist', { userMessage: 'Hệ thống đã được thiết lập.' });
    const input: z.infer<typeof SetupBody> = parseBody(SetupBody, body);
    const passwordHash = await hashPassword(input.password);
    const { store } = this.deps;
    const id = store.transaction(() => {
      if (store.users.count() > 0) throw new ConflictError('setup is already done: users exist', { userMessage: 'Hệ thống đã được thiết lập.' });
      const newId = store.users.insert({ username: input.username, passwordHash, role: 'admin', unitId: null, displayName: input.displayName }, nowIso(this.deps));
      audit(this.deps, { actorId: newId, action: 'setup.first_admin', targetType: 'user', targetId: newId, ip: meta.ip });
      return newId;
    });
    return this.userOrThrow(id);
  }

  async login(body: unknown, meta: RequestMeta = {}, kind: SessionKind = 'api'): Promise<LoginResult> {
    const input = parseBody(LoginBody, body);
    const now = this.deps.clock().getTime();
    const wait = this.throttle.retryAfter(input.username, meta.ip, now);
    if (wait > 0) {
      throw new TooManyRequestsError(`too many failed logins for ${input.username}; retry in ${wait} s`, {
        userMessage: `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(wait / 60)} phút.`,
      });
    }
    const found = this.deps.store.users.findForLogin(input.username);
    const ok = await verifyPassword(input.password, found?.passwordHash ?? (await dummyPasswordHash()));
    if (!found || !ok || found.user.disabled) {
      this.throttle.fail(input.username, meta.ip, now);
      audit(this.deps, { actorId: found?.user.id ?? null, action: 'login.failed', details: { username: input.username, disabled: found?.user.disabled ?? false }, ip: meta.ip });
      throw new NotAuthenticatedError('wrong username or password', { userMessage: 'Tên đăng nhập hoặc mật khẩu không đúng.' });
    }
    this.throttle.succeed(input.username, meta.ip);
    return this.deps.store.transaction(() => {
      const result = this.startSession(found.user, kind, meta);
      audit(this.deps, { actorId: found.user.id, action: 'login', details: { kind }, ip: meta.ip });
      return result;
    });
  }

  /** Creates a session for a user (login, and the CLI/demo for scripted access). */
  startSession(user: User, kind: SessionKind, meta: RequestMeta = {}): LoginResult {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const created = this.deps.clock();
    const expiresAt = new Date(created.getTime() + this.deps.sessionTtlHours * 3600_000).toISOString();
    this.deps.store.sessions.insert(hashToken(token), { userId: user.id, kind, csrfToken, createdAt: created.toISOString(), expiresAt }, meta.ip ?? null);
    return { token, csrfToken, expiresAt, user };
  }

  /** The actor behind a token, or null when the token is unknown, expired or its user disabled. */
  authenticate(token: string): { actor: Actor; csrfToken: string; kind: SessionKind } | null {
    const tokenHash = hashToken(token);
    const session = this.deps.store.sessions.find(tokenHash);
    if (!session) return null;
    if (session.expiresAt <= nowIso(this.deps)) {
      this.deps.store.sessions.delete(tokenHash);
      return null;
    }
    const user = this.deps.store.users.get(session.userId);
    if (!user || user.disabled) return null;
    return { actor: toActor(user), csrfToken: session.csrfToken, kind: session.kind };
  }

  /** Deletes expired sessions (the composition root calls this periodically); returns how many. */
  purgeExpiredSessions(): number {
    return this.deps.store.sessions.deleteExpired(nowIso(this.deps));
  }

  logout(token: string, actor: Actor, meta: RequestMeta = {}): void {
    this.deps.store.transaction(() => {
      this.deps.store.sessions.delete(hashToken(token));
      audit(this.deps, { actorId: actor.id, action: 'logout', ip: meta.ip });
    });
  }

  /** Ends every session of the actor (all browsers and tokens). */
  logoutEverywhere(actor: Actor, meta: RequestMeta = {}): number {
    return this.deps.store.transaction(() => {
      const n = this.deps.store.sessions.deleteForUser(actor.id);
      audit(this.deps, { actorId: actor.id, action: 'logout.everywhere', details: { sessions: n }, ip: meta.ip });
      return n;
    });
  }

  async changeOwnPassword(actor: Actor, body: unknown, meta: RequestMeta = {}): Promise<void> {
    const input = parseBody(PasswordChangeBody, body);
    const current = this.deps.store.users.passwordHash(actor.id);
    if (!current || !(await verifyPassword(input.currentPassword, current))) {
      throw new BadInputError('current password is wrong', { field: 'currentPassword', userMessage: 'Mật khẩu hiện tại không đúng.' });
    }
    const passwordHash = await hashPassword(input.newPassword);
    this.deps.store.transaction(() => {
      this.deps.store.users.update(actor.id, { passwordHash }, nowIso(this.deps));
      this.deps.store.sessions.deleteForUser(actor.id);
      audit(this.deps, { actorId: actor.id, action: 'user.password_changed', targetType: 'user', targetId: actor.id, ip: meta.ip });
    });
  }

  private userOrThrow(id: number): User {
    const u = this.deps.store.users.get(id);
    if (!u) throw new Error(`user ${id} vanished right after insert`);
    return u;
  }
}

export function toActor(u: User): Actor {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId };
}
