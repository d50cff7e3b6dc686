/** Side-by-side compare of any two revisions of an article (word diff per field, and the photos). */
import { BadInputError } from '../../../domain/errors.ts';
import type { FieldDiff } from '../../../workflow/article-collab.ts';
import { routeId, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { loadLookups } from '../lookups.ts';
import { sideBySide } from '../diff-view.ts';
import type { PhotoChangeKind } from '../../../domain/photo-diff.ts';
import { articleId } from './articles.ts';

/** Said in words (not only by colour) so a screen reader and a colour-blind reader get it too. */
const PHOTO_CHANGE_VI: Record<PhotoChangeKind, string> = {
  same: 'Không đổi',
  caption: 'Sửa chú thích',
  moved: 'Đổi vị trí',
  added: 'Thêm ảnh',
  removed: 'Bỏ ảnh',
  replaced: 'Thay ảnh',
};

const FIELD_LABELS: Record<FieldDiff['field'], string> = {
  title: 'Tiêu đề', subtitle: 'Tiêu đề phụ', lead: 'Sa-pô', body: 'Nội dung', author: 'Tác giả', sectionId: 'Chuyên mục',
};

function compare(p: SignedInPage): void {
  const id = articleId(p);
  const { articles, collab } = p.deps.services;
  const article = articles.get(p.actor, id);
  const revisions = collab.revisions(p.actor, id);
  const last = revisions.at(-1);
  const before = revisions.at(-2) ?? last;
  const a = p.req.query.a === undefined ? before?.id ?? null : routeId(p.req.query.a);
  const b = p.req.query.b === undefined ? last?.id ?? null : routeId(p.req.query.b);
  if (a === null || b === null) throw new BadInputError('a and b must be revision ids', { userMessage: 'Hãy chọn hai phiên bản để so sánh.' });
  const diff = collab.compare(p.actor, id, a, b);
  const l = loadLookups(p, revisions.map((r) => r.createdBy));
  const named = <T extends { createdBy: number }>(r: T) => ({ ...r, authorName: l.people.get(r.createdBy) ?? '' });
  const fields = diff.fields
    .map((f) => {
      if (f.field === 'sectionId') {
        const left = l.sectionName(diff.from.sectionId) || '(chưa xếp chuyên mục)';
        const right = l.sectionName(diff.to.sectionId) || '(chưa xếp chuyên mục)';
        return { label: FIELD_LABELS[f.field], ...sideBySide(left === right ? [{ value: left, added: false, removed: false }] : [{ value: left, added: false, removed: true }, { value: right, added: true, removed: false }]) };
      }
      return { label: FIELD_LABELS[f.field], ...sideBySide(f.parts) };
    })
    .filter((f) => f.left !== '' || f.right !== '');
  const photos = diff.photos.map((c, i) => ({
    ...c,
    ...(({ left, right }) => ({ captionLeft: left, captionRight: right }))(sideBySide(c.caption)),
    index: i + 1,
    label: PHOTO_CHANGE_VI[c.kind],
    changed: c.kind !== 'same',
  }));
  const photoChangeCount = photos.filter((c) => c.changed).length;
  p.render('compare', {
    title: 'So sánh phiên bản',
    article,
    revisions: revisions.map(named).reverse(),
    left: named(diff.from),
    right: named(diff.to),
    fields,
    photos,
    photoSummary: photos.length === 0 ? null : photoChangeCount === 0 ? `${photos.length} ảnh, không thay đổi.` : `${photoChangeCount} thay đổi về ảnh (trong ${photos.length} ảnh).`,
  });
}

export const compareRoutes: UiRoute[] = [{ method: 'get', path: '/articles/:id/compare', access: 'article.read', handler: compare }];
