/** The review queue: filters (state, unit, section, dates, assignee, overdue) and diacritic-insensitive search. */
import type { SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { decorate, loadLookups, pageHref, STATE_OPTIONS, today, unitOptions } from '../lookups.ts';
import type { ArticleList } from '../../../workflow/articles.ts';

const PAGE_SIZE = 50;
const FILTER_KEYS = ['q', 'state', 'unitId', 'sectionId', 'from', 'to', 'assignedTo', 'overdue', 'offset'] as const;

function queue(p: SignedInPage): void {
  const query: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = p.req.query[k];
    if (typeof v === 'string' && v !== '') query[k] = v;
  }
  const { articles, users } = p.deps.services;
  let list: ArticleList = { items: [], nextOffset: null };
  let refusal: unknown;
  try {
    list = articles.list(p.actor, { ...query, limit: PAGE_SIZE });
  } catch (err) {
    refusal = err;
  }
  const l = loadLookups(p, list.items.map((a) => a.assignedTo));
  const offset = Number(query.offset ?? 0) || 0;
  const data = {
    title: 'Duyệt bài',
    items: decorate(list.items, l, today(p)),
    query,
    stateOptions: STATE_OPTIONS,
    unitOptions: unitOptions(l.units),
    sectionOptions: l.sections,
    editorOptions: users.listEditors(p.actor),
    resultLabel: list.items.length === 0 ? '' : `${offset + 1}–${offset + list.items.length}${list.nextOffset !== null ? ' …' : ''}`,
    pager: {
      prev: offset > 0 ? pageHref('/review', query, Math.max(0, offset - PAGE_SIZE)) : null,
      next: list.nextOffset !== null ? pageHref('/review', query, list.nextOffset) : null,
    },
  };
  if (refusal !== undefined) p.refused(refusal, 'review', data);
  else p.render('review', data);
}

export const reviewRoutes: UiRoute[] = [{ method: 'get', path: '/review', access: 'article.review', handler: queue }];
