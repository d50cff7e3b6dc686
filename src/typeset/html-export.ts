/**
 * `bantin build --html`: the pre-pagination HTML for layout designers and for comparing paginators.
 *   html/index.html   the whole issue as one document, exactly the markup and CSS Paged.js receives, no scripts
 *   html/preview.html the same with the Paged.js polyfill, to open in a browser
 *   html/images/…, html/fonts/…, html/paged.polyfill.js   the assets, so the folder is self-contained
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bleedCss, htmlDocument, singleDocumentBody } from './html-document.ts';
import type { RenderedIssue } from './model.ts';
import { PAGED_JS } from './render-document.ts';
import { writeFileAtomic } from '../atomic-file.ts';

const POLYFILL = path.join(path.dirname(PAGED_JS), 'paged.polyfill.js');

export async function writeHtmlExport(outDir: string, rendered: RenderedIssue, bleedMm: number): Promise<string[]> {
  const dir = path.join(outDir, 'html');
  await fs.mkdir(dir, { recursive: true });
  const fontsHref = dirHrefOf(rendered.fontsDir);
  const css = [rendered.css.split(fontsHref).join('fonts/'), bleedCss(bleedMm)].filter(Boolean).join('\n');
  const body = singleDocumentBody(rendered);
  const written: string[] = [];

  for (const rel of relativeUrls(body + '\n' + css)) {
    const isFont = rel.startsWith('fonts/');
    const from = isFont ? path.join(rendered.fontsDir, rel.slice('fonts/'.length)) : path.join(rendered.baseDir, rel);
    const to = path.join(dir, rel);
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.copyFile(from, to);
    written.push(path.relative(outDir, to));
  }
  await fs.copyFile(POLYFILL, path.join(dir, 'paged.polyfill.js'));
  // The layout's Paged.js handlers run in the preview as in the build: after the polyfill defines
  // window.Paged, before it paginates (it waits for the document to be parsed).
  const handlers: string[] = [];
  for (const file of rendered.pagedHandlers ?? []) {
    const name = `handler-${handlers.length + 1}-${path.basename(file)}`;
    await fs.copyFile(file, path.join(dir, name));
    handlers.push(name);
  }
  const doc = { title: rendered.title, lang: rendered.lang, css: [css], body };
  await writeFileAtomic(path.join(dir, 'index.html'), htmlDocument(doc));
  await writeFileAtomic(path.join(dir, 'preview.html'), htmlDocument({ ...doc, scripts: ['paged.polyfill.js', ...handlers] }));
  return ['html/index.html', 'html/preview.html', 'html/paged.polyfill.js', ...handlers.map((h) => `html/${h}`), ...written];
}

function dirHrefOf(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}

/**
 * Relative references (src="…", url(…)) that stay inside the folder: no scheme, no leading slash, no "..".
 * Anything else is not copied; the loader already rejected such paths in articles.
 */
export function relativeUrls(text: string): string[] {
  const found = new Set<string>();
  const patterns = [/\ssrc="([^"]+)"/g, /url\(\s*["']?([^"')]+)["']?\s*\)/g];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const url = decodeURI(m[1] ?? '');
      if (!url || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/') || url.startsWith('#') || url.split('/').includes('..')) continue;
      found.add(url);
    }
  }
  return [...found];
}
