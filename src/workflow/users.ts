/** User accounts: created and changed by admins; role/disable/password changes are audited and end sessions. */
import { BadInputError, ConflictError, NotFoundError, RuleViolation } from '../domain/errors.ts';
import { UserCreateBody, UserUpdateBody, parseBody } from '../domain/api-schemas.ts';
import type { Actor, User } from '../domain/user.ts';
import type { Role } from '../domain/roles.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import { hashPassword } from './passwords.ts';

export class UserService {
  constructor(private readonly deps: WorkflowDeps) {}

  async create(actor: Actor, body: unknown): Promise<User> {
    requirePermission(actor, 'user.manage');
    return this.insert(actor.id, body);
  }

  /** For `bantin user add` and the demo loader: the operator of the machine acts, audited without an actor. */
  createAsSystem(body: unknown): Promise<User> {
    return this.insert(null, body);
  }

  private async insert(actorId: number | null, body: unknown): Promise<User> {
    const input = parseBody(UserCreateBody, body);
    const passwordHash = await hashPassword(input.password);
    const { store } = this.deps;
    const id = store.transaction(() => {
      if (store.users.existsUsername(input.username)) {
        throw new ConflictError(`username ${input.username} is taken`, { field: 'username', userMessage: 'Tên đăng nhập đã có người dùng.' });
      }
      const unitId = input.unitId ?? null;
      if (unitId !== null) this.requireUnit(unitId);
      const newId = store.users.insert({ username: input.username, passwordHash, role: input.role, unitId, displayName: input.displayName }, nowIso(this.deps));
      audit(this.deps, { actorId, action: 'user.create', targetType: 'user', targetId: newId, details: { username: input.username, role: input.role, unitId } });
      return newId;
    });
    return this.getOrThrow(id);
  }

  list(actor: Actor, filter: { role?: Role; unitId?: number } = {}): User[] {
    requirePermission(actor, 'user.manage');
    return this.deps.store.users.list(filter);
  }

  /** Editors an article can be assigned to (editors need this list, not only admins). */
  listEditors(actor: Actor): User[] {
    requirePermission(actor, 'article.assign');
    return [...this.deps.store.users.list({ role: 'editor' }), ...this.deps.store.users.list({ role: 'editor_in_chief' })].filter((u) => !u.disabled);
  }

  get(actor: Actor, id: number): User {
    requirePermission(actor, 'user.manage');
    return this.getOrThrow(id);
  }

  async update(actor: Actor, id: number, body: unknown): Promise<User> {
    requirePermission(actor, 'user.manage');
    const input = parseBody(UserUpdateBody, body);
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    const { store } = this.deps;
    store.transaction(() => {
      const before = this.getOrThrow(id);
      if (id === actor.id && ((input.role && input.role !== 'admin') || input.disabled)) {
        throw new RuleViolation('admins cannot demote or disable themselves (ask another admin)', { userMessage: 'Không thể tự hạ quyền hoặc khóa tài khoản của chính mình.' });
      }
      if (input.unitId != null) this.requireUnit(input.unitId);
      store.users.update(id, { displayName: input.displayName, role: input.role, unitId: input.unitId, disabled: input.disabled, passwordHash }, nowIso(this.deps));
      const permissionChanged = (input.role !== undefined && input.role !== before.role) || (input.unitId !== undefined && input.unitId !== before.unitId) || (input.disabled !== undefined && input.disabled !== before.disabled);
      // A changed role, unit, disabled flag or password must take effect now, not when old sessions expire.
      if (permissionChanged || passwordHash) store.sessions.deleteForUser(id);
      if (permissionChanged) {
        audit(this.deps, { actorId: actor.id, action: 'user.permission_changed', targetType: 'user', targetId: id, details: { before: { role: before.role, unitId: before.unitId, disabled: before.disabled }, after: { role: input.role ?? before.role, unitId: input.unitId === undefined ? before.unitId : input.unitId, disabled: input.disabled ?? before.disabled } } });
      }
      if (passwordHash) audit(this.deps, { actorId: actor.id, action: 'user.password_reset', targetType: 'user', targetId: id });
    });
    return this.getOrThrow(id);
  }

  private requireUnit(unitId: number): void {
    const unit = this.deps.store.units.get(unitId);
    if (!unit) throw new BadInputError(`unknown unit ${unitId}`, { field: 'unitId', expected: 'the id of an existing unit' });
    if (unit.validTo !== null) throw new BadInputError(`unit ${unitId} no longer exists (merged or closed on ${unit.validTo})`, { field: 'unitId' });
  }

  private getOrThrow(id: number): User {
    const u = this.deps.store.users.get(id);
    if (!u) throw new NotFoundError(`user ${id} not found`, { userMessage: 'Không tìm thấy người dùng.' });
    return u;
  }
}
