/**
 * Names for the ids an article carries (unit, section, people), fetched once per page through the
 * workflow, and the decorations lists show (overdue mark). Pure presentation; no rule lives here.
 */
import { ARTICLE_STATES, ARTICLE_STATE_LABELS_VI, type ArticleSummary } from '../../domain/article.ts';
import { compareVi, toIsoDate } from '../../domain/vi-text.ts';
import type { Unit } from '../../domain/unit.ts';
import type { Section } from '../../store/section-repository.ts';
import type { SignedInPage } from './page.ts';

export interface Lookups {
  units: Unit[];
  sections: Section[];
  unitName(id: number | null): string;
  sectionName(id: number | null): string;
  people: Map<number, string>;
}

export function loadLookups(p: SignedInPage, peopleIds: Iterable<number | null | undefined> = []): Lookups {
  const { units: unitService, sections: sectionService } = p.deps.services;
  const units = unitService.list(p.actor);
  const sections = sectionService.list(p.actor);
  const unitById = new Map(units.map((u) => [u.id, u.name]));
  const sectionById = new Map(sections.map((s) => [s.id, s.title]));
  return {
    units,
    sections,
    unitName: (id) => (id === null ? '' : (unitById.get(id) ?? '')),
    sectionName: (id) => (id === null ? '' : (sectionById.get(id) ?? '')),
    people: p.deps.people.displayNames(p.actor, peopleIds),
  };
}

export function today(p: SignedInPage): string {
  return toIsoDate(p.deps.clock());
}

/** An article is overdue when it has a due date before today and still waits for the editorial office. */
export function isOverdue(a: Pick<ArticleSummary, 'dueDate' | 'state'>, todayIso: string): boolean {
  return a.dueDate !== null && a.dueDate < todayIso && (a.state === 'submitted' || a.state === 'in_review');
}

export function decorate(items: readonly ArticleSummary[], l: Lookups, todayIso: string) {
  return items.map((a) => ({
    ...a,
    unitName: l.unitName(a.unitId),
    sectionName: l.sectionName(a.sectionId),
    assigneeName: a.assignedTo === null ? '' : (l.people.get(a.assignedTo) ?? ''),
    overdue: isOverdue(a, todayIso),
  }));
}

export const STATE_OPTIONS = ARTICLE_STATES.map((value) => ({ value, label: ARTICLE_STATE_LABELS_VI[value] }));

/** Units as select options: current units first in Vietnamese order, then merged/closed ones marked. */
export function unitOptions(units: readonly Unit[]): { id: number; label: string }[] {
  return [...units]
    .sort((a, b) => Number(a.validTo !== null) - Number(b.validTo !== null) || compareVi(a.name, b.name))
    .map((u) => ({ id: u.id, label: u.validTo ? `${u.name} (đã sáp nhập/giải thể)` : u.name }));
}

/** Query-string of a list page with a different offset, for the pager. */
export function pageHref(path: string, query: Record<string, unknown>, offset: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string' && v !== '' && k !== 'offset') params.set(k, v);
  if (offset > 0) params.set('offset', String(offset));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
