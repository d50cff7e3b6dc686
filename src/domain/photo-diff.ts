/**
 * Photo changes between two revisions of an article (issue #5, revision compare): which stored pictures
 * were added, removed or replaced, and which captions changed. Pictures are named by the sha256 of their
 * bytes (`/media/<sha256>.jpg`), so "the same photo" is the same name; a photo removed where another was
 * added (same place in the article) is a replacement. Pure: two bodies in, rows out.
 */
import { diffArrays, diffWords } from 'diff';
import { htmlToText } from './html-text.ts';

export interface ArticlePhoto {
  /** `/media/<sha256>.jpg|png` */
  src: string;
  caption: string;
  alt: string;
}

export type PhotoChangeKind = 'same' | 'caption' | 'moved' | 'added' | 'removed' | 'replaced';

export interface PhotoChange {
  kind: PhotoChangeKind;
  left: ArticlePhoto | null;
  right: ArticlePhoto | null;
  /** Word diff of the captions (left → right), like the text fields of a revision compare */
  caption: { value: string; added: boolean; removed: boolean }[];
}

const TAG = /<(\/?)(figure|figcaption|img)\b([^>]*)>/gi;
const SRC = /\bsrc\s*=\s*(["'])(\/media\/[0-9a-f]{64}\.(?:jpg|png))\1/i;
const ALT = /\balt\s*=\s*(["'])([\s\S]*?)\1/i;

/** The stored pictures of an article body in reading order, each with its figure caption (or alt text). */
export function photosIn(html: string): ArticlePhoto[] {
  const photos: ArticlePhoto[] = [];
  let figure: ArticlePhoto[] | null = null;
  let figureCaption = '';
  let captionStart = -1;
  for (const m of html.matchAll(TAG)) {
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (name === 'figure') {
      // The caption may come before or after the picture: it is given to the figure's pictures at its end.
      if (closing) for (const p of figure ?? []) p.caption = figureCaption;
      figure = closing ? null : [];
      figureCaption = '';
    } else if (name === 'figcaption') {
      if (!closing) captionStart = m.index + m[0].length;
      else if (captionStart >= 0) {
        figureCaption = htmlToText(html.slice(captionStart, m.index)).replace(/\s+/g, ' ');
        captionStart = -1;
      }
    } else if (!closing) {
      const src = SRC.exec(m[3] ?? '')?.[2];
      if (!src) continue;
      const alt = htmlToText(ALT.exec(m[3] ?? '')?.[2] ?? '');
      const photo = { src: src.toLowerCase(), caption: '', alt };
      photos.push(photo);
      figure?.push(photo);
    }
  }
  // A picture outside a figure has no caption: its alt text is what readers of the text are told.
  for (const p of photos) if (!p.caption) p.caption = p.alt;
  return photos;
}

function row(kind: PhotoChangeKind, left: ArticlePhoto | null, right: ArticlePhoto | null): PhotoChange {
  const caption = diffWords(left?.caption ?? '', right?.caption ?? '').map((c) => ({ value: c.value, added: c.added, removed: c.removed }));
  const edited = caption.some((c) => c.added || c.removed);
  return { kind: kind === 'same' && edited ? 'caption' : kind, left, right, caption };
}

/** Every photo of either revision, aligned side by side, with what happened to it. */
export function photoChanges(oldHtml: string, newHtml: string): PhotoChange[] {
  const a = photosIn(oldHtml);
  const b = photosIn(newHtml);
  const out: PhotoChange[] = [];
  let ai = 0;
  let bi = 0;
  const chunks = diffArrays(a.map((p) => p.src), b.map((p) => p.src));
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const n = c.count ?? c.value.length;
    if (!c.added && !c.removed) {
      for (let k = 0; k < n; k++) out.push(row('same', a[ai++]!, b[bi++]!));
      continue;
    }
    if (c.removed) {
      // Removed right before added: the photos in that place were replaced, pair by pair.
      const next = chunks[i + 1];
      const added = next?.added ? (next.count ?? next.value.length) : 0;
      for (let k = 0; k < Math.max(n, added); k++) {
        const left = k < n ? a[ai++]! : null;
        const right = k < added ? b[bi++]! : null;
        out.push(row(left && right ? 'replaced' : left ? 'removed' : 'added', left, right));
      }
      if (added) i++;
      continue;
    }
    for (let k = 0; k < n; k++) out.push(row('added', null, b[bi++]!));
  }
  return movedTogether(out);
}

/** A photo removed at one place and added at another is one moved photo, shown where it is now. */
function movedTogether(rows: PhotoChange[]): PhotoChange[] {
  const removed = new Map<string, PhotoChange>();
  for (const r of rows) if (r.kind === 'removed' && r.left) removed.set(r.left.src, r);
  const merged = new Set<PhotoChange>();
  const out = rows.map((r) => {
    const from = r.kind === 'added' && r.right ? removed.get(r.right.src) : undefined;
    if (!from || merged.has(from)) return r;
    merged.add(from);
    return row('moved', from.left, r.right);
  });
  return out.filter((r) => !merged.has(r));
}
