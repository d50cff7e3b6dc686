/**
 * Who sees which articles: contributors see their unit (with the units merged into it) and what they
 * wrote; the editorial office sees everything (undefined scope). Articles and their pictures use this one
 * rule, so a photo is visible exactly to those who may read an article that uses it.
 */
import type { Actor } from '../domain/user.ts';
import type { Store } from '../store/index.ts';

export interface ArticleScope {
  unitIds: number[];
  userId: number;
}

export function articleScopeOf(store: Store, actor: Actor): ArticleScope | undefined {
  if (actor.role !== 'contributor') return undefined;
  return { unitIds: actor.unitId === null ? [] : store.units.lineage(actor.unitId), userId: actor.id };
}
