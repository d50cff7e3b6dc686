/**
 * What an import did, for the person who runs it (stdout summary) and for programs (`--json`, the web
 * upload): encodings found per font, characters converted, cleanup counts, images, warnings.
 */
import type { Encoding } from './encodings/index.ts';
import { emptyCounts, type NormalizeCounts } from './normalize.ts';

export interface EncodingUse {
  encoding: Encoding;
  /** Font the text was set in (docx), when known */
  font?: string;
  /** How it was decided: by font name, by syllable scoring, or as the caller asked */
  decidedBy: 'font' | 'detection' | 'option';
  runs: number;
  paragraphs: number;
  charactersConverted: number;
}

export interface ImportWarning {
  /** Stable code, e.g. "unknown-font", "emf-image", "image-small-for-print", "suspicious-text" */
  code: string;
  message: string;
}

export interface ImageReport {
  name: string;
  format: 'jpeg' | 'png';
  widthPx: number;
  heightPx: number;
  bytes: number;
  /** The EXIF orientation was applied to the pixels */
  rotated: boolean;
  /** EXIF / GPS / XMP / IPTC removed */
  metadataRemoved: boolean;
  /** CMYK or 16-bit input converted to 8-bit sRGB */
  converted?: string;
}

export interface ImportReport {
  file: string;
  kind: 'docx' | 'txt' | 'html';
  encodings: EncodingUse[];
  charactersConverted: number;
  normalized: NormalizeCounts;
  images: ImageReport[];
  warnings: ImportWarning[];
  /** Words that still do not look like Vietnamese after conversion (first few), for the editor to check */
  suspicious: string[];
  extracted: { title: boolean; author: boolean; unit: boolean; lead: boolean };
}

export function newReport(file: string, kind: ImportReport['kind']): ImportReport {
  return {
    file,
    kind,
    encodings: [],
    charactersConverted: 0,
    normalized: emptyCounts(),
    images: [],
    warnings: [],
    suspicious: [],
    extracted: { title: false, author: false, unit: false, lead: false },
  };
}

/** Adds to the entry for (encoding, font, decidedBy), creating it on first use. */
export function addEncodingUse(report: ImportReport, use: Omit<EncodingUse, 'runs' | 'paragraphs' | 'charactersConverted'>, runs: number, paragraphs: number, converted: number): void {
  let entry = report.encodings.find((e) => e.encoding === use.encoding && e.font === use.font && e.decidedBy === use.decidedBy);
  if (!entry) {
    entry = { ...use, runs: 0, paragraphs: 0, charactersConverted: 0 };
    report.encodings.push(entry);
  }
  entry.runs += runs;
  entry.paragraphs += paragraphs;
  entry.charactersConverted += converted;
  report.charactersConverted += converted;
}

/** Human summary for the CLI, one fact per line. */
export function formatReport(r: ImportReport, written?: string): string {
  const lines: string[] = [];
  lines.push(`${r.file} (${r.kind})${written ? ` → ${written}` : ''}`);
  for (const e of r.encodings) {
    const where = e.font ? ` in font "${e.font}"` : '';
    const count = r.kind === 'docx' ? `${e.runs} runs / ${e.paragraphs} paragraphs` : `${e.paragraphs} paragraphs`;
    lines.push(`  text: ${e.encoding}${where} (${e.decidedBy}), ${count}, ${e.charactersConverted} characters converted`);
  }
  const n = r.normalized;
  lines.push(`  cleaned: ${n.nfc ? 'decomposed (NFD) text composed to NFC, ' : ''}${n.spaces} odd spaces, ${n.softHyphens} soft hyphens, ${n.zeroWidth} zero-width characters, ${n.quotes} quotes`);
  for (const img of r.images) {
    const notes = [img.rotated ? 'rotated' : '', img.metadataRemoved ? 'metadata removed' : '', img.converted ?? ''].filter(Boolean).join(', ');
    lines.push(`  image: ${img.name} ${img.widthPx}×${img.heightPx} px ${img.format}${notes ? ` (${notes})` : ''}`);
  }
  const x = r.extracted;
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  lines.push(`  found: title ${yes(x.title)}, author ${yes(x.author)}, unit ${yes(x.unit)}, lead ${yes(x.lead)}`);
  for (const w of r.warnings) lines.push(`  warning [${w.code}]: ${w.message}`);
  if (r.suspicious.length) lines.push(`  check these words: ${r.suspicious.join(' ')}`);
  return lines.join('\n');
}
