import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { parseDocument } from 'htmlparser2';
import render from 'dom-serializer';
import { isTag, type ChildNode } from 'domhandler';
import fs from 'node:fs/promises';
import path from 'node:path';
import { htmlToMarkdown } from '../../src/text/markdown.ts';
import { importDocument } from '../../src/text/import.ts';

// The issue loader reads article.md with markdown-it (CommonMark, raw HTML on, no typographer).
const md = new MarkdownIt('default', { html: true, typographer: false });

/**
 * Canonical HTML: same serializer; differences that print the same are evened out (whitespace between
 * blocks and after <br>, b/strong, i/em, a space just inside or just outside the end of bold).
 */
function canonical(html: string): string {
  const doc = parseDocument(html.replace(/>\s+</g, '><').trim());
  const sortAttributes = (nodes: ChildNode[]): void => {
    for (const n of nodes) {
      if (!isTag(n)) continue;
      n.attribs = Object.fromEntries(Object.entries(n.attribs).sort(([a], [b]) => a.localeCompare(b)));
      sortAttributes(n.children);
    }
  };
  sortAttributes(doc.children);
  return render(doc, { encodeEntities: 'utf8' })
    .replace(/<(\/?)b>/g, '<$1strong>')
    .replace(/<(\/?)i>/g, '<$1em>')
    .replace(/<br>\n/g, '<br>')
    .replace(/ <\/(strong|em)>/g, '</$1> ')
    .replace(/<(strong|em)> /g, ' <$1>');
}

const SAMPLES = [
  '<h2>Phần 1. Kết quả</h2><p>Đảng bộ xã đạt <strong>95%</strong> chỉ tiêu, <em>vượt</em> kế hoạch.</p>',
  '<p>Dòng một<br />dòng hai</p><ul><li>Sinh hoạt đúng định kỳ;</li><li><b>Gương mẫu</b> trong công việc.</li></ul><ol><li>Một</li><li>Hai</li></ol>',
  '<p><img src="images/anh-01.jpg" alt="Ảnh 1" /></p><p>Chú thích * sao _ gạch [ngoặc] &lt;thẻ&gt; a|b `mã` ~x~ &amp;copy; \\ cuối</p>',
  '<p>1. Không phải danh sách</p><p># Không phải tiêu đề</p><p>- không phải gạch đầu dòng</p><p>+ cộng</p><p>2026) năm</p>',
  '<table><tr><td><p>Ô</p></td></tr></table><p>Trước<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup></p><ol><li id="footnote-1"><p>Chú thích</p></li></ol>',
  '<p><strong>Đậm </strong>rồi thường</p><blockquote><p>Trích dẫn</p></blockquote>',
];

describe('article.md body', () => {
  it.each(['tcvn3-chi-bo.docx', 'vni-guong-sang.docx', 'unicode-in-vntime.docx'])('of the %s fixture renders back to the imported HTML', async (name) => {
    const a = await importDocument(await fs.readFile(path.join('test/fixtures/intake', name)), name);
    expect(canonical(md.render(htmlToMarkdown(a.bodyHtml)))).toBe(canonical(a.bodyHtml));
  });

  it.each(SAMPLES)('renders back to the same HTML through markdown-it: %s', (html) => {
    expect(canonical(md.render(htmlToMarkdown(html)))).toBe(canonical(html));
  });

  it('writes plain Markdown for simple blocks', () => {
    expect(htmlToMarkdown(SAMPLES[0] ?? '')).toBe('## Phần 1. Kết quả\n\nĐảng bộ xã đạt **95%** chỉ tiêu, *vượt* kế hoạch.');
    expect(htmlToMarkdown('<p><img src="images/anh-01.jpg" alt="Ảnh 1"></p>')).toBe('![Ảnh 1](images/anh-01.jpg)');
  });
});
