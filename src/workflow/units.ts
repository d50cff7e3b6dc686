/** Units (tree with validity dates) and merging two units without losing their articles' history. */
import { BadInputError, NotFoundError, RuleViolation } from '../domain/errors.ts';
import { UnitCreateBody, UnitMergeBody, UnitUpdateBody, parseBody } from '../domain/api-schemas.ts';
import { whyCannotMerge, type Unit } from '../domain/unit.ts';
import type { Actor } from '../domain/user.ts';
import { audit, nowIso, requirePermission, todayIso, type WorkflowDeps } from './context.ts';

export class UnitService {
  constructor(private readonly deps: WorkflowDeps) {}

  create(actor: Actor, body: unknown): Unit {
    requirePermission(actor, 'unit.manage');
    const input = parseBody(UnitCreateBody, body);
    const { store } = this.deps;
    const id = store.transaction(() => {
      if (input.parentId != null) this.existingParent(input.parentId);
      const newId = store.units.insert({ name: input.name, kind: input.kind, parentId: input.parentId ?? null, validFrom: input.validFrom ?? todayIso(this.deps) }, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'unit.create', targetType: 'unit', targetId: newId, details: { name: input.name, kind: input.kind } });
      return newId;
    });
    return this.getOrThrow(id);
  }

  list(actor: Actor): Unit[] {
    requirePermission(actor, 'reference.read');
    return this.deps.store.units.list();
  }

  get(actor: Actor, id: number): Unit {
    requirePermission(actor, 'reference.read');
    return this.getOrThrow(id);
  }

  update(actor: Actor, id: number, body: unknown): Unit {
    requirePermission(actor, 'unit.manage');
    const input = parseBody(UnitUpdateBody, body);
    this.deps.store.transaction(() => {
      this.getOrThrow(id);
      if (input.parentId != null) {
        this.existingParent(input.parentId);
        if (this.deps.store.units.lineageUp(input.parentId).includes(id)) {
          throw new BadInputError('a unit cannot be placed under itself or one of its children', { field: 'parentId' });
        }
      }
      this.deps.store.units.update(id, { name: input.name, kind: input.kind, parentId: input.parentId, validTo: input.validTo });
      audit(this.deps, { actorId: actor.id, action: 'unit.update', targetType: 'unit', targetId: id, details: input });
    });
    return this.getOrThrow(id);
  }

  /**
   * Merges `id` into `into`: the old unit closes (valid to, replaced by), its users and open children move,
   * its articles now belong to the new unit while `originUnitId` keeps who sent them.
   */
  merge(actor: Actor, id: number, body: unknown): Unit {
    requirePermission(actor, 'unit.manage');
    const input = parseBody(UnitMergeBody, body);
    const { store } = this.deps;
    store.transaction(() => {
      const from = this.getOrThrow(id);
      const into = store.units.get(input.into);
      if (!into) throw new BadInputError(`unknown unit ${input.into}`, { field: 'into' });
      const why = whyCannotMerge(from, into);
      if (why) throw new RuleViolation(why);
      const now = nowIso(this.deps);
      store.units.recordMerge(from.id, into.id, input.date ?? todayIso(this.deps), now);
      const users = store.users.moveUnit(from.id, into.id, now);
      const articles = store.articles.moveUnit(from.id, into.id);
      audit(this.deps, { actorId: actor.id, action: 'unit.merge', targetType: 'unit', targetId: into.id, details: { from: from.id, into: into.id, users, articles } });
    });
    return this.getOrThrow(input.into);
  }

  private existingParent(parentId: number): void {
    const parent = this.deps.store.units.get(parentId);
    if (!parent) throw new BadInputError(`unknown parent unit ${parentId}`, { field: 'parentId', expected: 'the id of an existing unit' });
  }

  private getOrThrow(id: number): Unit {
    const u = this.deps.store.units.get(id);
    if (!u) throw new NotFoundError(`unit ${id} not found`, { userMessage: 'Không tìm thấy đơn vị.' });
    return u;
  }
}
