/**
 * Where the parts of a .docx are: the main document is whatever _rels/.rels names (usually
 * word/document.xml, but some editors write word/document2.xml), and its styles, theme, footnotes,
 * endnotes, numbering, headers, footers and pictures are whatever the document's own relationships name —
 * the way Word and mammoth find them.
 */
import path from 'node:path';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';

export interface DocxParts {
  document: string;
  styles?: string;
  theme?: string;
  numbering?: string;
  footnotes?: string;
  endnotes?: string;
  /** Headers and footers: mammoth leaves them out of the article */
  headersFooters: string[];
  /** Pictures the main document, footnotes and endnotes refer to (other media, e.g. a header logo, are not imported) */
  images: string[];
}

function relationships(xml: Uint8Array | undefined): { type: string; target: string; external: boolean }[] {
  if (!xml) return [];
  const text = Buffer.from(xml).toString('utf8');
  const out: { type: string; target: string; external: boolean }[] = [];
  // Relationship parts are flat lists of one element type: attribute matching is enough here.
  for (const m of text.matchAll(/<(?:\w+:)?Relationship\b([^>]*)\/?>/g)) {
    const attrs = m[1] ?? '';
    const type = /\bType="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const target = /\bTarget="([^"]*)"/.exec(attrs)?.[1] ?? '';
    out.push({ type, target, external: /\bTargetMode="External"/.test(attrs) });
  }
  return out;
}

function resolve(baseDir: string, target: string): string {
  const joined = target.startsWith('/') ? target.slice(1) : path.posix.join(baseDir, target);
  return path.posix.normalize(joined);
}

/** Ids of the relationships a part declares (r:id / r:embed values that resolve). */
export function relationshipIds(entries: Map<string, Uint8Array>, part: string): Set<string> {
  const text = Buffer.from(entries.get(`${path.posix.dirname(part)}/_rels/${path.posix.basename(part)}.rels`) ?? new Uint8Array()).toString('utf8');
  return new Set([...text.matchAll(/<(?:\w+:)?Relationship\b[^>]*\bId="([^"]*)"/g)].map((m) => m[1] ?? ''));
}

/** The part names, or undefined when the archive has no main document (not a Word file). */
export function findDocxParts(entries: Map<string, Uint8Array>): DocxParts | undefined {
  const main = relationships(entries.get('_rels/.rels')).find((r) => r.type.endsWith('/officeDocument') && !r.external);
  const document = main ? resolve('', main.target) : 'word/document.xml';
  if (!entries.has(document)) return undefined;
  const dir = path.posix.dirname(document);
  const rels = relationships(entries.get(`${dir}/_rels/${path.posix.basename(document)}.rels`));
  const find = (kind: string): string | undefined => {
    const rel = rels.find((r) => r.type === REL + kind && !r.external);
    const name = rel ? resolve(dir, rel.target) : undefined;
    return name && entries.has(name) ? name : undefined;
  };
  const footnotes = find('footnotes');
  const endnotes = find('endnotes');
  const images = new Set<string>();
  for (const part of [document, footnotes, endnotes]) {
    if (!part) continue;
    const partRels = part === document ? rels : relationships(entries.get(`${path.posix.dirname(part)}/_rels/${path.posix.basename(part)}.rels`));
    for (const r of partRels) if (r.type === `${REL}image` && !r.external) images.add(resolve(path.posix.dirname(part), r.target));
  }
  const headersFooters = rels.filter((r) => (r.type === `${REL}header` || r.type === `${REL}footer`) && !r.external).map((r) => resolve(dir, r.target)).filter((name) => entries.has(name));
  return { document, styles: find('styles'), theme: find('theme'), numbering: find('numbering'), footnotes, endnotes, headersFooters, images: [...images] };
}
