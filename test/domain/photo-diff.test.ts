/**
 * Photo changes between two article bodies as the app stores them (figures with `/media/<sha256>.jpg`
 * pictures and captions): kept, caption edited, added, removed, replaced in place, moved.
 */
import { describe, expect, it } from 'vitest';
import { photoChanges, photosIn } from '../../src/domain/photo-diff.ts';
import { sideBySide } from '../../src/web/ui/diff-view.ts';

const sha = (c: string) => c.repeat(64);
const fig = (c: string, caption: string) => `<figure><img src="/media/${sha(c)}.jpg" alt="${caption}"><figcaption>${caption}</figcaption></figure>`;
const src = (c: string) => `/media/${sha(c)}.jpg`;

describe('photosIn', () => {
  it('reads pictures in order with their figure caption, or alt text outside a figure; ignores other images', () => {
    const html = `<p>Mở đầu</p>${fig('a', 'Lễ kết nạp &amp; trao quyết định')}<p>x<img src="/media/${sha('b')}.png" alt="Toàn cảnh hội nghị"></p><img src="https://example.com/x.jpg" alt="ngoài"><figure><figcaption>Chú thích trước ảnh</figcaption><img src="/media/${sha('c')}.jpg" alt=""></figure>`;
    expect(photosIn(html)).toEqual([
      { src: src('a'), caption: 'Lễ kết nạp & trao quyết định', alt: 'Lễ kết nạp & trao quyết định' },
      { src: `/media/${sha('b')}.png`, caption: 'Toàn cảnh hội nghị', alt: 'Toàn cảnh hội nghị' },
      { src: src('c'), caption: 'Chú thích trước ảnh', alt: '' },
    ]);
  });
});

describe('photoChanges', () => {
  it('aligns the photos of both revisions and names each change', () => {
    const before = [fig('a', 'Đồng chí Bí thư phát biểu'), fig('b', 'Ảnh cũ'), fig('c', 'Sẽ bị bỏ'), fig('d', 'Giữ nguyên')].join('<p>…</p>');
    const after = [fig('a', 'Đồng chí Bí thư Tỉnh ủy phát biểu'), fig('e', 'Ảnh mới'), fig('d', 'Giữ nguyên'), fig('f', 'Thêm cuối bài')].join('<p>…</p>');
    const rows = photoChanges(before, after);
    expect(rows.map((r) => [r.kind, r.left?.src ?? null, r.right?.src ?? null])).toEqual([
      ['caption', src('a'), src('a')],
      ['replaced', src('b'), src('e')],
      ['removed', src('c'), null],
      ['same', src('d'), src('d')],
      ['added', null, src('f')],
    ]);
    expect(rows[0]!.caption.filter((c) => c.added).map((c) => c.value)).toEqual(['Tỉnh ủy ']);
    expect(rows[0]!.caption.filter((c) => c.removed)).toEqual([]);
    expect(rows[3]!.caption).toEqual([{ value: 'Giữ nguyên', added: false, removed: false }]);
  });

  it('calls a photo that changed place "moved", not removed and added', () => {
    const rows = photoChanges(fig('a', 'Một') + fig('b', 'Hai') + fig('c', 'Ba'), fig('b', 'Hai') + fig('c', 'Ba') + fig('a', 'Một'));
    expect(rows.map((r) => r.kind)).toEqual(['same', 'same', 'moved']);
    expect(rows[2]).toMatchObject({ left: { src: src('a') }, right: { src: src('a') } });
  });

  it('gives captions as text, which the compare screen escapes (they are put into the page as HTML)', () => {
    const rows = photoChanges(fig('a', 'x'), fig('a', '&lt;script&gt;alert(1)&lt;/script&gt;'));
    expect(rows[0]!.caption.map((c) => c.value).join('')).toContain('<script>');
    const shown = sideBySide(rows[0]!.caption).right;
    expect(shown).toContain('&lt;script&gt;');
    expect(shown).not.toContain('<script');
  });

  it('is empty for bodies without stored photos', () => {
    expect(photoChanges('<p>Chỉ có chữ.</p>', '<p>Vẫn chỉ có chữ.</p>')).toEqual([]);
  });
});
