/** Units: the tree with validity dates and merge links, adding a unit, merging two (admin). */
import { BadInputError } from '../../../domain/errors.ts';
import { UNIT_KINDS_VI, type Unit } from '../../../domain/unit.ts';
import { compareVi } from '../../../domain/vi-text.ts';
import { formValues, routeId, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { unitOptions } from '../lookups.ts';

const KIND_OPTIONS = Object.entries(UNIT_KINDS_VI).map(([value, label]) => ({ value, label }));

/** Kinds of units that no longer exist since the 2025 reform but still appear in history. */
const OLD_UNIT_KINDS_VI: Record<string, string> = { district_committee: 'Huyện ủy', town_committee: 'Thị ủy', city_committee: 'Thành ủy' };

interface UnitNode extends Unit {
  kindLabel: string;
  replacedByName: string;
  mergedFromNames: string;
  children: UnitNode[];
}

function unitTree(units: readonly Unit[]): UnitNode[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const nodes = new Map<number, UnitNode>(units.map((u) => [u.id, {
    ...u,
    kindLabel: UNIT_KINDS_VI[u.kind] ?? OLD_UNIT_KINDS_VI[u.kind] ?? u.kind,
    replacedByName: u.replacedBy === null ? '' : (byId.get(u.replacedBy)?.name ?? ''),
    mergedFromNames: u.mergedFrom.map((id) => byId.get(id)?.name ?? `#${id}`).join(', '),
    children: [],
  }]));
  const roots: UnitNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId === null ? undefined : nodes.get(n.parentId);
    (parent ? parent.children : roots).push(n);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => Number(a.validTo !== null) - Number(b.validTo !== null) || compareVi(a.name, b.name));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

function unitsView(p: SignedInPage, values: Record<string, string> = {}) {
  const units = p.deps.services.units.list(p.actor);
  const active = units.filter((u) => u.validTo === null);
  return { title: 'Đơn vị', tree: unitTree(units), values, kindOptions: KIND_OPTIONS, unitOptions: unitOptions(active), today: p.deps.clock().toISOString().slice(0, 10) };
}

function createUnit(p: SignedInPage): void {
  const values = formValues(p.req);
  try {
    p.deps.services.units.create(p.actor, { name: values.name, kind: values.kind, parentId: values.parentId });
  } catch (err) {
    p.refused(err, 'units', unitsView(p, values));
    return;
  }
  p.redirect('/units', { kind: 'ok', text: `Đã thêm đơn vị ${values.name}.` });
}

function mergeUnits(p: SignedInPage): void {
  const values = formValues(p.req);
  const from = routeId(values.from);
  try {
    if (from === null) throw new BadInputError('choose the unit to merge', { field: 'from', problems: [{ field: 'from', message: 'Hãy chọn đơn vị được sáp nhập.' }] });
    if (values.into === values.from) throw new BadInputError('choose two different units', { problems: [{ field: 'into', message: 'Hãy chọn một đơn vị khác với đơn vị được sáp nhập.' }] });
    p.deps.services.units.merge(p.actor, from, { into: values.into, date: values.date || undefined });
  } catch (err) {
    p.refused(err, 'units', unitsView(p, values));
    return;
  }
  p.redirect('/units', { kind: 'ok', text: 'Đã sáp nhập đơn vị. Bài viết và tài khoản đã chuyển sang đơn vị mới; lịch sử vẫn giữ đơn vị gửi bài.' });
}

export const unitRoutes: UiRoute[] = [
  { method: 'get', path: '/units', access: 'unit.manage', handler: (p) => p.render('units', unitsView(p)) },
  { method: 'post', path: '/units', access: 'unit.manage', handler: createUnit },
  { method: 'post', path: '/units/merge', access: 'unit.manage', handler: mergeUnits },
];
