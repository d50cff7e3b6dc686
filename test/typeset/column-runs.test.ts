/**
 * Two-column bodies as runs of columns between full-width blocks (pure; the paginated result is checked in
 * layout-standard.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { wrapColumnRuns } from '../../src/typeset/column-runs.ts';

const body = (inner: string, columns = 2): string => `<section><article><div class="article-body body-columns-${columns}">${inner}</div></article></section>`;

describe('wrapColumnRuns', () => {
  it('groups text between subheads, tables and wide photos into column runs', () => {
    const html = body('<p>Một</p><p>Hai</p><h3>Tiểu mục</h3><p>Ba</p><table><tr><td>Ô</td></tr></table><figure class="wide"><img src="a.jpg"></figure><p>Bốn</p><figure><img src="b.jpg"></figure>');
    expect(wrapColumnRuns(html)).toBe(
      body('<div class="column-run"><p>Một</p><p>Hai</p></div><h3>Tiểu mục</h3><div class="column-run"><p>Ba</p></div><table><tr><td>Ô</td></tr></table><figure class="wide"><img src="a.jpg"></figure><div class="column-run"><p>Bốn</p><figure><img src="b.jpg"></figure></div>'),
    );
  });

  it('keeps the byline in the last run, or on its own after a full-width block', () => {
    const byline = '<footer class="article-byline"><p>Lê Văn Ấn</p></footer>';
    expect(wrapColumnRuns(body(`<p>Một</p>\n${byline}`))).toBe(body(`<div class="column-run"><p>Một</p>\n${byline}</div>`));
    expect(wrapColumnRuns(body(`<p>Một</p><table><tr><td>Ô</td></tr></table>\n${byline}`))).toBe(
      body(`<div class="column-run"><p>Một</p></div><table><tr><td>Ô</td></tr></table>\n${byline}`),
    );
  });

  it('leaves one-column bodies and everything outside the body byte for byte, entities included', () => {
    const oneColumn = `<header><h2 class="article-title">Tin &lt;b&gt; &amp; “nổi bật”</h2></header>${body('<p>A &amp; B</p><h3>C</h3>', 1)}`;
    expect(wrapColumnRuns(oneColumn)).toBe(oneColumn);
    const twoColumn = `<h2 title="&quot;x&quot;">Tin &lt;b&gt; &amp; Ặ</h2>${body('<p>A &amp; B <img alt="&quot;q&quot;" src="images/a&amp;b.jpg"></p>')}`;
    expect(wrapColumnRuns(twoColumn)).toBe(`<h2 title="&quot;x&quot;">Tin &lt;b&gt; &amp; Ặ</h2>${body('<div class="column-run"><p>A &amp; B <img alt="&quot;q&quot;" src="images/a&amp;b.jpg"></p></div>')}`);
  });
});
