/**
 * Generates the illustrative photos of the sample issue (issues/2026-11/images/*.jpg).
 * No photo can be downloaded on the build machines, so the scenes are drawn as SVG
 * (scripts/sample-photos/scenes.ts), rasterised by sharp, given film grain and saved as JPEG q82.
 *
 *   node bin/run-ts.mjs scripts/make-sample-photos.ts [outDir]
 *
 * Grain matters: flat vector fills compress to a few KB and do not exercise the PDF pipeline the way
 * real photos do. The script adjusts grain per image until the JPEG lands in 150–600 KB, and fails
 * loudly if it cannot (the repository must stay small: all images < 6 MB).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { SCENES, type Scene } from './sample-photos/scenes.ts';
import { seededRng } from './sample-photos/svg-kit.ts';

const MIN_BYTES = 150 * 1024;
const MAX_BYTES = 600 * 1024;
const MAX_TOTAL_BYTES = 6 * 1024 * 1024;
const JPEG_QUALITY = 82;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'issues/2026-11/images'));

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

async function encode(scene: Scene, raw: Buffer, grain: number): Promise<Buffer> {
  return sharp(addGrain(raw, grain, scene.seed * 7919), {
    raw: { width: scene.width, height: scene.height, channels: 3 },
  })
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
    .withMetadata({ density: 300 })
    .toBuffer();
}

/** Binary search on grain amplitude for a size inside [MIN_BYTES, MAX_BYTES]. */
async function encodeWithinBudget(scene: Scene, raw: Buffer): Promise<{ jpeg: Buffer; grain: number }> {
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

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  let total = 0;
  for (const scene of SCENES) {
    const raw = await rasterise(scene);
    const { jpeg, grain } = await encodeWithinBudget(scene, raw);
    const target = path.join(outDir, scene.file);
    await writeFile(`${target}.tmp`, jpeg);
    await rename(`${target}.tmp`, target);
    total += jpeg.length;
    process.stderr.write(`${scene.file}: ${scene.width}x${scene.height}, ${(jpeg.length / 1024).toFixed(0)} KB, grain ${grain.toFixed(1)}\n`);
  }
  process.stderr.write(`total ${(total / 1024 / 1024).toFixed(2)} MB in ${SCENES.length} images → ${outDir}\n`);
  if (total > MAX_TOTAL_BYTES) throw new Error(`images total ${total} bytes, over the ${MAX_TOTAL_BYTES} budget`);
}

await main();
