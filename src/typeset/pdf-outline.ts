/**
 * Bookmarks (the PDF outline) and page labels, written as plain PDF dictionaries because pdf-lib has no
 * API for them. The outline is two levels: sections, and the articles inside each section.
 */
import { PDFDict, PDFHexString, PDFName, PDFNull, PDFNumber, type PDFDocument, type PDFRef } from 'pdf-lib';

export interface OutlineItem {
  title: string;
  /** 1-based page number */
  page: number;
  level: 0 | 1;
}

interface Node {
  item: OutlineItem;
  children: Node[];
  ref?: PDFRef;
}

export function addOutline(doc: PDFDocument, items: OutlineItem[]): void {
  const roots: Node[] = [];
  for (const item of items) {
    const node: Node = { item, children: [] };
    const parent = roots.at(-1);
    if (item.level === 1 && parent) parent.children.push(node);
    else roots.push(node);
  }
  if (roots.length === 0) return;
  const ctx = doc.context;
  const outlinesRef = ctx.nextRef();
  const pages = doc.getPages();
  const assignRefs = (nodes: Node[]) => nodes.forEach((n) => ((n.ref = ctx.nextRef()), assignRefs(n.children)));
  assignRefs(roots);

  const write = (nodes: Node[], parentRef: PDFRef): number => {
    let count = 0;
    nodes.forEach((n, i) => {
      const page = pages[Math.min(Math.max(n.item.page, 1), pages.length) - 1];
      if (!page || !n.ref) return;
      const dict = ctx.obj({}) as PDFDict;
      dict.set(PDFName.of('Title'), PDFHexString.fromText(n.item.title));
      dict.set(PDFName.of('Parent'), parentRef);
      dict.set(PDFName.of('Dest'), ctx.obj([page.ref, PDFName.of('XYZ'), PDFNull, PDFNull, PDFNull]));
      const prev = nodes[i - 1]?.ref;
      const next = nodes[i + 1]?.ref;
      if (prev) dict.set(PDFName.of('Prev'), prev);
      if (next) dict.set(PDFName.of('Next'), next);
      const first = n.children[0]?.ref;
      const last = n.children.at(-1)?.ref;
      if (first && last) {
        dict.set(PDFName.of('First'), first);
        dict.set(PDFName.of('Last'), last);
        // Positive count: sections open, so readers see the articles at once.
        dict.set(PDFName.of('Count'), PDFNumber.of(write(n.children, n.ref)));
      }
      ctx.assign(n.ref, dict);
      count += 1 + n.children.length;
    });
    return count;
  };
  const total = write(roots, outlinesRef);
  const outlines = ctx.obj({ Type: 'Outlines' }) as PDFDict;
  const first = roots[0]?.ref;
  const last = roots.at(-1)?.ref;
  if (first && last) {
    outlines.set(PDFName.of('First'), first);
    outlines.set(PDFName.of('Last'), last);
  }
  outlines.set(PDFName.of('Count'), PDFNumber.of(total));
  ctx.assign(outlinesRef, outlines);
  doc.catalog.set(PDFName.of('Outlines'), outlinesRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/** Page labels equal to the printed folios: decimal from 1 on every page. */
export function addPageLabels(doc: PDFDocument): void {
  const ctx = doc.context;
  const labels = ctx.obj({ Nums: [0, ctx.obj({ S: 'D', St: 1 })] });
  doc.catalog.set(PDFName.of('PageLabels'), ctx.register(labels));
}
