/**
 * The online edition's HTML (pure): the same IssuePlan the PDFs were typeset from, as one responsive page
 * with the printed page number of every article. The article HTML was sanitized at load time; it passes a
 * second, stricter allow-list here because a browser opens this page directly: no style attributes (the
 * page's CSP forbids inline style), no links that leave the page, and every picture renamed to a file of
 * the online edition (`images/img-001.jpg`) so nothing is fetched from anywhere else.
 */
import sanitizeHtml from 'sanitize-html';
import { formatDateLongVi } from '../domain/vi-text.ts';
import type { IssuePlan } from './model.ts';
import { issueLabel, issueTitle } from './render-html.ts';

export type OnlineTemplate = (context: object) => string;

/** A picture of the online edition and where its pixels come from. */
export interface OnlineImage {
  /** File name inside the online edition: `images/img-001.jpg` */
  name: string;
  /** The img src in the plan: issue-dir-relative path, or a data: URI of a picture embedded in a .docx */
  source: string;
}

export interface OnlineHtml {
  html: string;
  images: OnlineImage[];
}

export interface OnlinePages {
  /** Article id (TocEntry.anchorId) → page number printed for it in the issue */
  [anchorId: string]: number | undefined;
}

const TAGS = [
  'p', 'br', 'hr', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark',
  'span', 'div', 'section', 'aside', 'blockquote', 'cite', 'q', 'abbr', 'code', 'pre',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'img', 'a',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];
const CLASSES = ['pull-quote', 'wide', 'box', 'note', 'source', 'signature', 'center', 'right'];

/** `bai-1` for the first article of the issue in plan order, `bai-2` for the second, … */
export function onlineArticleAnchor(position: number): string {
  return `bai-${position}`;
}

export function onlineImageName(index: number): string {
  return `images/img-${String(index + 1).padStart(3, '0')}.jpg`;
}

/** Article HTML for the online page; `imageFor` names the online file of an img src (undefined drops the img). */
export function onlineArticleHtml(bodyHtml: string, imageFor: (src: string) => string | undefined): string {
  const clean = sanitizeHtml(bodyHtml, {
    allowedTags: TAGS,
    allowedAttributes: { img: ['src', 'alt'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan', 'scope'], col: ['span'], '*': ['class'] },
    allowedClasses: { '*': CLASSES },
    // Only the relative file names given by imageFor survive; no URL scheme is allowed at all.
    allowedSchemes: [],
    allowedSchemesByTag: {},
    allowProtocolRelative: false,
    transformTags: {
      img: (tagName, attribs) => {
        const name = attribs.src ? imageFor(attribs.src) : undefined;
        return { tagName, attribs: { ...(name ? { src: name } : {}), alt: attribs.alt ?? '' } };
      },
      // The page's outline: section h2, article title h3, so the article's own subheads start at h4.
      h3: 'h4',
      h4: 'h5',
      h5: 'h6',
      // No link leaves the page (and article HTML carries no ids to link to inside it); the text stays.
      a: () => ({ tagName: 'span', attribs: {} }),
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  });
  // Wide tables scroll inside their own box on a phone (online.css) instead of widening the page.
  return clean.replace(/<table\b/g, '<div class="table-scroll"><table').replace(/<\/table>/g, '</table></div>').normalize('NFC');
}

/** Same pictures in the same order as the plan uses them; one file per distinct source. */
export function renderOnlineHtml(plan: IssuePlan, pages: OnlinePages, template: OnlineTemplate): OnlineHtml {
  const names = new Map<string, string>();
  const imageFor = (src: string): string => {
    let name = names.get(src);
    if (!name) names.set(src, (name = onlineImageName(names.size)));
    return name;
  };
  let n = 0;
  const sections = plan.sections.map((s) => ({
    id: s.id,
    title: s.title,
    articles: s.articles.map((a) => ({
      // Anchors by position in the plan (`#bai-3` = the third article), which the portal's table of
      // contents can compute without knowing the engine's file-name based ids.
      id: onlineArticleAnchor((n += 1)),
      title: a.title,
      subtitle: a.subtitle,
      lead: a.lead,
      author: a.author,
      unit: a.unit,
      page: pages[a.id],
      bodyHtml: onlineArticleHtml(a.bodyHtml, imageFor),
    })),
  }));
  const html = template({
    title: issueTitle(plan),
    label: issueLabel(plan),
    dateLong: capitalizeFirst(formatDateLongVi(plan.date)),
    licenceDate: formatDateLongVi(plan.bulletin.licence.date),
    bulletin: plan.bulletin,
    sections,
    // The online edition sits in `online/` of the rendition, beside screen.pdf, on every route that serves it.
    screenHref: '../screen.pdf?inline=1',
  }).normalize('NFC');
  return { html, images: [...names].map(([source, name]) => ({ name, source })) };
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}
