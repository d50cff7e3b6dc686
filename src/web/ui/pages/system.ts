/**
 * The admin's "system" page (Hệ thống): versions, disk use and free space, the last backup, the bulletin's
 * licence expiry and the typeset queue — what an office without IT staff must glance at to know the
 * machine is healthy. Figures come from the ops status source (the same ones /metrics exports); each one
 * that needs attention is marked with a colour and says what to do.
 */
import { NotFoundError } from '../../../domain/errors.ts';
import { PRESS_LAW_BULLETIN } from '../../../domain/legal-profile.ts';
import { formatDateLongVi, formatNumberVi } from '../../../domain/vi-text.ts';
import { MIN_FREE_BYTES } from '../../ops-routes.ts';
import type { SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';

type Level = 'ok' | 'warn' | 'error';

/** A backup older than this is worth a warning: a day's work would be lost. */
const BACKUP_WARN_HOURS = 36;

export function formatBytesVi(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? String(v) : v.toFixed(1).replace('.', ',')} ${units[u]}`;
}

/** Whole days from `today` to the licence's expiry date (negative once expired), and how urgent that is. */
export function licenceStanding(expires: string, today: Date, warnDays: number): { daysLeft: number; level: Level } {
  const end = Date.UTC(Number(expires.slice(0, 4)), Number(expires.slice(5, 7)) - 1, Number(expires.slice(8, 10)));
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const daysLeft = Math.round((end - start) / 86_400_000);
  return { daysLeft, level: daysLeft < 0 ? 'error' : daysLeft <= warnDays ? 'warn' : 'ok' };
}

async function system(p: SignedInPage): Promise<void> {
  const source = p.deps.system;
  if (!source) throw new NotFoundError('the system page needs the ops status source', { userMessage: 'Trang hệ thống không có trong tiến trình này.' });
  const s = await source.read();
  const now = p.deps.clock();

  const licence = p.deps.services.bulletin.current()?.licence;
  const standing = licence?.expires ? licenceStanding(licence.expires, now, PRESS_LAW_BULLETIN.licenceWarnDays) : undefined;
  const licenceView = licence
    ? {
        number: licence.number,
        expires: formatDateLongVi(licence.expires),
        level: standing?.level ?? 'ok',
        text: !standing ? '' : standing.daysLeft < 0 ? `Đã hết hạn ${formatNumberVi(-standing.daysLeft)} ngày` : standing.daysLeft === 0 ? 'Hết hạn hôm nay' : `Còn ${formatNumberVi(standing.daysLeft)} ngày`,
        hint: standing && standing.level !== 'ok' ? `Cần làm thủ tục gia hạn giấy phép xuất bản (cảnh báo trước ${PRESS_LAW_BULLETIN.licenceWarnDays} ngày); khi đã hết hạn, hệ thống từ chối dàn trang bản in.` : '',
      }
    : null;

  const backup = s.lastBackup;
  const backupAgeHours = backup ? (now.getTime() - Date.parse(backup.at)) / 3_600_000 : undefined;
  const backupView = backup
    ? { at: backup.at, size: formatBytesVi(backup.bytes), file: backup.file, files: formatNumberVi(backup.files), level: (backupAgeHours ?? 0) > BACKUP_WARN_HOURS ? 'warn' : 'ok' }
    : null;

  const freeShare = s.disk.totalBytes > 0 ? s.disk.freeBytes / s.disk.totalBytes : 1;
  const diskLevel: Level = s.disk.freeBytes < MIN_FREE_BYTES ? 'error' : freeShare < 0.1 ? 'warn' : 'ok';

  p.render('system', {
    title: 'Hệ thống',
    versions: s.versions,
    disk: {
      dataDir: s.disk.dataDir,
      used: formatBytesVi(s.disk.dataDirBytes),
      free: formatBytesVi(s.disk.freeBytes),
      total: formatBytesVi(s.disk.totalBytes),
      freePercent: `${Math.round(freeShare * 100)}%`,
      level: diskLevel,
    },
    backup: backupView,
    licence: licenceView,
    queue: s.queue,
    browserLaunches: s.browserLaunches,
    checkedAt: now.toISOString(),
  });
}

export const systemRoutes: UiRoute[] = [{ method: 'get', path: '/system', access: 'system.read', handler: system }];
