/**
 * Import benchmark (issue #4): how fast `importDocument` turns realistic submissions into articles, and
 * where the time goes.
 *   node bin/run-ts.mjs bench/import.ts [--files 100] [--photos 5] [--pages 10] [--reps 5]
 * 1. One 10-page TCVN3 .docx with 5 phone photos, four ways: 3 MP (what Word's default "compress pictures"
 *    leaves) and 12 MP (the phone's original), each with the photos upright (EXIF orientation 1) and turned
 *    (orientation 6, a portrait shot — pixels must be rotated, so decoded and re-encoded). Median of --reps
 *    imports, and CPU time per import (comparable across runs when the shared machine is busy). Target < 1 s.
 * 2. Where the time goes: the same document without photos (zip + XML + mammoth + sanitizing), and one
 *    12 MP photo through processImage, upright and turned.
 * 3. A folder of --files such documents (3 MP, half the photos turned; bench/work/import/, generated once)
 *    imported one after another: files/s and peak RSS.
 * Prints a JSON line and rewrites the "latest run" block of bench/RESULTS-import.md (the analysis around
 * it is kept).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { importDocument } from '../src/text/import.ts';
import { processImage } from '../src/text/images.ts';
import { findJpegtran } from '../src/text/jpegtran.ts';
import { encodeTcvn3 } from '../src/text/encodings/tcvn3.ts';
import { buildDocx, type ParagraphSpec } from '../test/text/helpers/docx-builder.ts';

const { values } = parseArgs({
  options: { files: { type: 'string', default: '100' }, photos: { type: 'string', default: '5' }, pages: { type: 'string', default: '10' }, reps: { type: 'string', default: '5' } },
});
const FILES = Number(values.files);
const PHOTOS = Number(values.photos);
const PAGES = Number(values.pages);
const REPS = Number(values.reps);
const workDir = path.resolve('bench/work/import');
// As `bantin import` does: jpegtran turns sideways photos losslessly when installed (libjpeg-turbo-progs).
const jpegtran = findJpegtran(process.env);
const options = jpegtran ? { jpegtran } : {};
const resultsFile = path.resolve('bench/RESULTS-import.md');

const SENTENCES = [
  'Thực hiện Nghị quyết của Ban Chấp hành Đảng bộ tỉnh, các cấp ủy đã tập trung lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị của địa phương.',
  'Công tác xây dựng Đảng được quan tâm, chất lượng sinh hoạt chi bộ từng bước được nâng lên, vai trò tiên phong của đảng viên được phát huy.',
  'Đảng ủy xã đã chỉ đạo các chi bộ ấp tổ chức học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với thực hiện nhiệm vụ.',
  'Qua đó, nhiều mô hình hay, cách làm hiệu quả được nhân rộng, góp phần hoàn thành thắng lợi các chỉ tiêu kinh tế – xã hội năm 2026.',
];
const vn = (s: string): string => [...s].map((ch) => ((ch.codePointAt(0) ?? 0) > 0xff && !/\p{L}/u.test(ch) ? ch : String.fromCharCode(...encodeTcvn3(ch)))).join('');

/** A phone-like photo: noise + blur so it compresses like a real picture, EXIF (camera, GPS) and the given orientation. */
async function phonePhoto(seed: number, megapixels: number, orientation: number): Promise<Buffer> {
  // 12 MP = 4032×3024, the 4:3 sensor size of today's phones; 3 MP = 2000×1500, an arbitrary size as Word's picture compression leaves.
  const [width, height] = megapixels === 12 ? [4032, 3024] : [Math.round(Math.sqrt((megapixels * 1e6 * 4) / 3)), Math.round(Math.sqrt((megapixels * 1e6 * 3) / 4))];
  const noise = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 110 + (seed % 40), sigma: 40 } } }).raw().toBuffer();
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .blur(2.5)
    .withMetadata({ orientation, exif: { IFD0: { Make: 'Samsung', Model: 'Galaxy A54' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '11/1 18/1 0/1' } } })
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
    if (photos.length > 0 && p % Math.ceil(bodyParagraphs / photos.length) === 3 && photoIndex < photos.length) paragraphs.push({ image: photoIndex });
  }
  return buildDocx({ defaultFont: '.VnTime', paragraphs, images: photos.map((bytes) => ({ bytes, ext: 'jpeg' as const })) });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** CPU ms used so far by this process (all threads, incl. libvips) and its finished children (jpegtran). */
async function cpuMsSoFar(): Promise<number> {
  const own = process.cpuUsage();
  // /proc/self/stat fields 16–17 (after the command name): children's user and system time in clock ticks (100/s).
  const fields = (await fs.readFile('/proc/self/stat', 'utf8')).replace(/^.*\) /s, '').split(' ');
  const childTicks = Number(fields[13]) + Number(fields[14]);
  return (own.user + own.system) / 1000 + childTicks * 10;
}

/** Median wall time and mean CPU time (this process and its children) of `reps` runs, after one warm-up. */
async function measure(run: () => Promise<unknown>): Promise<{ medianMs: number; cpuMs: number; runsMs: number[] }> {
  await run();
  const runs: number[] = [];
  const cpu0 = await cpuMsSoFar();
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await run();
    runs.push(performance.now() - t0);
  }
  const cpu = (await cpuMsSoFar()) - cpu0;
  return { medianMs: Math.round(median(runs)), cpuMs: Math.round(cpu / REPS), runsMs: runs.map(Math.round) };
}

