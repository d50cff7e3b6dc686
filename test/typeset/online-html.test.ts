/**
 * The online edition's second allow-list: article HTML that reaches a browser directly keeps its text,
 * pictures, tables and quotes, and loses everything that could run, load from elsewhere or leave the page.
 */
import { describe, expect, it } from 'vitest';
import { onlineArticleHtml } from '../../src/typeset/online-html.ts';

function clean(html: string): { html: string; asked: string[] } {
  const asked: string[] = [];
  const names = new Map<string, string>();
  const out = onlineArticleHtml(html, (src) => {
    asked.push(src);
    if (!names.has(src)) names.set(src, `images/img-${String(names.size + 1).padStart(3, '0')}.jpg`);
    return names.get(src);
  });
  return { html: out, asked };
}

describe('online article HTML', () => {
  it('renames every picture to a file of the online edition, once per source', () => {
    const { html, asked } = clean('<figure><img src="images/a.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure><p><img src="images/a.jpg"></p><img src="data:image/png;base64,iVBORw0KGgo=">');
    expect(asked).toEqual(['images/a.jpg', 'images/a.jpg', 'data:image/png;base64,iVBORw0KGgo=']);
    expect(html).toContain('<img src="images/img-001.jpg" alt="Ảnh" /><figcaption>Chú thích</figcaption>');
    expect(html).toContain('<p><img src="images/img-001.jpg" alt="" /></p>');
    expect(html).toContain('<img src="images/img-002.jpg" alt="" />');
    expect(html).not.toContain('data:');
  });

  it('drops a picture nobody named a file for instead of keeping its source', () => {
    const html = onlineArticleHtml('<p>Trước<img src="https://example.com/x.jpg">Sau</p>', () => undefined);
    expect(html).toBe('<p>TrướcSau</p>');
  });

  it('keeps no script, event handler, style, frame or link that leaves the page; the text stays', () => {
    const { html } = clean(
      '<p style="color:red;background:url(https://x.test/a.png)" onclick="alert(1)">Đoạn <a href="https://example.com" onmouseover="x()">liên kết</a> và <a href="javascript:alert(1)">mã</a>.</p>' +
        '<script>alert(1)</script><iframe src="https://x.test"></iframe><style>p{}</style><form action="/x"><input name="a"></form>',
    );
    expect(html).toBe('<p>Đoạn <span>liên kết</span> và <span>mã</span>.</p>');
  });

  it('keeps quotes, layout classes, lists and headings one level below the article title', () => {
    const { html } = clean('<h3>Mục một</h3><h4>Ý nhỏ</h4><blockquote><p>Trích dẫn</p></blockquote><p class="pull-quote evil">Câu nổi bật</p><ul><li>Một</li></ul>');
    expect(html).toBe('<h4>Mục một</h4><h5>Ý nhỏ</h5><blockquote><p>Trích dẫn</p></blockquote><p class="pull-quote">Câu nổi bật</p><ul><li>Một</li></ul>');
  });

  it('puts every table in its own sideways-scrolling box, spans kept', () => {
    const { html } = clean('<table><tr><th scope="col">Đơn vị</th><td colspan="2" width="900">412</td></tr></table><p>Sau bảng</p>');
    expect(html).toBe('<div class="table-scroll"><table><tr><th scope="col">Đơn vị</th><td colspan="2">412</td></tr></table></div><p>Sau bảng</p>');
  });

  it('gives NFC text whatever the input normalisation', () => {
    const decomposed = 'Nghi\u0323 quyê\u0301t'; // "Nghị quyết" with combining marks
    const { html } = clean(`<p>${decomposed}</p>`);
    expect(html).toBe('<p>Nghị quyết</p>');
    expect(html).toBe(html.normalize('NFC'));
  });
});
