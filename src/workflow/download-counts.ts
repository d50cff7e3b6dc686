/**
 * Counting downloads (issue #7, "readers per unit are counted once per day"): the log keeps every answered
 * request, but a PDF viewer or a download manager resuming a slow link asks for one file in many Range
 * requests. One download is one file of one issue fetched by one reader (account or link) on one day, however
 * many requests that took. Pure: log rows in, counts out.
 */
import type { DownloadRecord } from '../store/download-link-repository.ts';

export type LoggedDownload = Pick<DownloadRecord, 'issueId' | 'file' | 'userId' | 'linkId' | 'unitId'> & { at: string };

// The office's and the readers' day (Vietnam, UTC+7), not UTC's: a download at 01:30 is the new day's.
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The identity of one download: issue, file, who (account, else link, else unit) and the day in Vietnam. */
export function downloadKey(d: LoggedDownload): string {
  const who = d.userId !== null ? `u${d.userId}` : d.linkId !== null ? `l${d.linkId}` : `n${d.unitId ?? ''}`;
  return `${d.issueId}|${d.file}|${who}|${DAY.format(new Date(d.at))}`;
}

/** How many downloads the log rows make. */
export function countDownloads(log: readonly LoggedDownload[]): number {
  return new Set(log.map(downloadKey)).size;
}

/** Downloads per unit (null: not bound to a unit), each counted once as above. */
export function countDownloadsByUnit(log: readonly LoggedDownload[]): Map<number | null, number> {
  const seen = new Set<string>();
  const out = new Map<number | null, number>();
  for (const d of log) {
    const key = downloadKey(d);
    if (seen.has(key)) continue;
    seen.add(key);
    out.set(d.unitId, (out.get(d.unitId) ?? 0) + 1);
  }
  return out;
}
