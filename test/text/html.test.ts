import { describe, expect, it } from 'vitest';
import { isSafeRelativeSrc, sanitizeArticleHtml, sanitizeArticleHtmlDetailed } from '../../src/text/html.ts';

describe('sanitizeArticleHtml', () => {
  it('keeps article structure: headings, emphasis, lists, tables, figures, footnote links', () => {
    const html = '<h2>Mục 1</h2><p><strong>Đậm</strong> <em>nghiêng</em><sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup></p><ul><li>một</li></ul><table><tr><td colspan="2">ô</td></tr></table><figure><img src="images/anh-01.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure>';
    expect(sanitizeArticleHtml(html)).toBe(html.replace('alt="Ảnh">', 'alt="Ảnh" />'));
  });

  it('removes scripts, event handlers, inline styles, iframes, forms and javascript: links', () => {
    const out = sanitizeArticleHtml('<p onclick="x()" style="background:url(http://e/x)">a<script>alert(1)</script></p><iframe src="http://lan"></iframe><form><input></form><a href="javascript:alert(1)">b</a><style>p{}</style>');
    expect(out).toBe('<p>a</p><a>b</a>');
  });

  it('removes external, data: and path-escaping images and reports them', () => {
    const r = sanitizeArticleHtmlDetailed('<img src="http://x/a.jpg"><img src="//x/b.jpg"><img src="data:image/png;base64,AAAA"><img src="../../etc/passwd"><img src="/abs.jpg"><img src="images/ok.jpg">');
    expect(r.html).toBe('<img src="images/ok.jpg" />');
    expect(r.removedImages).toHaveLength(5);
  });

  it('returns NFC', () => {
    expect(sanitizeArticleHtml('<p>Vie\u0323\u0302t</p>')).toBe('<p>Việt</p>');
  });

  it('judges relative image paths', () => {
    expect(isSafeRelativeSrc('images/a.jpg')).toBe(true);
    expect(['', 'a/../../b', 'file:///etc', 'C:\\x', '/x'].map(isSafeRelativeSrc)).toEqual([false, false, false, false, false]);
  });
});

describe('layout classes from raw HTML', () => {
  it('keeps the classes authors use to ask the layout for a treatment and drops any other class', () => {
    const out = sanitizeArticleHtml('<blockquote class="pull-quote evil"><p>Trích dẫn</p></blockquote><p class="note right x">Ghi chú</p><h2 class="subtitle">Phụ đề</h2><p class="lead">Sa-pô</p><figure class="wide"><img src="images/a.jpg"></figure><p class="signature">Ban biên tập</p>');
    expect(out).toBe('<blockquote class="pull-quote"><p>Trích dẫn</p></blockquote><p class="note right">Ghi chú</p><h2 class="subtitle">Phụ đề</h2><p class="lead">Sa-pô</p><figure class="wide"><img src="images/a.jpg" /></figure><p class="signature">Ban biên tập</p>');
  });

  it('keeps no class that only the Word intake may set where it does not belong', () => {
    expect(sanitizeArticleHtml('<p class="subtitle">a</p><h2 class="lead">b</h2>')).toBe('<p>a</p><h2>b</h2>');
  });
});
