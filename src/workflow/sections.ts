/** Sections (chuyên mục) of the bulletin. */
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { SectionCreateBody, SectionUpdateBody, parseBody } from '../domain/api-schemas.ts';
import type { Actor } from '../domain/user.ts';
import type { Section } from '../store/section-repository.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';

export class SectionService {
  constructor(private readonly deps: WorkflowDeps) {}

  create(actor: Actor, body: unknown): Section {
    requirePermission(actor, 'section.manage');
    const input = parseBody(SectionCreateBody, body);
    const { store } = this.deps;
    const id = store.transaction(() => {
      if (store.sections.findByTitle(input.title)) throw new ConflictError(`section "${input.title}" already exists`, { field: 'title', userMessage: 'Chuyên mục này đã có.' });
      const newId = store.sections.insert(input.title, input.position, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'section.create', targetType: 'section', targetId: newId, details: { title: input.title } });
      return newId;
    });
    return this.getOrThrow(id);
  }

  /** The section with this title, created when missing (issue plans name sections by title). */
  ensure(actor: Actor, title: string): Section {
    const existing = this.deps.store.sections.findByTitle(title.normalize('NFC').trim());
    return existing ?? this.create(actor, { title });
  }

  list(actor: Actor): Section[] {
    requirePermission(actor, 'reference.read');
    return this.deps.store.sections.list();
  }

  update(actor: Actor, id: number, body: unknown): Section {
    requirePermission(actor, 'section.manage');
    const input = parseBody(SectionUpdateBody, body);
    this.deps.store.transaction(() => {
      this.getOrThrow(id);
      const clash = input.title === undefined ? undefined : this.deps.store.sections.findByTitle(input.title);
      if (clash && clash.id !== id) throw new ConflictError(`section "${input.title}" already exists`, { field: 'title' });
      this.deps.store.sections.update(id, input);
      audit(this.deps, { actorId: actor.id, action: 'section.update', targetType: 'section', targetId: id, details: input });
    });
    return this.getOrThrow(id);
  }

  private getOrThrow(id: number): Section {
    const s = this.deps.store.sections.get(id);
    if (!s) throw new NotFoundError(`section ${id} not found`, { userMessage: 'Không tìm thấy chuyên mục.' });
    return s;
  }
}
