/**
 * One document through Paged.js (render-document.ts) with the engine's shortcuts against the plain way:
 * each shortcut must leave every page as it was. Real Chromium (one for the file), PDFs read with poppler.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHost } from '../../src/typeset/browser.ts';
import { bleedCss, dirHref, htmlDocument } from '../../src/typeset/html-document.ts';
import { inertContent } from '../../src/typeset/paginate.ts';
import { layOutDocument, type DocumentRender } from '../../src/typeset/render-document.ts';
import type { RenderedIssue } from '../../src/typeset/model.ts';
import { makeIssueDir, makeRendered, PARAGRAPHS, type FixtureSection } from '../fixtures/rendered-issue.ts';

let browser: BrowserHost;
const tempDirs: string[] = [];

beforeAll(async () => {
  browser = await BrowserHost.launch({ timeoutMs: 60_000 });
});
afterAll(async () => {
  await browser.close();
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Sections with photos and long tables, so pages break inside text, tables and around images. */
function mixedSections(): FixtureSection[] {
  const table = '<table><thead><tr><th>Đơn vị</th><th>Đảng viên</th></tr></thead><tbody>' +
    Array.from({ length: 30 }, (_, i) => `<tr><td>Chi bộ ấp ${i + 1}</td><td>${20 + i}</td></tr>`).join('') + '</tbody></table>';
  return [7, 12, 5].map((n, i) => ({
    id: `s-${i + 1}`,
    title: `Chuyên mục ${i + 1}`,
    articles: [{
      id: `a-${i + 1}`,
      title: `Bài viết số ${i + 1} của chuyên mục`,
      paragraphs: Array.from({ length: n }, (_, j) => PARAGRAPHS[j % PARAGRAPHS.length] ?? ''),
      extraHtml: i % 2 === 0 ? '<figure><img src="images/photo.jpg" style="width: 100%"></figure>' : table,
    }],
  }));
}

async function render(rendered: RenderedIssue, body: string): Promise<{ totalPages: number; anchorPages: Record<string, number>; render: DocumentRender }> {
  const file = path.join(tempDir('bantin-doc-'), 'doc.html');
  const css = [rendered.css, bleedCss(3)].join('\n');
  fs.writeFileSync(file, htmlDocument({ title: rendered.title, lang: rendered.lang, css: [css], body, baseHref: dirHref(rendered.baseDir) }));
  const anchorIds = rendered.toc.map((t) => t.anchorId);
  const articleIds = rendered.toc.flatMap((t) => (t.kind === 'article' ? [t.anchorId] : []));
  return browser.run('test document', async () => {
    const doc = await layOutDocument(browser, { file, baseHref: dirHref(rendered.baseDir), allowDirs: [rendered.baseDir, rendered.fontsDir, path.dirname(file)], anchorIds, articleIds, label: 'test' });
    try {
      return { totalPages: doc.totalPages, anchorPages: doc.anchorPages, render: await doc.finish({ firstPage: 1, dropFirstPages: 0, tocNumbers: {} }) };
    } finally {
      await doc.close();
    }
  });
}

function layoutText(bytes: Uint8Array): string[] {
  const file = path.join(tempDir('bantin-pdf-'), 'x.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f');
}

describe('layOutDocument', () => {
  it('gives the same pages when the content comes inert in a <template> as from a plain body', async () => {
    const dir = await makeIssueDir([{ name: 'photo.jpg', widthPx: 900, heightPx: 600 }]);
    tempDirs.push(dir);
    const rendered = makeRendered(dir, mixedSections());
    const body = rendered.chunks.map((c) => c.html).join('\n');

    const plain = await render(rendered, body);
    const inert = await render(rendered, inertContent(body));

    expect(plain.totalPages).toBeGreaterThan(3);
    expect(inert.totalPages).toBe(plain.totalPages);
    expect(inert.anchorPages).toEqual(plain.anchorPages);
    expect(inert.render.pages).toEqual(plain.render.pages);
    // Photos loaded and placed alike (the inert content fetches them only while pages are laid out).
    expect(inert.render.images).toEqual(plain.render.images);
    expect(inert.render.images.length).toBeGreaterThan(0);
    expect(inert.render.images.every((i) => !i.broken && i.naturalWidth === 900)).toBe(true);
    expect(inert.render.missingChars).toBe(0);
    expect(inert.render.lostText).toEqual([]);
    // Same text in the same places on every page.
    expect(layoutText(inert.render.pdf)).toEqual(layoutText(plain.render.pdf));
  });

  it('gives the same pages in a tab kept from an earlier, different document as in the first tab', async () => {
    const dir = await makeIssueDir([{ name: 'photo.jpg', widthPx: 900, heightPx: 600 }]);
    tempDirs.push(dir);
    const rendered = makeRendered(dir, mixedSections());
    const other = makeRendered(dir, mixedSections().slice(1).reverse());
    const body = (r: RenderedIssue) => inertContent(r.chunks.map((c) => c.html).join('\n'));

    const first = await render(rendered, body(rendered));
    const between = await render(other, body(other));
    const again = await render(rendered, body(rendered));

    expect(between.anchorPages).not.toEqual(first.anchorPages);
    expect(again.anchorPages).toEqual(first.anchorPages);
    expect(again.render.pages).toEqual(first.render.pages);
    expect(again.render.images).toEqual(first.render.images);
    expect(again.render.blocked).toEqual([]);
    expect(layoutText(again.render.pdf)).toEqual(layoutText(first.render.pdf));
  });
});
