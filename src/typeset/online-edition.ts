/**
 * The online edition ("Đọc trực tuyến") written beside the PDFs: `<out>/online/index.html`, its
 * stylesheet `online.css` and `images/img-NNN.jpg` (pictures re-encoded at most ONLINE_IMAGE_WIDTH px
 * wide for slow links). Made in the same build as the PDFs from the same IssuePlan, so the rendition's
 * sha256 list freezes it at sign-off together with them. The layout supplies the page
 * (`layouts/<name>/online/index.hbs` + `online.css`); a layout without one gets no online edition.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import sharp from 'sharp';
import { pathExists, replaceDirAtomic } from '../atomic-file.ts';
import { BadInputError } from '../domain/errors.ts';
import type { LayoutSource } from './layout.ts';
import type { BuildResult, IssuePlan } from './model.ts';
import { renderOnlineHtml, type OnlineImage, type OnlinePages } from './online-html.ts';

export const ONLINE_DIR = 'online';
export const ONLINE_INDEX = `${ONLINE_DIR}/index.html`;
/** Wide enough for a 1366 px screen's text column and a phone at 3× density; a fraction of the print file. */
export const ONLINE_IMAGE_WIDTH = 1000;

const TEMPLATE = 'index.hbs';
const STYLESHEET = 'online.css';

type FileRecord = BuildResult['files'][number];

/** Writes the online edition into `<outDir>/online/` (replacing an earlier one at once); [] when the layout has none. */
export async function writeOnlineEdition(outDir: string, plan: IssuePlan, pages: OnlinePages, layouts: LayoutSource): Promise<FileRecord[]> {
  const layoutDir = path.join(path.resolve(layouts.layoutsDir, plan.layout), ONLINE_DIR);
  const source = await readIfPresent(path.join(layoutDir, TEMPLATE));
  if (source === undefined) return [];
  const css = await fs.readFile(path.join(layoutDir, STYLESHEET));
  const { html, images } = renderOnlineHtml(plan, pages, compile(source));

  const written = await replaceDirAtomic(path.join(outDir, ONLINE_DIR), async (tmp) => {
    await fs.mkdir(path.join(tmp, 'images'));
    const files: Array<{ name: string; bytes: Uint8Array }> = [];
    let page = html;
    for (const image of images) {
      const { bytes, width, height } = await downsample(plan.dir, image);
      files.push({ name: image.name, bytes });
      // Known picture sizes keep the text from jumping while pictures arrive on a slow link.
      page = page.split(`<img src="${image.name}"`).join(`<img src="${image.name}" width="${width}" height="${height}" loading="lazy" decoding="async"`);
    }
    files.unshift({ name: 'index.html', bytes: Buffer.from(page, 'utf8') }, { name: STYLESHEET, bytes: css });
    for (const f of files) await fs.writeFile(path.join(tmp, f.name), f.bytes);
    return files;
  });
  return written.map((f) => ({ name: `${ONLINE_DIR}/${f.name}`, bytes: f.bytes.length, sha256: crypto.createHash('sha256').update(f.bytes).digest('hex') }));
}

function compile(source: string): (context: object) => string {
  const hbs = Handlebars.create();
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  return hbs.compile(source.normalize('NFC'), { strict: false, preventIndent: true });
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * A plain JPEG at most ONLINE_IMAGE_WIDTH px wide, upright (EXIF orientation applied), no metadata,
 * transparency on white. The source was checked and measured when the plan was loaded.
 */
async function downsample(issueDir: string, image: OnlineImage): Promise<{ bytes: Buffer; width: number; height: number }> {
  const input = image.source.startsWith('data:') ? dataUriBytes(image.source) : await sourceFile(issueDir, image.source);
  const { data, info } = await sharp(input)
    .rotate()
    .resize({ width: ONLINE_IMAGE_WIDTH, withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    // Plain libjpeg at q70 is as small as mozjpeg at q78 for photos at this size and over twice as fast
    // (measured: 6 camera photos, 398 vs 378 KB, 0.6-1.4 s vs 1.1-2.8 s at load ~21); every typeset job pays it.
    .jpeg({ quality: 70, progressive: true, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}

/**
 * The file behind an issue-relative img src. The loader percent-encodes names whose on-disk spelling is
 * not NFC (sanitize-article.ts keepSpelling: an issue copied from a Mac), so the encoded form is tried
 * when the name as written is not there. Either way the file must lie inside the issue directory.
 */
async function sourceFile(issueDir: string, src: string): Promise<string> {
  const asWritten = path.join(issueDir, src);
  const file = (await pathExists(asWritten)) ? asWritten : path.join(issueDir, decodeURI(src));
  const rel = path.relative(issueDir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new BadInputError(`picture "${src}" is outside the issue directory`, { field: 'img src', expected: 'a picture inside the issue directory' });
  return file;
}

function dataUriBytes(uri: string): Buffer {
  const comma = uri.indexOf(',');
  return Buffer.from(uri.slice(comma + 1), 'base64');
}
