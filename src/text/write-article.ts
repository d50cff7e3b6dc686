/**
 * Writes an imported article in the issue file format (DESIGN.md): `article.md` (YAML front matter +
 * body) and `images/`. Atomic: everything goes into a temporary sibling directory that is renamed into
 * place at the end, so a failed import leaves nothing behind and a reader never sees half an article.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import YAML from 'yaml';
import { BadInputError } from '../domain/errors.ts';
import type { ImportedArticle } from './import.ts';
import { htmlToMarkdown } from './markdown.ts';

export interface WriteOptions {
  /** Replace an existing non-empty output directory */
  force?: boolean;
}

async function isEmptyDirOrMissing(dir: string): Promise<'missing' | 'empty' | 'full' | 'file'> {
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory()) return 'file';
    return (await fs.readdir(dir)).length === 0 ? 'empty' : 'full';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}

/** Refuses an output path that is a file, or a non-empty directory without `force` — before any work is done. */
export async function checkOutputDir(out: string, opts: WriteOptions = {}): Promise<void> {
  const state = await isEmptyDirOrMissing(out);
  if (state === 'file') throw new BadInputError('the output path is a file', { field: '--out', file: out, expected: 'a new or empty directory' });
  if (state === 'full' && !opts.force) {
    throw new BadInputError('the output directory already exists and is not empty', { field: '--out', file: out, expected: 'a new or empty directory (or --force to replace it)' });
  }
}

/**
 * The article.md text: front matter + body. Keys the document did not make clear are left out (the issue
 * format has them optional); importDocument always supplies a title (the file name when nothing better).
 */
export function articleMarkdown(a: ImportedArticle): string {
  const front: Record<string, string> = { title: a.title ?? '' };
  if (a.author) front.author = a.author;
  if (a.unit) front.unit = a.unit;
  if (a.subtitle) front.subtitle = a.subtitle;
  if (a.lead) front.lead = a.lead;
  const yaml = YAML.stringify(front, { lineWidth: 0 });
  const body = htmlToMarkdown(a.bodyHtml);
  return `---\n${yaml}---\n\n${body}\n`.normalize('NFC');
}

/** Writes `article.md` and `images/` into `out` atomically; returns the paths written (relative to out). */
export async function writeArticleDir(out: string, article: ImportedArticle, opts: WriteOptions = {}): Promise<string[]> {
  await checkOutputDir(out, opts);
  const parent = path.dirname(path.resolve(out));
  await fs.mkdir(parent, { recursive: true });
  const tmp = path.join(parent, `.${path.basename(out)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const written: string[] = [];
  try {
    await fs.mkdir(tmp);
    await fs.writeFile(path.join(tmp, 'article.md'), articleMarkdown(article), 'utf8');
    written.push('article.md');
    // images/ always exists (the file format's place for pictures), empty when the article has none.
    await fs.mkdir(path.join(tmp, 'images'));
    for (const img of article.images) {
      await fs.writeFile(path.join(tmp, 'images', img.name), img.bytes);
      written.push(`images/${img.name}`);
    }
    await moveIntoPlace(tmp, path.resolve(out), opts);
    return written;
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function moveIntoPlace(tmp: string, out: string, opts: WriteOptions): Promise<void> {
  const state = await isEmptyDirOrMissing(out);
  if (state === 'empty') await fs.rmdir(out);
  if (state === 'full') {
    if (!opts.force) throw new BadInputError('the output directory appeared while importing', { file: out, expected: 'a new or empty directory' });
    const old = `${tmp}.old`;
    await fs.rename(out, old);
    await fs.rename(tmp, out);
    await fs.rm(old, { recursive: true, force: true });
    return;
  }
  await fs.rename(tmp, out);
}
