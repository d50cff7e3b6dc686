/**
 * Server-side views: one Handlebars instance, the layout, partials and page templates from
 * src/web/views, compiled once when the router is created (a missing template fails at start, not
 * on the first request). Handlebars escapes by default; `{{{…}}}` is used only for HTML the server
 * sanitized itself (article bodies, diffs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ARTICLE_STATE_LABELS_VI, type ArticleState } from '../../domain/article.ts';
import { ROLE_LABELS_VI, type Role } from '../../domain/roles.ts';
import { formatDateShortVi, formatNumberVi } from '../../domain/vi-text.ts';

export const VIEWS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'views');

export interface ViewEngine {
  /** Renders `pages/<page>.hbs` inside the layout. */
  render(page: string, data: Record<string, unknown>): string;
}

export function createViewEngine(viewsDir = VIEWS_DIR): ViewEngine {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const partialsDir = path.join(viewsDir, 'partials');
  for (const file of fs.readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  const compile = (file: string) => hbs.compile(fs.readFileSync(file, 'utf8'), { strict: false, preventIndent: true });
  const layout = compile(path.join(viewsDir, 'layout.hbs'));
  const pagesDir = path.join(viewsDir, 'pages');
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of fs.readdirSync(pagesDir).filter((f) => f.endsWith('.hbs'))) {
    pages.set(path.basename(file, '.hbs'), compile(path.join(pagesDir, file)));
  }
  return {
    render(page, data) {
      const template = pages.get(page);
      if (!template) throw new Error(`unknown view "${page}"`);
      return layout({ ...data, body: template(data) });
    },
  };
}

type HelperOptions = Handlebars.HelperOptions;

/** Vietnamese date and time in the office's clock (Asia/Ho_Chi_Minh), e.g. "05/11/2026 14:03". */
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
});

export function formatDateTimeVi(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('stateLabel', (s: unknown) => ARTICLE_STATE_LABELS_VI[s as ArticleState] ?? String(s ?? ''));
  hbs.registerHelper('roleLabel', (r: unknown) => ROLE_LABELS_VI[r as Role] ?? String(r ?? ''));
  hbs.registerHelper('date', (d: unknown) => (typeof d === 'string' && d ? formatDateShortVi(d) : ''));
  hbs.registerHelper('datetime', (d: unknown) => (typeof d === 'string' && d ? formatDateTimeVi(d) : ''));
  hbs.registerHelper('number', (n: unknown) => (typeof n === 'number' ? formatNumberVi(n) : ''));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => String(a ?? '') === String(b ?? ''));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('selected', (a: unknown, b: unknown) => (String(a ?? '') === String(b ?? '') ? 'selected' : ''));
  hbs.registerHelper('checked', (a: unknown) => (a ? 'checked' : ''));
  hbs.registerHelper('current', function (this: unknown, href: unknown, options: HelperOptions) {
    const here = String((options.data as { root?: { currentPath?: string } }).root?.currentPath ?? '');
    const h = String(href);
    return here === h || (h !== '/' && here.startsWith(h + '/')) ? 'page' : 'false';
  });
  /** Field error for a form: {{fieldError errors "title"}} */
  hbs.registerHelper('fieldError', (errors: unknown, field: unknown) => {
    const msg = errors && typeof errors === 'object' ? (errors as Record<string, string>)[String(field)] : undefined;
    if (!msg) return '';
    const sentence = msg.charAt(0).toLocaleUpperCase('vi') + msg.slice(1);
    return new hbs.SafeString(`<p class="field-error" id="err-${hbs.escapeExpression(String(field))}">${hbs.escapeExpression(sentence)}</p>`);
  });
  /** Screen readers announce the message under a refused field: <input … {{ariaError errors "title"}}> */
  hbs.registerHelper('ariaError', (errors: unknown, field: unknown) =>
    errors && typeof errors === 'object' && (errors as Record<string, string>)[String(field)]
      ? new hbs.SafeString(`aria-invalid="true" aria-describedby="err-${hbs.escapeExpression(String(field))}"`)
      : '',
  );
  hbs.registerHelper('hasError', (errors: unknown, field: unknown) =>
    errors && typeof errors === 'object' && (errors as Record<string, string>)[String(field)] ? 'has-error' : '',
  );
}
