/**
 * Page boxes and crop marks. Chromium rounds the page size it prints (a 196 × 276 mm page comes out
 * 556.08 × 781.92 pt instead of 555.59 × 782.36), and content is laid out from the top-left corner, so
 * every box is computed from the top-left of the printed page with exact millimetre sizes.
 * pdf-lib's setXBox(x, y, width, height) takes a SIZE, not a second corner (pagedjs-cli gets this wrong).
 */
import { cmyk, type PDFPage } from 'pdf-lib';

export const PT_PER_MM = 72 / 25.4;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PrintGeometry {
  trimWidthMm: number;
  trimHeightMm: number;
  bleedMm: number;
  /** Room for crop marks outside the bleed */
  slugMm: number;
}

/** Crop marks start this far outside the trim, i.e. never inside the bleed. */
const MARK_OFFSET_MM = 3;
const MARK_LENGTH_MM = 6;
export const DEFAULT_SLUG_MM = MARK_OFFSET_MM + MARK_LENGTH_MM + 1;

export function mm(v: number): number {
  return v * PT_PER_MM;
}

/** The boxes of one printed page, anchored at the top-left of what Chromium printed. */
export function printBoxes(printed: Rect, g: PrintGeometry): { media: Rect; bleed: Rect; trim: Rect } {
  const top = printed.y + printed.height;
  const left = printed.x;
  const bleed = { x: left, y: top - mm(g.trimHeightMm + 2 * g.bleedMm), width: mm(g.trimWidthMm + 2 * g.bleedMm), height: mm(g.trimHeightMm + 2 * g.bleedMm) };
  const trim = inset(bleed, mm(g.bleedMm));
  const media = inset(bleed, -mm(g.slugMm));
  return { media, bleed, trim };
}

export function inset(r: Rect, d: number): Rect {
  return { x: r.x + d, y: r.y + d, width: r.width - 2 * d, height: r.height - 2 * d };
}

export function setBox(page: PDFPage, box: 'media' | 'crop' | 'bleed' | 'trim' | 'art', r: Rect): void {
  const setters = {
    media: () => page.setMediaBox(r.x, r.y, r.width, r.height),
    crop: () => page.setCropBox(r.x, r.y, r.width, r.height),
    bleed: () => page.setBleedBox(r.x, r.y, r.width, r.height),
    trim: () => page.setTrimBox(r.x, r.y, r.width, r.height),
    art: () => page.setArtBox(r.x, r.y, r.width, r.height),
  };
  setters[box]();
}

/** Eight crop marks in registration colour, aligned with the trim, entirely outside the bleed. */
export function drawCropMarks(page: PDFPage, trim: Rect, bleedMm: number): void {
  const start = mm(Math.max(MARK_OFFSET_MM, bleedMm));
  const end = start + mm(MARK_LENGTH_MM);
  const color = cmyk(1, 1, 1, 1);
  const thickness = 0.25;
  const xs = [trim.x, trim.x + trim.width];
  const ys = [trim.y, trim.y + trim.height];
  for (const x of xs) {
    for (const y of ys) {
      const dx = x === trim.x ? -1 : 1;
      const dy = y === trim.y ? -1 : 1;
      // Horizontal mark: on the trim line's y, outside the bleed on the left/right.
      page.drawLine({ start: { x: x + dx * start, y }, end: { x: x + dx * end, y }, thickness, color });
      // Vertical mark: on the trim line's x, outside the bleed above/below.
      page.drawLine({ start: { x, y: y + dy * start }, end: { x, y: y + dy * end }, thickness, color });
    }
  }
}
