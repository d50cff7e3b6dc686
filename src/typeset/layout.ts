/**
 * A layout (layouts/<name>/) read from disk once: its Handlebars templates compiled in a private
 * Handlebars environment with the Vietnamese formatting helpers, plus where its fonts are. Rendering with
 * a loaded Layout is pure (render-html.ts); this module is the only one that reads layout files.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { NotFoundError } from '../domain/errors.ts';
import { formatDateLongVi, formatDateShortVi, formatMonthVi, formatNumberVi } from '../domain/vi-text.ts';

export type Template = (context: object) => string;

export interface Layout {
  name: string;
  /** layouts/<name> */
  dir: string;
  fontsDir: string;
  /** Paged.js handler scripts of the layout (absolute paths), see RenderedIssue.pagedHandlers */
  pagedHandlers: string[];
  templates: {
    front: Template;
    section: Template;
    back: Template;
    notes: Template;
    /** print.css.hbs: CSS with @page size, margins, running heads and @font-face from the plan */
    printCss: Template;
  };
}

export interface LayoutSource {
  layoutsDir: string;
  fontsDir: string;
}

const TEMPLATE_FILES = { front: 'front.hbs', section: 'section.hbs', back: 'back.hbs', notes: 'notes.hbs', printCss: 'print.css.hbs' } as const;
const PARTIALS = { article: 'article.hbs' } as const;
/** paged-handlers.js first, then any other paged-*.js of the layout, in name order (one handler job per file). */
const HANDLERS_FILE = 'paged-handlers.js';
const HANDLER_FILES = /^paged-[a-z0-9-]+\.js$/;

export function loadLayout(source: LayoutSource, name: string): Layout {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new NotFoundError(`unknown layout "${name}"`, { field: 'layout', expected: 'a layout name like "standard"' });
  const dir = path.resolve(source.layoutsDir, name);
  if (!fs.existsSync(dir)) {
    throw new NotFoundError(`layout "${name}" not found in ${source.layoutsDir}`, { field: 'layout', expected: `one of: ${listLayouts(source.layoutsDir).join(', ')}` });
  }
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const read = (file: string): string => fs.readFileSync(path.join(dir, file), 'utf8').normalize('NFC');
  for (const [partial, file] of Object.entries(PARTIALS)) hbs.registerPartial(partial, read(file));
  const compile = (file: string): Template => hbs.compile(read(file), { strict: false, preventIndent: true });
  return {
    name,
    dir,
    fontsDir: path.resolve(source.fontsDir),
    pagedHandlers: handlerFiles(dir),
    templates: {
      front: compile(TEMPLATE_FILES.front),
      section: compile(TEMPLATE_FILES.section),
      back: compile(TEMPLATE_FILES.back),
      notes: compile(TEMPLATE_FILES.notes),
      // CSS is not HTML: nothing in it may be HTML-escaped; strings go through the `css` helper.
      printCss: hbs.compile(read(TEMPLATE_FILES.printCss), { noEscape: true }),
    },
  };
}

function handlerFiles(dir: string): string[] {
  const names = fs.readdirSync(dir).filter((f) => HANDLER_FILES.test(f));
  const ordered = [...names.filter((f) => f === HANDLERS_FILE), ...names.filter((f) => f !== HANDLERS_FILE).sort()];
  return ordered.map((f) => path.join(dir, f));
}

function listLayouts(layoutsDir: string): string[] {
  try {
    return fs.readdirSync(layoutsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    // Only decorates the "layout not found" message; an unreadable layouts dir lists nothing.
    return [];
  }
}

/**
 * A CSS string literal: `Số 11 – "x"` → `"Số 11 – \"x\""`. `<` and `>` are escaped too, because the CSS
 * ends up inside a <style> element, where a bulletin name containing `</style>` would end it.
 */
export function cssString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r?\n/g, '\\a ')
    .replace(/</g, '\\3c ')
    .replace(/>/g, '\\3e ');
  return `"${escaped}"`;
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('dateLong', (d: unknown) => (typeof d === 'string' && d ? formatDateLongVi(d) : ''));
  hbs.registerHelper('capitalize', (s: unknown) => capitalizeFirst(String(s ?? '')));
  hbs.registerHelper('dateShort', (d: unknown) => (typeof d === 'string' && d ? formatDateShortVi(d) : ''));
  hbs.registerHelper('month', (d: unknown) => (typeof d === 'string' && d ? formatMonthVi(d) : ''));
  hbs.registerHelper('number', (n: unknown) => (typeof n === 'number' ? formatNumberVi(n) : ''));
  hbs.registerHelper('trimLabel', (t: { widthMm: number; heightMm: number }) => `${formatNumberVi(t.widthMm / 10)} × ${formatNumberVi(t.heightMm / 10)} cm`);
  hbs.registerHelper('css', (s: unknown) => cssString(String(s ?? '')));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
}
