/**
 * The media sweep: pictures nobody uses any more are removed from `<data dir>/media` and the database.
 * A photo pasted into a draft that was never saved would otherwise stay for ever. A picture goes only when
 * ALL of these hold: no article links to it (links are kept for every revision), no article body,
 * revision, held draft or rendition file names it, and it was stored and last uploaded before the grace
 * period (default 7 days) — an editor may still have it open in an unsaved draft.
 *
 * Crash-safe order: the rows go first, in a transaction that checks again that the picture is unused; the
 * file goes after. A crash in between leaves a file without a row, which the next sweep removes (files
 * without rows, older than the grace period; tombstones of an interrupted removal). A missing file is
 * never an error.
 */
import { mediaFileName, parseMediaName } from '../domain/picture.ts';
import type { Store } from '../store/index.ts';

export const DEFAULT_MEDIA_GRACE_DAYS = 7;

export interface MediaPruneDeps {
  store: Pick<Store, 'pictures' | 'media' | 'transaction'>;
  clock: () => Date;
  graceDays: number;
  /** Called between deleting a picture's rows and its file (tests kill the process here). */
  afterRowsDeleted?: (sha256: string) => void | Promise<void>;
}

export interface MediaPruneResult {
  dryRun: boolean;
  /** Pictures whose rows were deleted (or would be, in a dry run), with their recorded size. */
  pictures: { sha256: string; bytes: number; createdAt: string }[];
  bytes: number;
  /** Files in media/ that had no row (a crash inside an earlier sweep, a restore from an older backup). */
  strayFiles: string[];
  /** Pictures kept only because some stored text still names them although no article links them. */
  keptByText: number;
}

const DAY_MS = 86_400_000;

export async function pruneMedia(deps: MediaPruneDeps, opts: { dryRun?: boolean } = {}): Promise<MediaPruneResult> {
  const { store } = deps;
  const dryRun = opts.dryRun ?? false;
  const cutoff = new Date(deps.clock().getTime() - deps.graceDays * DAY_MS);
  const before = cutoff.toISOString();

  const unlinked = store.pictures.unlinkedBefore(before);
  const named = store.pictures.mediaTextReferences(new Set(unlinked.map((p) => p.sha256)));
  const candidates = unlinked.filter((p) => !named.has(p.sha256));
  const result: MediaPruneResult = { dryRun, pictures: [], bytes: 0, strayFiles: [], keptByText: named.size };

  for (const picture of candidates) {
    if (!dryRun) {
      const deleted = store.transaction(() => store.pictures.deleteIfUnused(picture.sha256, before));
      // Used again since the scan (an article saved with it, uploaded anew): it stays.
      if (!deleted) continue;
      await deps.afterRowsDeleted?.(picture.sha256);
      await store.media.remove(mediaFileName(picture), () => store.pictures.get(picture.sha256) !== undefined);
    }
    result.pictures.push({ sha256: picture.sha256, bytes: picture.bytes, createdAt: picture.createdAt });
    result.bytes += picture.bytes;
  }

  for (const file of await store.media.list()) {
    const parsed = parseMediaName(file.fileName);
    if (!parsed) continue;
    const wanted = () => store.pictures.get(parsed.sha256) !== undefined;
    if (file.tombstone) {
      // An interrupted removal: back in place if the picture exists again, gone otherwise.
      if (!dryRun) await store.media.settleTombstone(file.fileName, wanted);
      continue;
    }
    // A file written moments ago may be an upload whose row is not committed yet: only old ones go.
    if (file.mtimeMs >= cutoff.getTime() || wanted()) continue;
    if (!dryRun) await store.media.remove(file.fileName, wanted);
    result.strayFiles.push(file.fileName);
  }
  return result;
}