async function singleDocument(megapixels: number, orientation: number): Promise<{ medianMs: number; cpuMs: number; runsMs: number[]; bytes: number }> {
  const photos = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => phonePhoto(i, megapixels, orientation)));
  const docx = await realisticDocx(0, photos);
  const check = await importDocument(docx, 'bai.docx', options);
  if (check.images.length !== PHOTOS || !check.title) throw new Error(`benchmark document did not import as expected: ${check.images.length} images, title ${check.title}`);
  return { ...(await measure(() => importDocument(docx, 'bai.docx', options))), bytes: docx.length };
}

const scenarios: Record<string, Awaited<ReturnType<typeof singleDocument>>> = {};
for (const mp of [3, 12]) {
  for (const [label, orientation] of [['upright', 1], ['turned', 6]] as const) scenarios[`${mp}MP-${label}`] = await singleDocument(mp, orientation);
}
const textOnlyDocx = await realisticDocx(0, []);
const textOnly = await measure(() => importDocument(textOnlyDocx, 'chu.docx', options));
const [upright12, turned12] = await Promise.all([phonePhoto(1, 12, 1), phonePhoto(1, 12, 6)]);
const photoUpright = await measure(() => processImage(upright12, 'upright.jpg'));
const photoTurned = await measure(() => processImage(turned12, 'turned.jpg'));
const photoTurnedJpegtran = jpegtran ? await measure(() => processImage(turned12, 'turned.jpg', undefined, { jpegtran })) : undefined;

await fs.mkdir(workDir, { recursive: true });
const marker = path.join(workDir, `.generated-v2-${FILES}-${PHOTOS}-3-${PAGES}`);
if (!(await fs.access(marker).then(() => true, () => false))) {
  process.stderr.write(`generating ${FILES} documents in ${workDir} …\n`);
  for (const f of await fs.readdir(workDir)) await fs.rm(path.join(workDir, f), { force: true });
  const pool = await Promise.all(Array.from({ length: PHOTOS * 2 }, (_, i) => phonePhoto(i, 3, i % 2 === 0 ? 1 : 6)));
  for (let i = 0; i < FILES; i++) {
    const photos = Array.from({ length: PHOTOS }, (_, k) => pool[(i + k) % pool.length] as Buffer);
    await fs.writeFile(path.join(workDir, `bai-${String(i + 1).padStart(3, '0')}.docx`), await realisticDocx(i, photos));
  }
  await fs.writeFile(marker, '');
}
const files = (await fs.readdir(workDir)).filter((f) => f.endsWith('.docx')).sort();
const t0 = performance.now();
let bytesIn = 0;
for (const f of files) {
  const bytes = await fs.readFile(path.join(workDir, f));
  bytesIn += bytes.length;
  await importDocument(bytes, f, options);
}
const seconds = (performance.now() - t0) / 1000;

const result = {
  bench: 'import',
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  document: { pages: PAGES, photos: PHOTOS },
  singleDocument: scenarios,
  textOnly,
  jpegtran: jpegtran ?? null,
  oneTwelveMpPhoto: { upright: photoUpright, turned: photoTurned, turnedWithJpegtran: photoTurnedJpegtran ?? null },
  folder: { files: files.length, totalMiB: Math.round(bytesIn / 1048576), seconds: Number(seconds.toFixed(2)), filesPerSecond: Number((files.length / seconds).toFixed(2)) },
  loadAverage1m: Number(os.loadavg()[0]?.toFixed(1)),
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(JSON.stringify(result) + '\n');

const row = (name: string, r: { medianMs: number; cpuMs: number; runsMs: number[] }): string => `| ${name} | ${r.medianMs} | ${r.cpuMs} | ${r.runsMs.join(', ')} |`;
const block = [
  '<!-- bench:import:start (written by bench/import.ts) -->',
  `Latest run: ${result.date}, ${result.machine}, load average (1 min) ${result.loadAverage1m} at the end, ${REPS} runs each; jpegtran ${jpegtran ? `used (${jpegtran})` : 'not installed (sideways photos re-encoded by sharp)'}.`,
  `Command: \`node bin/run-ts.mjs bench/import.ts --files ${FILES} --photos ${PHOTOS} --pages ${PAGES} --reps ${REPS}\``,
  '',
  '| what | median ms (wall) | CPU ms per run (incl. jpegtran) | runs ms |',
  '|---|---|---|---|',
  ...Object.entries(scenarios).map(([k, v]) => row(`${PAGES}-page docx, ${PHOTOS} photos ${k.replace('-', ' ')} (${(v.bytes / 1048576).toFixed(1)} MB)`, v)),
  row(`same docx, no photos (zip, XML, mammoth, sanitize)`, textOnly),
  row('one 12 MP photo, upright (metadata cut, 1/8 check decode)', photoUpright),
  row('one 12 MP photo, turned, sharp (decode, rotate, re-encode)', photoTurned),
  ...(photoTurnedJpegtran ? [row('one 12 MP photo, turned, jpegtran (lossless, child process)', photoTurnedJpegtran)] : []),
  '',
  `Folder: ${result.folder.files} files (${result.folder.totalMiB} MiB, 3 MP photos, half turned) in ${result.folder.seconds} s = **${result.folder.filesPerSecond} files/s**; peak RSS of the process ${result.peakRssMiB} MiB.`,
  '<!-- bench:import:end -->',
].join('\n');
const previous = await fs.readFile(resultsFile, 'utf8').catch(() => '# Import benchmark (bench/import.ts)\n\n<!-- bench:import:start -->\n<!-- bench:import:end -->\n');
const updated = previous.replace(/<!-- bench:import:start[\s\S]*?<!-- bench:import:end -->/, block);
await fs.writeFile(resultsFile, updated.includes(block) ? updated : `${previous.trimEnd()}\n\n${block}\n`);
