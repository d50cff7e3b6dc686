/**
 * The sample issue's cover (issues/2026-11/cover.jpg): trim 190 × 270 mm plus 3 mm bleed on every
 * side at 300 ppi, i.e. 196 × 276 mm = 2315 × 3260 px. Masthead and headlines are set with the
 * repository's own Noto fonts (sharp's Pango text with `fontfile`), so no system font decides how
 * Vietnamese diacritics look; the photo is the "nui-ba-den" scene drawn at cover size.
 */
import path from 'node:path';
import sharp from 'sharp';
import { SCENES } from './scenes.ts';
import { seededRng } from './svg-kit.ts';

export const COVER = { file: 'cover.jpg', width: 2315, height: 3260, seed: 30 } as const;

const RED = '#b51d1d';
const YELLOW = '#ffd23f';
const PHOTO_TOP = 960;
const PHOTO_HEIGHT = 1420;

const HEADLINES = [
  'Đưa Nghị quyết Đại hội Đảng bộ tỉnh vào cuộc sống: một năm nhìn lại',
  'Chi bộ ấp Bến Cừ: từ yếu kém đến hoàn thành xuất sắc nhiệm vụ',
  'Kinh tế tư nhân – một động lực quan trọng nhất của nền kinh tế',
  'Phong trào thi đua “Dân vận khéo” năm 2026',
];

interface TextSpec {
  markup: string;
  font: string;
  fontFile: string;
  width?: number;
}

async function textLayer(spec: TextSpec): Promise<{ input: Buffer; width: number; height: number }> {
  const { data, info } = await sharp({
    text: { text: spec.markup, font: spec.font, fontfile: spec.fontFile, rgba: true, dpi: 300, ...(spec.width ? { width: spec.width, wrap: 'word' } : {}) },
  }).png().toBuffer({ resolveWithObject: true });
  return { input: data, width: info.width, height: info.height };
}

function centred(layer: { width: number }): number {
  return Math.round((COVER.width - layer.width) / 2);
}

/** Renders the cover as raw RGB pixels (grain and JPEG encoding are the caller's job). */
export async function renderCover(fontsDir: string): Promise<Buffer> {
  const serifBold = path.join(fontsDir, 'NotoSerif-Bold.ttf');
  const serif = path.join(fontsDir, 'NotoSerif-Regular.ttf');
  const sansBold = path.join(fontsDir, 'NotoSans-Bold.ttf');

  const scene = SCENES.find((s) => s.file === 'nui-ba-den.jpg');
  if (!scene) throw new Error('cover needs the "nui-ba-den.jpg" scene');
  const photo = await sharp(Buffer.from(scene.draw(COVER.width, PHOTO_HEIGHT, seededRng(scene.seed))), { density: 72 })
    .resize(COVER.width, PHOTO_HEIGHT, { fit: 'fill' })
    .blur(0.7)
    .png()
    .toBuffer();

  const publisher = await textLayer({ markup: `<span foreground="${YELLOW}">BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY TÂY NINH</span>`, font: 'Noto Sans Bold 15', fontFile: sansBold });
  const kicker = await textLayer({ markup: '<span foreground="#ffffff">BẢN TIN</span>', font: 'Noto Serif Bold 30', fontFile: serifBold });
  const title = await textLayer({ markup: '<span foreground="#ffffff">THÔNG BÁO NỘI BỘ</span>', font: 'Noto Serif Bold 46', fontFile: serifBold });
  const issue = await textLayer({ markup: `<span foreground="${YELLOW}">Số 11 – Tháng 11/2026</span>`, font: 'Noto Sans Bold 17', fontFile: sansBold });
  const contentsHead = await textLayer({ markup: `<span foreground="${RED}">TRONG SỐ NÀY</span>`, font: 'Noto Sans Bold 16', fontFile: sansBold });
  const restricted = await textLayer({ markup: '<span foreground="#ffffff">LƯU HÀNH NỘI BỘ</span>', font: 'Noto Sans Bold 14', fontFile: sansBold });
  const headlines = await Promise.all(
    HEADLINES.map((h) => textLayer({ markup: `<span foreground="#222222">▪ ${h}</span>`, font: 'Noto Serif 13', fontFile: serif, width: 2000 })),
  );

  const layers: sharp.OverlayOptions[] = [
    { input: { create: { width: COVER.width, height: PHOTO_TOP, channels: 3, background: RED } }, left: 0, top: 0 },
    { input: publisher.input, left: centred(publisher), top: 130 },
    { input: kicker.input, left: centred(kicker), top: 300 },
    { input: title.input, left: centred(title), top: 470 },
    { input: { create: { width: 1600, height: 10, channels: 3, background: YELLOW } }, left: Math.round((COVER.width - 1600) / 2), top: 770 },
    { input: issue.input, left: centred(issue), top: 810 },
    { input: photo, left: 0, top: PHOTO_TOP },
    { input: contentsHead.input, left: 160, top: PHOTO_TOP + PHOTO_HEIGHT + 70 },
  ];
  let y = PHOTO_TOP + PHOTO_HEIGHT + 70 + contentsHead.height + 40;
  for (const h of headlines) {
    layers.push({ input: h.input, left: 160, top: y });
    y += h.height + 30;
  }
  const footerTop = COVER.height - 230;
  if (y > footerTop) throw new Error(`cover headlines run into the footer (${y} > ${footerTop})`);
  layers.push(
    { input: { create: { width: COVER.width, height: 230, channels: 3, background: RED } }, left: 0, top: footerTop },
    { input: restricted.input, left: centred(restricted), top: footerTop + Math.round((230 - 35 - restricted.height) / 2) },
  );

  return sharp({ create: { width: COVER.width, height: COVER.height, channels: 3, background: '#f6f1e6' } })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer();
}
