/**
 * An issue of the app → the file-based issue format of DESIGN.md (`issues/<slug>/`): issue.yaml with the
 * bulletin profile inline, one `articles/NN-slug.html` per article with YAML front matter, and the
 * article photos copied from the picture store to `images/<sha256>.jpg|png` (bodies written before the
 * picture store may still embed data: URIs; those are written out as `images/NN-k.jpg`). The typeset job builds this
 * directory with the same engine as `bantin build`, and "export to zip" hands out the same files, so the
 * CLI and the app can never disagree about what an issue contains.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadJsZip } from '../lazy-deps.ts';
import { stringify } from 'yaml';
import { RuleViolation } from '../domain/errors.ts';
import type { Issue, IssueSectionPlan } from '../domain/issue.ts';
import { slugify } from '../domain/vi-text.ts';
import { MEDIA_SRC } from '../domain/picture.ts';
import type { Store } from '../store/index.ts';

export interface ExportedIssue {
  dir: string;
  slug: string;
  /** Relative file paths written, issue.yaml first */
  files: string[];
}

const DATA_IMAGE = /\bsrc\s*=\s*(["'])data:image\/(jpeg|jpg|png);base64,([A-Za-z0-9+/=\s]+)\1/gi;

export function issueSlug(issue: Issue): string {
  return `${issue.year}-${String(issue.number).padStart(2, '0')}${issue.version > 1 ? `-v${issue.version}` : ''}`;
}

/**
 * Writes the issue under `parentDir/<slug>/` (which must not exist yet) and returns where. `plan`
 * defaults to the issue's stored plan; the single-article preview passes a one-article plan instead.
 */
export async function exportIssue(store: Store, issue: Issue, parentDir: string, plan: readonly IssueSectionPlan[] = store.issues.plan(issue.id)): Promise<ExportedIssue> {
  const bulletin = store.bulletin.get();
  if (!bulletin) throw new RuleViolation('the bulletin profile is not set (PUT /api/v1/bulletin first)', { userMessage: 'Chưa khai báo thông tin bản tin.' });
  const slug = issueSlug(issue);
  const dir = path.join(parentDir, slug);
  await fs.mkdir(path.join(dir, 'articles'), { recursive: true });
  const files: string[] = [];
  const write = async (rel: string, data: string | Uint8Array): Promise<void> => {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), data);
    files.push(rel);
  };

  // The typesetter reads only the issue directory, so every picture an article uses is copied in, once.
  const copied = new Set<string>();
  const copyPicture = async (fileName: string, articleId: number): Promise<string> => {
    const img = `images/${fileName}`;
    if (copied.has(img)) return img;
    await fs.mkdir(path.join(dir, 'images'), { recursive: true });
    try {
      await fs.copyFile(store.media.pathOf(fileName), path.join(dir, img));
    } catch (err) {
      throw new RuleViolation(`article ${articleId} uses picture ${fileName}, whose file is missing from the data dir`, { cause: err, userMessage: 'Một ảnh của bài không còn trong kho ảnh.' });
    }
    copied.add(img);
    files.push(img);
    return img;
  };

  let n = 0;
  const sections: { title: string; articles: string[] }[] = [];
  for (const section of plan) {
    const sources: string[] = [];
    for (const articleId of section.articleIds) {
      const article = store.articles.get(articleId);
      if (!article) throw new RuleViolation(`article ${articleId} of the plan no longer exists`, { userMessage: 'Một bài trong số đã bị xóa.' });
      n += 1;
      const nn = String(n).padStart(2, '0');
      const rel = `articles/${nn}-${slugify(article.title) || 'bai'}.html`;
      let k = 0;
      const pending: [string, Buffer][] = [];
      let body = article.bodyHtml.replace(DATA_IMAGE, (_all, quote: string, format: string, data: string) => {
        k += 1;
        const img = `images/${nn}-${k}.${format === 'png' ? 'png' : 'jpg'}`;
        pending.push([img, Buffer.from(data.replace(/\s+/g, ''), 'base64')]);
        return `src=${quote}${img}${quote}`; // resolved against the issue dir, like the sample issue
      });
      for (const [img, bytes] of pending) await write(img, bytes);
      const pictures = new Map<string, string>();
      for (const m of body.matchAll(MEDIA_SRC)) {
        const fileName = `${m[2]}.${m[3]}`;
        if (!pictures.has(fileName)) pictures.set(fileName, await copyPicture(fileName, article.id));
      }
      body = body.replace(MEDIA_SRC, (_all, quote: string, sha: string, ext: string) => `src=${quote}${pictures.get(`${sha}.${ext}`)}${quote}`);
      const unit = article.unitId === null ? undefined : store.units.get(article.unitId)?.name;
      const front = compact({ title: article.title, subtitle: article.subtitle, lead: article.lead, author: article.author, unit });
      await write(rel, `---\n${stringify(front).trimEnd()}\n---\n${body}\n`);
      sources.push(rel);
    }
    sections.push({ title: section.title, articles: sources });
  }

  const distribution = store.issues.distribution(issue.id).map((d) => ({ unit: d.unit, copies: d.copies }));
  const yaml = compact({
    // The file format's bulletin keys only: the profile's app settings (default trim, legal limits) are not
    // part of an issue; the job worker hands the legal limits to the engine itself.
    bulletin: { name: bulletin.name, publisher: bulletin.publisher, address: bulletin.address, responsible: bulletin.responsible, licence: { ...bulletin.licence }, frequency: bulletin.frequency, printShop: bulletin.printShop },
    number: issue.number,
    date: issue.date,
    printRun: issue.printRun,
    layout: issue.layout,
    trim: { width: `${issue.trim.widthMm}mm`, height: `${issue.trim.heightMm}mm` },
    bleed: issue.bleedMm === 0 ? 0 : `${issue.bleedMm}mm`,
    colours: issue.colours,
    binding: issue.binding,
    paper: issue.paper,
    sections,
    distribution: distribution.length ? distribution : undefined,
  });
  await fs.writeFile(path.join(dir, 'issue.yaml'), `# Exported from bantin: issue ${issue.id}, version ${issue.version}\n${stringify(yaml)}`);
  files.unshift('issue.yaml');
  return { dir, slug, files };
}

/** The exported directory as a zip with `<slug>/` at its root (DESIGN.md: an issue can be re-imported). */
export async function zipExport(exported: ExportedIssue): Promise<Buffer> {
  const JSZip = await loadJsZip();
  const zip = new JSZip();
  for (const rel of exported.files) zip.file(`${exported.slug}/${rel}`, await fs.readFile(path.join(exported.dir, rel)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Drops null/undefined/empty-string values: the front-matter and issue schemas reject empty text. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== '')) as Partial<T>;
}
