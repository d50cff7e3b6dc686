/**
 * The small cover picture the archive shows for each issue: the first page of the issue as the engine drew
 * it (`thumbnails/page-001.jpg` of the rendition readers get), or, for renditions made before the engine
 * wrote thumbnails, the cover drawn from the issue's facts (cover.ts) at the same width. Same visibility as
 * the issue's files (issue-access.ts): nothing unpublished is reachable through it.
 */
import crypto from 'node:crypto';
import { loadSharp } from '../lazy-deps.ts';
import type { WorkflowDeps } from '../workflow/context.ts';
import type { FileToSend, IssueFileService } from '../workflow/issue-files.ts';
import { currentRendition, visibleIssue, type Viewer } from '../workflow/issue-access.ts';
import { makeCoverJpg } from './cover.ts';

export const COVER_THUMBNAIL = 'thumbnails/page-001.jpg';
/** Width of the engine's page thumbnails; drawn covers are made to match. */
const WIDTH = 240;
/** Drawn covers kept in memory (≈10 KB each): ten years of monthly issues fit many times over. */
const MAX_DRAWN = 500;

export type CoverThumbnail = { kind: 'page'; file: FileToSend } | { kind: 'drawn'; jpg: Buffer; etag: string };

export class CoverThumbnailService {
  private readonly drawn = new Map<string, Promise<Buffer>>();

  constructor(private readonly deps: WorkflowDeps & { issueFiles: IssueFileService }) {}

  async forIssue(viewer: Viewer, issueId: number): Promise<CoverThumbnail> {
    const { store } = this.deps;
    const issue = visibleIssue(store, viewer, issueId);
    const rendition = viewer.kind === 'office' || issue.signedRenditionId !== null ? currentRendition(store, issue) : undefined;
    if (rendition?.files.some((f) => f.name === COVER_THUMBNAIL)) return { kind: 'page', file: this.deps.issueFiles.open(viewer, issueId, COVER_THUMBNAIL) };
    const bulletin = store.bulletin.get();
    const facts = { bulletinName: bulletin?.name ?? 'Thông báo Nội bộ', publisher: bulletin?.publisher ?? '', number: issue.number, date: issue.date, pages: rendition?.pages ?? 0 };
    const key = JSON.stringify(facts);
    let jpg = this.drawn.get(key);
    if (!jpg) {
      jpg = makeCoverJpg(facts).then(async (big) => (await loadSharp())(big).resize({ width: WIDTH }).jpeg({ quality: 80 }).toBuffer());
      // A failed drawing is not remembered: the next request tries again and reports its own error.
      jpg.catch(() => this.drawn.delete(key));
      if (this.drawn.size >= MAX_DRAWN) this.drawn.delete(this.drawn.keys().next().value!);
      this.drawn.set(key, jpg);
    }
    return { kind: 'drawn', jpg: await jpg, etag: `"drawn-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}"` };
  }
}
