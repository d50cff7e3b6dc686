/**
 * Import benchmark (issue #4): how fast `importDocument` turns realistic submissions into articles.
 *   node bin/run-ts.mjs bench/import.ts [--files 100] [--photos 5] [--megapixels 12] [--pages 10]
 * 1. one 10-page TCVN3 .docx with 5 phone photos (EXIF-rotated, GPS): median of 5 imports (target < 1 s).
 *    Default 3 MP per photo: Word's default "compress pictures to 220 ppi" on save leaves inserted phone photos
 *    at about that size; --megapixels 12 is the uncompressed phone original (stress case);
 * 2. a folder of N such documents (bench/work/import/, generated once, photos vary per file) imported one
 *    after another: files/s and peak RSS of this process.
 * Prints a JSON line for bench/RESULTS.md.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { importDocument } from '../src/text/import.ts';
import { encodeTcvn3 } from '../src/text/encodings/tcvn3.ts';
import { buildDocx, type ParagraphSpec } from '../test/text/helpers/docx-builder.ts';

const { values } = parseArgs({
  options: { files: { type: 'string', default: '100' }, photos: { type: 'string', default: '5' }, megapixels: { type: 'string', default: '3' }, pages: { type: 'string', default: '10' } },
});
const FILES = Number(values.files);
const PHOTOS = Number(values.photos);
const MEGAPIXELS = Number(values.megapixels);
const PAGES = Number(values.pages);
const workDir = path.resolve('bench/work/import');

const SENTENCES = [
  'Thực hiện Nghị quyết của Ban Chấp hành Đảng bộ tỉnh, các cấp ủy đã tập trung lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị của địa phương.',
  'Công tác xây dựng Đảng được quan tâm, chất lượng sinh hoạt chi bộ từng bước được nâng lên, vai trò tiên phong của đảng viên được phát huy.',
  'Đảng ủy xã đã chỉ đạo các chi bộ ấp tổ chức học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với thực hiện nhiệm vụ.',
  'Qua đó, nhiều mô hình hay, cách làm hiệu quả được nhân rộng, góp phần hoàn thành thắng lợi các chỉ tiêu kinh tế – xã hội năm 2026.',
];
const vn = (s: string): string => [...s].map((ch) => ((ch.codePointAt(0) ?? 0) > 0xff && !/\p{L}/u.test(ch) ? ch : String.fromCharCode(...encodeTcvn3(ch)))).join('');

/** A phone-like photo: noise + gradient so it compresses like a real picture, EXIF orientation 6 and GPS. */
async function phonePhoto(seed: number): Promise<Buffer> {
  const width = Math.round(Math.sqrt((MEGAPIXELS * 1e6 * 4) / 3));
  const height = Math.round((width * 3) / 4);
  const noise = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 110 + (seed % 40), sigma: 40 } } }).raw().toBuffer();
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .blur(2.5)
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: 'Samsung', Model: 'Galaxy A54' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '11/1 18/1 0/1' } } })
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** ~500 words per page: 10 pages ≈ 50 paragraphs of ~100 words, a heading every 10 paragraphs. */
async function realisticDocx(index: number, photos: Buffer[]): Promise<Buffer> {
  const paragraphs: ParagraphSpec[] = [
    { style: 'Heading1', runs: [vn(`Đảng bộ xã số ${index + 1} nâng cao năng lực lãnh đạo`)] },
    { runs: [vn('Tác giả: Nguyễn Văn Hùng – Đảng ủy xã Phước Vinh')] },
  ];
  const bodyParagraphs = PAGES * 5;
  for (let p = 0; p < bodyParagraphs; p++) {
    if (p > 0 && p % 10 === 0) paragraphs.push({ style: 'Heading2', runs: [vn(`Phần ${p / 10 + 1}. Kết quả nổi bật`)] });
    const text = Array.from({ length: 4 }, (_, k) => SENTENCES[(p + k) % SENTENCES.length]).join(' ');
    paragraphs.push({ runs: [vn(text)] });
    const photoIndex = Math.floor((p * photos.length) / bodyParagraphs);
    if (p % Math.ceil(bodyParagraphs / photos.length) === 3 && photoIndex < photos.length) paragraphs.push({ image: photoIndex });
  }
  return buildDocx({ defaultFont: '.VnTime', paragraphs, images: photos.map((bytes) => ({ bytes, ext: 'jpeg' as const })) });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

await fs.mkdir(workDir, { recursive: true });
const marker = path.join(workDir, `.generated-${FILES}-${PHOTOS}-${MEGAPIXELS}-${PAGES}`);
const exists = await fs.access(marker).then(() => true, () => false);
if (!exists) {
  process.stderr.write(`generating ${FILES} documents in ${workDir} …\n`);
  for (const f of await fs.readdir(workDir)) await fs.rm(path.join(workDir, f), { force: true });
  const pool = await Promise.all(Array.from({ length: PHOTOS * 2 }, (_, i) => phonePhoto(i)));
  for (let i = 0; i < FILES; i++) {
    const photos = Array.from({ length: PHOTOS }, (_, k) => pool[(i + k) % pool.length] as Buffer);
    await fs.writeFile(path.join(workDir, `bai-${String(i + 1).padStart(3, '0')}.docx`), await realisticDocx(i, photos));
  }
  await fs.writeFile(marker, '');
}
const files = (await fs.readdir(workDir)).filter((f) => f.endsWith('.docx')).sort();
const first = await fs.readFile(path.join(workDir, files[0] ?? ''));
const check = await importDocument(first, files[0] ?? 'x.docx');
if (check.images.length !== PHOTOS || !check.title) throw new Error(`benchmark document did not import as expected: ${check.images.length} images, title ${check.title}`);

const single: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  await importDocument(first, files[0] ?? 'x.docx');
  single.push(performance.now() - t0);
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let bytesIn = 0;
for (const f of files) {
  const bytes = await fs.readFile(path.join(workDir, f));
  bytesIn += bytes.length;
  await importDocument(bytes, f);
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const result = {
  bench: 'import',
  machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  document: { pages: PAGES, photos: PHOTOS, megapixels: MEGAPIXELS, bytes: first.length },
  singleDocMedianMs: Math.round(median(single)),
  singleDocRunsMs: single.map(Math.round),
  files: files.length,
  totalMiB: Math.round(bytesIn / 1048576),
  seconds: Number(seconds.toFixed(2)),
  filesPerSecond: Number((files.length / seconds).toFixed(2)),
  // CPU time (all threads, incl. libvips) per file: comparable across runs even when the machine is busy.
  cpuMsPerFile: Math.round((cpu.user + cpu.system) / 1000 / files.length),
  loadAverage1m: Number(os.loadavg()[0]?.toFixed(1)),
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(JSON.stringify(result) + '\n');
