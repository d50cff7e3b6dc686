/**
 * The server's scheduled maintenance, checked at start (after a few seconds) and hourly:
 * 1. once per calendar day, the media sweep (unused pictures past the grace period, media-prune.ts);
 * 2. the daily backup with retention, when BANTIN_BACKUP_DIR is set (backup-schedule.ts).
 * The sweep runs first so the backup does not carry pictures nobody uses. One run at a time; a failure is
 * logged and retried at the next check, and one step failing does not skip the other.
 */
import { runDailyBackup, type BackupRun } from './backup-schedule.ts';
import type { MediaPruneResult } from './media-prune.ts';

export interface MaintenanceDeps {
  dataDir: string;
  /** Daily backups go here; no backups when unset. */
  backupDir?: string;
  clock: () => Date;
  /** The media sweep with the configured grace period. */
  pruneMedia: () => Promise<MediaPruneResult>;
  logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  checkEveryMs?: number;
  firstCheckMs?: number;
}

export interface MaintenanceRun {
  /** Present when the sweep ran in this check (once a day). */
  media?: MediaPruneResult;
  backup?: BackupRun;
}

export interface Maintenance {
  /** Runs what is due now and resolves with what was done (a run already under way is shared). */
  runIfDue(): Promise<MaintenanceRun>;
  /**
   * No more checks; resolves when a sweep under way has finished, so the store may be closed after. A
   * backup under way is not waited for (it has its own connection; a stop cut short by the service
   * manager would leave only its temp file, which the next start removes).
   */
  stop(): Promise<void>;
}

export function startMaintenance(deps: MaintenanceDeps): Maintenance {
  let running: Promise<MaintenanceRun> | undefined;
  let lastSweepDay: string | undefined;
  let sweeping: Promise<MediaPruneResult> | undefined;

  const sweepIfDue = async (): Promise<MediaPruneResult | undefined> => {
    const today = deps.clock().toISOString().slice(0, 10);
    if (lastSweepDay === today) return undefined;
    const sweep = deps.pruneMedia();
    sweeping = sweep;
    const result = await sweep;
    lastSweepDay = today;
    if (result.pictures.length || result.strayFiles.length) {
      deps.logger.info({ pictures: result.pictures.length, bytes: result.bytes, strayFiles: result.strayFiles.length }, 'unused pictures removed from media/');
    }
    return result;
  };

  const runOnce = async (): Promise<MaintenanceRun> => {
    const run: MaintenanceRun = {};
    const failures: unknown[] = [];
    try {
      run.media = await sweepIfDue();
    } catch (err) {
      deps.logger.error({ err }, 'media sweep failed; will retry within the hour');
      failures.push(err);
    }
    if (deps.backupDir) {
      try {
        run.backup = await runDailyBackup({ dataDir: deps.dataDir, backupDir: deps.backupDir, clock: deps.clock, logger: deps.logger });
      } catch (err) {
        deps.logger.error({ err, backupDir: deps.backupDir }, 'scheduled backup failed; will retry within the hour');
        failures.push(err);
      }
    }
    if (failures.length) throw new AggregateError(failures, `maintenance: ${failures.length} step(s) failed`);
    return run;
  };

  const runIfDue = (): Promise<MaintenanceRun> => {
    running ??= runOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  // Failures are already logged with their step; the timer only keeps going.
  const tick = () => void runIfDue().catch(() => undefined);
  const first = setTimeout(tick, deps.firstCheckMs ?? 5_000);
  const timer = setInterval(tick, deps.checkEveryMs ?? 3_600_000);
  first.unref();
  timer.unref();
  return {
    runIfDue,
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await sweeping?.catch(() => undefined);
    },
  };
}
