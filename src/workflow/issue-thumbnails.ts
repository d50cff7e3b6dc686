/**
 * Page thumbnails of a rendition: the engine writes `<out>/thumbnails/page-001.jpg …` (240 px wide JPEGs,
 * one per page); the rendition lists them among its files (bytes, sha256) like every other file. They are
 * part of the screen edition: whoever may open screen.pdf of a rendition may see its thumbnails.
 */
import type { RenditionFile, TocLine } from '../domain/issue.ts';

export const THUMBNAIL_DIR = 'thumbnails';

const THUMBNAIL_NAME = /^thumbnails\/page-(\d{3,4})\.jpg$/;

export function isThumbnailName(name: string): boolean {
  return THUMBNAIL_NAME.test(name);
}

export interface PageThumbnail {
  page: number;
  /** The file name within the rendition, e.g. `thumbnails/page-001.jpg` */
  name: string;
  /** Titles of the articles that start on this page (from the table of contents) */
  articles: string[];
}

/** The rendition's thumbnails in page order, each with the articles that start on its page. */
export function pageThumbnails(files: readonly Pick<RenditionFile, 'name'>[], toc: readonly TocLine[]): PageThumbnail[] {
  const out: PageThumbnail[] = [];
  for (const f of files) {
    const m = THUMBNAIL_NAME.exec(f.name);
    if (!m) continue;
    const page = Number(m[1]);
    out.push({ page, name: f.name, articles: toc.filter((t) => t.page === page).map((t) => t.title) });
  }
  return out.sort((a, b) => a.page - b.page);
}
