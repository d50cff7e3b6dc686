/**
 * Generates the illustrative photos of the sample issue (issues/2026-11/images/*.jpg) and its cover
 * (issues/2026-11/cover.jpg, scripts/sample-photos/cover.ts).
 * No photo can be downloaded on the build machines, so the scenes are drawn as SVG
 * (scripts/sample-photos/scenes.ts), rasterised by sharp, given film grain and saved as JPEG q82.
 *
 *   node bin/run-ts.mjs scripts/make-sample-photos.ts [issueDir]
 *
 * Grain matters: flat vector fills compress to a few KB and do not exercise the PDF pipeline the way
 * real photos do. The script adjusts grain per image until the JPEG lands in 150–600 KB, and fails
 * loudly if it cannot (the repository must stay small: all images < 6 MB).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { COVER, renderCover } from './sample-photos/cover.ts';
import { SCENES, type Scene } from './sample-photos/scenes.ts';
import { seededRng } from './sample-photos/svg-kit.ts';

const MIN_BYTES = 150 * 1024;
const MAX_BYTES = 600 * 1024;
const MAX_TOTAL_BYTES = 6 * 1024 * 1024;
const JPEG_QUALITY = 82;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const issueDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'issues/2026-11'));
const imagesDir = path.join(issueDir, 'images');

/** What the encoder needs to know about a picture, whether a scene or the cover. */
type RasterTarget = Pick<Scene, 'file' | 'width' | 'height' | 'seed'>;

async function rasterise(scene: Scene): Promise<Buffer> {
  const svg = scene.draw(scene.width, scene.height, seededRng(scene.seed));
  return sharp(Buffer.from(svg), { density: 72 })
    .resize(scene.width, scene.height, { fit: 'fill' })
    .blur(0.7) // a lens is never as sharp as a vector edge
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** Luminance grain, the same offset on R, G and B so colours do not shift. */
function addGrain(pixels: Buffer, amplitude: number, seed: number): Buffer {
  const rng = seededRng(seed);
  const out = Buffer.from(pixels);
  for (let i = 0; i < out.length; i += 3) {
    const n = (rng() + rng() - 1) * amplitude;
    for (let c = 0; c < 3; c++) {
      const v = (out[i + c] ?? 0) + n;
      out[i + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

async function encode(scene: RasterTarget, raw: Buffer, grain: number): Promise<Buffer> {
  return sharp(addGrain(raw, grain, scene.seed * 7919), {
    raw: { width: scene.width, height: scene.height, channels: 3 },
  })
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
    .withMetadata({ density: 300 })
    .toBuffer();
}

/** Binary search on grain amplitude for a size inside [MIN_BYTES, MAX_BYTES]. */
async function encodeWithinBudget(scene: RasterTarget, raw: Buffer): Promise<{ jpeg: Buffer; grain: number }> {
  let low = 0;
  let high = 40;
  let grain = 12;
  for (let attempt = 0; attempt < 8; attempt++) {
    const jpeg = await encode(scene, raw, grain);
    if (jpeg.length > MAX_BYTES) high = grain;
    else if (jpeg.length < MIN_BYTES) low = grain;
    else return { jpeg, grain };
    grain = (low + high) / 2;
  }
  throw new Error(`${scene.file}: could not reach ${MIN_BYTES}-${MAX_BYTES} bytes (last grain ${grain.toFixed(1)})`);
}

async function writeAtomically(target: string, bytes: Buffer): Promise<void> {
  await writeFile(`${target}.tmp`, bytes);
  await rename(`${target}.tmp`, target);
}

async function main(): Promise<void> {
  await mkdir(imagesDir, { recursive: true });
  let total = 0;
  const report = (t: RasterTarget, bytes: number, grain: number): void => {
    total += bytes;
    process.stderr.write(`${t.file}: ${t.width}x${t.height}, ${(bytes / 1024).toFixed(0)} KB, grain ${grain.toFixed(1)}\n`);
  };
  for (const scene of SCENES) {
    const { jpeg, grain } = await encodeWithinBudget(scene, await rasterise(scene));
    await writeAtomically(path.join(imagesDir, scene.file), jpeg);
    report(scene, jpeg.length, grain);
  }
  const cover = await encodeWithinBudget(COVER, await renderCover(path.join(repoRoot, 'fonts')));
  await writeAtomically(path.join(issueDir, COVER.file), cover.jpeg);
  report(COVER, cover.jpeg.length, cover.grain);
  process.stderr.write(`total ${(total / 1024 / 1024).toFixed(2)} MB in ${SCENES.length + 1} images → ${issueDir}\n`);
  if (total > MAX_TOTAL_BYTES) throw new Error(`images total ${total} bytes, over the ${MAX_TOTAL_BYTES} budget`);
}

await main();
