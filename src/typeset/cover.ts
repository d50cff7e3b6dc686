/**
 * cover.pdf: printed separately from the inner pages (often on heavier paper). A PDF cover is passed
 * through as the designer made it; a photo cover becomes one page of trim + bleed with the same boxes
 * and crop marks as print.pdf, the photo filling the bleed box.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, clip, endPath, popGraphicsState, pushGraphicsState, rectangle } from 'pdf-lib';
import type { BuiltPdf, IssuePlan } from './model.ts';
import { DEFAULT_SLUG_MM, drawCropMarks, mm, printBoxes, setBox } from './pdf-boxes.ts';

export async function writeCover(plan: IssuePlan): Promise<BuiltPdf | undefined> {
  if (!plan.cover) return undefined;
  const bytes = await fs.readFile(path.join(plan.dir, plan.cover.src));
  if (plan.cover.kind === 'pdf') {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    return { name: 'cover.pdf', bytes: new Uint8Array(bytes), pages: doc.getPageCount() };
  }
  const doc = await PDFDocument.create();
  const g = { trimWidthMm: plan.trim.widthMm, trimHeightMm: plan.trim.heightMm, bleedMm: plan.bleedMm, slugMm: DEFAULT_SLUG_MM };
  const printed = { x: 0, y: 0, width: mm(g.trimWidthMm + 2 * g.bleedMm), height: mm(g.trimHeightMm + 2 * g.bleedMm) };
  const { media, bleed, trim } = printBoxes(printed, g);
  const page = doc.addPage([printed.width, printed.height]);
  const image = plan.cover.src.toLowerCase().endsWith('.png') ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
  // Cover the bleed box, cropping the photo's overhang evenly (like CSS object-fit: cover).
  const scale = Math.max(bleed.width / image.width, bleed.height / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  page.pushOperators(pushGraphicsState(), rectangle(bleed.x, bleed.y, bleed.width, bleed.height), clip(), endPath());
  page.drawImage(image, { x: bleed.x + (bleed.width - w) / 2, y: bleed.y + (bleed.height - h) / 2, width: w, height: h });
  page.pushOperators(popGraphicsState());
  setBox(page, 'media', media);
  setBox(page, 'crop', media);
  setBox(page, 'bleed', bleed);
  setBox(page, 'trim', trim);
  drawCropMarks(page, trim, g.bleedMm);
  doc.setTitle(`Bìa – Bản tin ${plan.bulletin.name} số ${plan.number}/${plan.date.slice(0, 4)}`);
  doc.setLanguage('vi');
  return { name: 'cover.pdf', bytes: await doc.save(), pages: 1 };
}
