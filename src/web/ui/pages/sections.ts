/** Sections (chuyên mục) of the bulletin: list in order, add, rename, reorder. */
import { NotFoundError } from '../../../domain/errors.ts';
import { formValues, routeId, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';

/** A positive integer id from the route, or "not found". */
function idParam(p: SignedInPage, what: string): number {
  const id = routeId(p.req.params.id);
  if (id === null) throw new NotFoundError(`no such ${what}`, { userMessage: 'Không tìm thấy.' });
  return id;
}

function sectionsView(p: SignedInPage, values: Record<string, string> = {}) {
  return { title: 'Chuyên mục', sections: p.deps.services.sections.list(p.actor), values };
}

function createSection(p: SignedInPage): void {
  const values = formValues(p.req);
  try {
    p.deps.services.sections.create(p.actor, { title: values.title });
  } catch (err) {
    p.refused(err, 'sections', sectionsView(p, values));
    return;
  }
  p.redirect('/sections', { kind: 'ok', text: `Đã thêm chuyên mục “${values.title?.trim() ?? ''}”.` });
}

function updateSection(p: SignedInPage): void {
  const id = idParam(p, 'section');
  const values = formValues(p.req);
  const position = values.position === undefined || values.position === '' ? undefined : Number(values.position);
  try {
    p.deps.services.sections.update(p.actor, id, { title: values.title, position });
  } catch (err) {
    p.refused(err, 'sections', sectionsView(p, {}));
    return;
  }
  p.redirect('/sections', { kind: 'ok', text: 'Đã lưu chuyên mục.' });
}

export const sectionRoutes: UiRoute[] = [
  { method: 'get', path: '/sections', access: 'section.manage', handler: (p) => p.render('sections', sectionsView(p)) },
  { method: 'post', path: '/sections', access: 'section.manage', handler: createSection },
  { method: 'post', path: '/sections/:id', access: 'section.manage', handler: updateSection },
];
