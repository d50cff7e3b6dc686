/**
 * Which scheduled backups to keep: the newest 7 days, plus the newest backup of each of the 4 newest
 * weeks (ISO weeks, Monday first) — about a month of history in 11 files at most. Pure.
 */
export const DAILY_KEEP = 7;
export const WEEKLY_KEEP = 4;

const NAME = /^bantin-(\d{4}-\d{2}-\d{2})\.tar\.gz$/;

export function backupFileName(day: Date): string {
  return `bantin-${day.toISOString().slice(0, 10)}.tar.gz`;
}

export function dayOfBackup(name: string): string | undefined {
  return NAME.exec(name)?.[1];
}

/** Returns the file names to delete among `names` (names that are not scheduled backups are never touched). */
export function backupsToDelete(names: string[], daily = DAILY_KEEP, weekly = WEEKLY_KEEP): string[] {
  const dated = names
    .map((name) => ({ name, day: dayOfBackup(name) }))
    .filter((b): b is { name: string; day: string } => b.day !== undefined)
    .sort((a, b) => b.day.localeCompare(a.day));
  const keep = new Set(dated.slice(0, daily).map((b) => b.name));
  const weeksSeen = new Set<string>();
  for (const b of dated) {
    const week = mondayOf(b.day);
    if (weeksSeen.has(week)) continue;
    if (weeksSeen.size >= weekly) break;
    weeksSeen.add(week);
    keep.add(b.name);
  }
  return dated.filter((b) => !keep.has(b.name)).map((b) => b.name);
}

function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}
