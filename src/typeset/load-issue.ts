/**
 * Stage 1 of `bantin build`: an issue directory (DESIGN.md "The file-based issue format") → IssuePlan.
 * Everything a person wrote is validated here so later stages can trust the plan: issue.yaml against
 * the schema (unknown keys are errors), every path proven to stay inside the directory, every article
 * parsed, sanitized and NFC, every image measured. All problems found are reported together in one
 * BadInputError (exit 2, nothing written); problems that do not stop a build become findings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BadInputError, type Problem } from '../domain/errors.ts';
import { slugify } from '../domain/vi-text.ts';
import { BulletinFileSchema, IssueSchema, type BulletinInput, type IssueInput } from './issue-schema.ts';
import type { Bulletin, Finding, ImageRef, IssuePlan, PlannedSection } from './model.ts';
import { loadArticle } from './load-article.ts';
import { measureImage } from './measure-image.ts';
import { resolveInside } from './safe-path.ts';
import { badFile, formatPath, parseYaml, zodProblems } from './yaml-source.ts';
import { decodeSourceText } from './source-text.ts';

const COVER_NAMES = ['cover.pdf', 'cover.jpg', 'cover.jpeg', 'cover.png'];

export async function loadIssue(dir: string): Promise<IssuePlan> {
  const root = realDirectory(dir);
  const issueFile = path.join(dir, 'issue.yaml');
  const findings: Finding[] = [];
  const input = readIssueYaml(root, issueFile, findings);
  const problems: Problem[] = [];

  const bulletin = input.bulletin ?? readSharedBulletin(root, issueFile, problems, findings);
  if (bulletin) findings.push(...colophonFindings(bulletin));

  const sources = resolveArticlePaths(root, input.sections, issueFile, problems);
  const coverRef = resolveCover(root, input, issueFile, problems);
  checkDistribution(input, issueFile, problems);
  if (problems.length > 0 || !bulletin) throw badFile(issueFile, problems);

  const sections: PlannedSection[] = [];
  const usedIds = new Set<string>();
  for (const [i, section] of input.sections.entries()) {
    const articles = [];
    for (const [j, ref] of section.articles.entries()) {
      const resolved = sources.get(`${i}/${j}`);
      if (!resolved) continue;
      const id = uniqueId(`a-${slugify(path.basename(ref, path.extname(ref))) || 'bai'}`, usedIds);
      const loaded = await loadArticle({ root, abs: resolved.abs, source: resolved.rel, display: path.join(dir, resolved.rel), id });
      problems.push(...loaded.problems);
      findings.push(...loaded.findings);
      if (loaded.article) articles.push(loaded.article);
    }
    sections.push({ id: `s-${i + 1}`, title: section.title, columns: section.columns, articles });
  }

  let cover: IssuePlan['cover'];
  if (coverRef) {
    const measured = await measureCover(coverRef, path.join(dir, coverRef.rel), problems);
    if (measured) cover = measured;
  }
  if (problems.length > 0) throw badFile(problems[0]?.file ?? issueFile, problems);

  return {
    dir: root,
    slug: path.basename(root),
    bulletin: toBulletin(bulletin),
    number: input.number,
    date: input.date,
    printRun: input.printRun,
    layout: input.layout,
    trim: { widthMm: input.trim.width, heightMm: input.trim.height },
    bleedMm: input.bleed,
    colours: input.colours,
    binding: input.binding,
    paper: input.paper,
    sections,
    cover,
    distribution: input.distribution ?? [],
    findings,
  };
}

function realDirectory(dir: string): string {
  let root: string;
  try {
    root = fs.realpathSync(dir);
  } catch (cause) {
    throw new BadInputError(`issue directory not found: ${dir}`, { file: dir, expected: 'a directory containing issue.yaml', cause });
  }
  if (!fs.statSync(root).isDirectory()) throw new BadInputError(`not a directory: ${dir}`, { file: dir, expected: 'a directory containing issue.yaml' });
  return root;
}

function readIssueYaml(root: string, issueFile: string, findings: Finding[]): IssueInput {
  const abs = path.join(root, 'issue.yaml');
  if (!fs.existsSync(abs)) throw new BadInputError(`${issueFile}: file not found`, { file: issueFile, expected: 'issue.yaml in the issue directory' });
  const source = parseYaml(readYamlText(abs, 'issue.yaml', findings), issueFile);
  const parsed = IssueSchema.safeParse(source.data ?? {});
  if (!parsed.success) {
    // Report unsafe or missing article paths in the same pass as the schema problems.
    const raw = source.data as { sections?: unknown } | null;
    const rawSections = Array.isArray(raw?.sections) ? (raw.sections as unknown[]) : [];
    const pathProblems: Problem[] = [];
    resolveArticlePaths(root, rawSections.map((sec) => ({ articles: (sec as { articles?: unknown } | null)?.articles })), issueFile, pathProblems);
    throw badFile(issueFile, [...zodProblems(parsed.error, issueFile, source), ...pathProblems]);
  }
  return parsed.data;
}

/** DESIGN.md: `bulletin` "may instead live in issues/bulletin.yaml", the parent of the issue directory. */
function readSharedBulletin(root: string, issueFile: string, problems: Problem[], findings: Finding[]): BulletinInput | undefined {
  const abs = path.join(path.dirname(root), 'bulletin.yaml');
  const display = path.join(path.dirname(path.dirname(issueFile)), 'bulletin.yaml');
  if (!fs.existsSync(abs)) {
    problems.push({ file: issueFile, field: 'bulletin', message: `"bulletin" is missing and ${display} does not exist`, expected: 'a bulletin: mapping in issue.yaml or a shared bulletin.yaml beside the issue directories' });
    return undefined;
  }
  const source = parseYaml(readYamlText(abs, '../bulletin.yaml', findings), display);
  const parsed = BulletinFileSchema.safeParse(source.data ?? {});
  if (!parsed.success) {
    // The union hides which branch was meant: a file with a `bulletin:` key meant the wrapped form (its
    // problems are then `bulletin.<key>`), any other file the bare profile.
    const data: unknown = source.data ?? {};
    const wrapped = typeof data === 'object' && data !== null && 'bulletin' in data;
    const meant = (wrapped ? BulletinFileSchema.options[0] : BulletinFileSchema.options[1]).safeParse(data);
    throw badFile(display, zodProblems(meant.error ?? parsed.error, display, source));
  }
  return 'bulletin' in parsed.data ? parsed.data.bulletin : parsed.data;
}

