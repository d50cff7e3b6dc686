/**
 * Lossless rotation of phone photos with libjpeg-turbo's `jpegtran` (Debian: libjpeg-turbo-progs), used
 * only when it is installed: the caller looks it up once and passes the path in. A portrait photo from a
 * phone is stored sideways with EXIF orientation 6; turning its pixels through sharp means a full decode and
 * re-encode (~0.24 s of CPU for 12 MP and a generation of JPEG loss), while jpegtran moves the compressed
 * 8×8 blocks (~0.11 s of CPU including the process start, no loss). `-perfect` refuses sizes whose edge
 * blocks cannot move whole (then sharp does it, nothing is trimmed); `-copy none` drops every metadata
 * segment. jpegtran exits non-zero on damaged data (its warnings count), so the caller falls back to sharp,
 * which names the damage.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** jpegtran's transform for each EXIF orientation (2–8) that is not upright. */
const TRANSFORM: Readonly<Record<number, readonly string[]>> = {
  2: ['-flip', 'horizontal'],
  3: ['-rotate', '180'],
  4: ['-flip', 'vertical'],
  5: ['-transpose'],
  6: ['-rotate', '90'],
  7: ['-transverse'],
  8: ['-rotate', '270'],
};

/** Path of `jpegtran` on PATH, or undefined. */
export function findJpegtran(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'jpegtran');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry; keep looking
    }
  }
  return undefined;
}

/**
 * The JPEG turned upright without re-encoding, metadata-free; undefined when jpegtran cannot do it
 * perfectly (odd size, progressive oddities, damaged data) — the caller then uses sharp, which also reports
 * real damage.
 */
export function losslessUpright(bin: string, input: Uint8Array, orientation: number, timeoutMs = 30_000): Promise<Buffer | undefined> {
  const transform = TRANSFORM[orientation];
  if (!transform) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const child = execFile(bin, [...transform, '-perfect', '-copy', 'none'], { encoding: 'buffer', maxBuffer: input.length * 4 + 1_048_576, timeout: timeoutMs }, (err, stdout) => {
      // Any failure only means "not this way": sharp's path follows and explains real problems.
      resolve(err || stdout.length === 0 ? undefined : stdout);
    });
    child.stdin?.on('error', () => undefined); // jpegtran may exit before reading everything (refused size)
    child.stdin?.end(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  });
}
