/**
 * Pictures an HTML article links to (Word's "Save as Web Page" writes `bai_files/image001.jpg` beside the
 * page). The caller supplies a reader for files next to the document; each picture found goes through
 * images.ts and is renamed into the article's images/ folder. A picture that cannot be found is removed
 * and reported — an article.md pointing at a missing file would not build.
 */
import { parseDocument } from 'htmlparser2';
import { isTag, type ChildNode, type Element } from 'domhandler';
import render from 'dom-serializer';
import type { ImportedImage } from './docx.ts';
import { processImage, SMALL_FOR_PRINT_PX, type ImageLimits, type ImageTools } from './images.ts';
import type { ImportReport } from './report.ts';

/** Reads a file next to the imported document by its relative path; undefined when there is none. */
export type RelatedFileReader = (relativePath: string) => Promise<Uint8Array | undefined>;

function imagesIn(nodes: ChildNode[], out: Element[] = []): Element[] {
  for (const n of nodes) {
    if (!isTag(n)) continue;
    if (n.name === 'img') out.push(n);
    imagesIn(n.children, out);
  }
  return out;
}

function safeDecode(src: string): string {
  try {
    return decodeURIComponent(src);
  } catch {
    // A stray "%" in a file name: use the name as written.
    return src;
  }
}

/** Replaces linked pictures by processed copies under images/; returns the new HTML and the pictures. */
export async function collectLinkedImages(html: string, file: string, read: RelatedFileReader | undefined, limits: ImageLimits, report: ImportReport, tools: ImageTools = {}): Promise<{ html: string; images: ImportedImage[] }> {
  const doc = parseDocument(html);
  const images: ImportedImage[] = [];
  const bySrc = new Map<string, string | null>();
  for (const img of imagesIn(doc.children)) {
    const src = img.attribs.src ?? '';
    if (!bySrc.has(src)) {
      const bytes = read ? await read(safeDecode(src)) : undefined;
      if (!bytes) {
        bySrc.set(src, null);
        report.warnings.push({ code: 'image-missing', message: `picture "${src}" was not found next to ${file} and was removed; add it to the article's images/ folder` });
      } else {
        const done = await processImage(bytes, `${file}: picture ${src}`, limits, tools);
        const name = `anh-${String(images.length + 1).padStart(2, '0')}.${done.format === 'jpeg' ? 'jpg' : 'png'}`;
        images.push({ name, bytes: done.bytes, widthPx: done.widthPx, heightPx: done.heightPx, format: done.format });
        report.images.push({ name, format: done.format, widthPx: done.widthPx, heightPx: done.heightPx, bytes: done.bytes.length, rotated: done.rotated, metadataRemoved: true, ...(done.converted ? { converted: done.converted } : {}) });
        if (Math.max(done.widthPx, done.heightPx) < SMALL_FOR_PRINT_PX) {
          report.warnings.push({ code: 'image-small-for-print', message: `${name} (${src}) is only ${done.widthPx}×${done.heightPx} px` });
        }
        bySrc.set(src, `images/${name}`);
      }
    }
    const target = bySrc.get(src);
    if (target) img.attribs.src = target;
    else {
      const siblings = img.parent?.children;
      if (siblings) siblings.splice(siblings.indexOf(img), 1);
    }
  }
  return { html: doc.children.map((n) => render(n, { encodeEntities: 'utf8' })).join(''), images };
}