/** A YAML file's text, converted from a legacy encoding when Notepad saved it as "ANSI" (source-text.ts). */
function readYamlText(abs: string, name: string, findings: Finding[]): string {
  const { text, finding } = decodeSourceText(fs.readFileSync(abs), name, `Check the names and colophon in screen.pdf; save ${name} as UTF-8 to be sure.`);
  if (finding) findings.push(finding);
  return text;
}

const COLOPHON_FIELDS: Array<[string, (b: BulletinInput) => string]> = [
  ['publisher', (b) => b.publisher],
  ['address', (b) => b.address],
  ['responsible', (b) => b.responsible],
  ['licence.number', (b) => b.licence.number],
  ['licence.date', (b) => b.licence.date],
  ['licence.issuer', (b) => b.licence.issuer],
  ['frequency', (b) => b.frequency],
  ['printShop', (b) => b.printShop],
];

/** Press Law art. 34: the colophon must carry these; a gap is a preflight error, not a load failure. */
function colophonFindings(b: BulletinInput): Finding[] {
  return COLOPHON_FIELDS.filter(([, get]) => get(b) === '').map(([field]) => ({
    severity: 'error',
    code: 'colophon-missing',
    message: `The colophon lacks bulletin.${field}, which the Press Law requires on the last page`,
    fix: `Fill in bulletin.${field} in issue.yaml or bulletin.yaml.`,
  }));
}

