/**
 * Which fonts a PDF uses without embedding them. Print shops reject such files (the RIP substitutes a
 * font and the text reflows), so any hit is a preflight error.
 */
import { PDFDict, PDFName, type PDFDocument } from 'pdf-lib';

export function fontsNotEmbedded(doc: PDFDocument): string[] {
  const missing = new Set<string>();
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const subtype = obj.get(PDFName.of('Subtype'));
    // Type 0 fonts embed through their descendant; Type 3 fonts are drawn by their own procedures.
    if (subtype === PDFName.of('Type0') || subtype === PDFName.of('Type3')) continue;
    const descriptor = obj.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
    const embedded = descriptor && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor.has(PDFName.of(k)));
    if (!embedded) missing.add(String(obj.get(PDFName.of('BaseFont')) ?? 'unnamed font').replace(/^\//, ''));
  }
  return [...missing];
}

/** Base font names of every font in the document, for job.json and tests. */
export function fontNames(doc: PDFDocument): string[] {
  const names = new Set<string>();
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (obj instanceof PDFDict && obj.get(PDFName.of('Type')) === PDFName.of('Font')) {
      const sub = obj.get(PDFName.of('Subtype'));
      if (sub === PDFName.of('Type0')) continue;
      names.add(String(obj.get(PDFName.of('BaseFont')) ?? '').replace(/^\//, '').replace(/^[A-Z]{6}\+/, ''));
    }
  }
  return [...names].filter(Boolean).sort();
}
