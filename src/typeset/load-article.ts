/**
 * One article file → PlannedArticle: metadata validated against the front-matter schema (unknown keys
 * are errors), body sanitized, images measured. Problems are returned, not thrown, so the loader can
 * report every article's problems in one go.
 */
import type { Problem } from '../domain/errors.ts';
import { FrontMatterSchema } from './issue-schema.ts';
import type { Finding, ImageRef, PlannedArticle } from './model.ts';
import { measureImage } from './measure-image.ts';
import { readArticle } from './article-source.ts';
import { sanitizeArticle } from './sanitize-article.ts';
import { zodProblems } from './yaml-source.ts';

export interface ArticleInput {
  /** realpath of the issue dir */
  root: string;
  abs: string;
  /** relative to the issue dir, forward slashes */
  source: string;
  /** path as people know it (issue dir as given + source), for messages */
  display: string;
  id: string;
}

export interface LoadedArticle {
  article?: PlannedArticle;
  problems: Problem[];
  findings: Finding[];
}

export async function loadArticle(input: ArticleInput): Promise<LoadedArticle> {
  const { display, id, source } = input;
  const read = await readArticle(input.abs, display);
  const findings: Finding[] = read.findings.map((f) => ({ ...f, article: id, file: source }));
  const problems: Problem[] = [];

  const meta = FrontMatterSchema.safeParse(read.meta);
  if (!meta.success) {
    const where = read.metaSource ? 'front matter' : 'metadata';
    problems.push(...zodProblems(meta.error, display, read.metaSource).map((p) => ({ ...p, field: p.field ? `${where}.${p.field}` : where })));
  }

  const clean = sanitizeArticle(read.rawHtml, { root: input.root, articleFile: input.abs, source, articleId: id, embedded: read.embedded });
  findings.push(...clean.findings);
  problems.push(...clean.problems.map((p) => ({ ...p, file: display })));

  const images: ImageRef[] = [];
  for (const img of clean.images) {
    if (!('abs' in img)) {
      images.push({ ...img, usedBy: id });
      continue;
    }
    const measured = await measureImage(img.abs, { src: img.src, usedBy: id });
    if ('image' in measured) images.push(measured.image);
    else problems.push({ file: display, field: 'img src', message: measured.problem, expected: measured.expected });
  }
  if (problems.length > 0 || !meta.success) return { problems, findings };

  const fm = meta.data;
  const article: PlannedArticle = {
    id,
    source,
    title: fm.title,
    bodyHtml: clean.html,
    images: dedupeImages(images),
    ...(fm.subtitle ? { subtitle: fm.subtitle } : {}),
    ...(fm.lead ? { lead: fm.lead } : {}),
    ...(fm.author ? { author: fm.author } : {}),
    ...(fm.unit ? { unit: fm.unit } : {}),
    ...(fm.date ? { date: fm.date } : {}),
  };
  return { article, problems, findings };
}

function dedupeImages(images: ImageRef[]): ImageRef[] {
  const seen = new Set<string>();
  return images.filter((i) => (seen.has(i.src) ? false : (seen.add(i.src), true)));
}