function toBulletin(b: BulletinInput): Bulletin {
  return {
    name: b.name,
    publisher: b.publisher,
    address: b.address,
    responsible: b.responsible,
    licence: { number: b.licence.number, date: b.licence.date, issuer: b.licence.issuer, ...(b.licence.expires ? { expires: b.licence.expires } : {}) },
    frequency: b.frequency,
    printShop: b.printShop,
  };
}

function resolveArticlePaths(root: string, sections: ReadonlyArray<{ articles?: unknown }>, issueFile: string, problems: Problem[]): Map<string, { rel: string; abs: string }> {
  const out = new Map<string, { rel: string; abs: string }>();
  const seen = new Map<string, string>();
  for (const [i, section] of sections.entries()) {
    const refs: unknown[] = Array.isArray(section.articles) ? section.articles : [];
    for (const [j, ref] of refs.entries()) {
      // Not a string: the schema reports it.
      if (typeof ref !== 'string') continue;
      const field = formatPath(['sections', i, 'articles', j]);
      const verdict = resolveInside(root, root, ref);
      if (!verdict.ok) {
        problems.push({ file: issueFile, field, message: verdict.reason, expected: verdict.expected });
        continue;
      }
      if (!/\.(md|markdown|html?|docx)$/i.test(verdict.rel)) {
        problems.push({ file: issueFile, field, message: `unsupported article type: "${ref}"`, expected: 'a .md, .html or .docx file' });
        continue;
      }
      const earlier = seen.get(verdict.rel);
      if (earlier) {
        problems.push({ file: issueFile, field, message: `"${ref}" is already listed at ${earlier}`, expected: 'each article once' });
        continue;
      }
      seen.set(verdict.rel, field);
      out.set(`${i}/${j}`, verdict);
    }
  }
  return out;
}

function resolveCover(root: string, input: IssueInput, issueFile: string, problems: Problem[]): { rel: string; abs: string } | undefined {
  if (input.cover !== undefined) {
    const verdict = resolveInside(root, root, input.cover);
    if (verdict.ok) return verdict;
    problems.push({ file: issueFile, field: 'cover', message: verdict.reason, expected: verdict.expected });
    return undefined;
  }
  // Cameras and Windows write COVER.JPG: the name is matched without regard to case, never silently missed.
  const entries = fs.readdirSync(root);
  for (const name of COVER_NAMES) {
    const onDisk = entries.find((entry) => entry.toLowerCase() === name);
    if (onDisk === undefined) continue;
    const verdict = resolveInside(root, root, onDisk);
    if (verdict.ok) return verdict;
  }
  return undefined;
}

async function measureCover(ref: { rel: string; abs: string }, display: string, problems: Problem[]): Promise<IssuePlan['cover']> {
  if (ref.rel.toLowerCase().endsWith('.pdf')) {
    const head = Buffer.alloc(5);
    const fd = fs.openSync(ref.abs, 'r');
    try {
      fs.readSync(fd, head, 0, 5, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (head.toString('latin1') === '%PDF-') return { src: ref.rel, kind: 'pdf' };
    problems.push({ file: display, field: 'cover', message: 'not a PDF file', expected: 'a PDF (4 pages) or a JPEG/PNG image' });
    return undefined;
  }
  const measured = await measureImage(ref.abs, { src: ref.rel, usedBy: 'cover' });
  if ('problem' in measured) {
    problems.push({ file: display, field: 'cover', message: measured.problem, expected: measured.expected });
    return undefined;
  }
  const image: ImageRef = measured.image;
  return { src: ref.rel, kind: 'image', image };
}

/** DESIGN.md: distribution copies "must sum to printRun" — a mismatch is bad input, not a guess. */
function checkDistribution(input: IssueInput, issueFile: string, problems: Problem[]): void {
  if (!input.distribution) return;
  const sum = input.distribution.reduce((acc, line) => acc + line.copies, 0);
  if (sum !== input.printRun) {
    problems.push({ file: issueFile, field: 'distribution', message: `copies sum to ${sum}, but printRun is ${input.printRun}`, expected: `copies summing to printRun (${input.printRun})` });
  }
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}
