/**
 * What the admin's "system" page shows about the machine bantin runs on: versions of the parts that shape
 * the PDFs and keep the data, disk use of the data dir and free space on its disk, the last backup, the
 * typeset queue and Chromium launches (the same figures /metrics exports). Slow facts are cached: the data
 * dir's size for a minute, the Chromium version as long as /readyz keeps its probe (browser-check.ts).
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { readJobStats, sqliteVersion } from '../store/health.ts';
import { createBrowserCheck, type BrowserCheck, type BrowserReport } from './browser-check.ts';
import { readBackupRecord, type BackupRecord } from './backup-record.ts';
import { bantinVersion } from './version.ts';

export interface SystemStatus {
  versions: { name: string; version: string }[];
  disk: { dataDir: string; dataDirBytes: number; freeBytes: number; totalBytes: number };
  lastBackup: BackupRecord | null;
  queue: { queued: number; running: number; failed: number };
  /** Chromium launches by this server's typeset worker since it started; null when it runs no worker. */
  browserLaunches: number | null;
}

export interface SystemStatusSource {
  read(): Promise<SystemStatus>;
}

export interface SystemStatusDeps {
  dataDir: string;
  databaseFile: string;
  chromiumPath?: string;
  /** Shared with /readyz (one cached version probe); made from chromiumPath when absent. */
  browser?: BrowserCheck;
  /** The in-process worker's launch counter (the /metrics counter); absent when BANTIN_WORKER=off. */
  browserLaunches?: () => Promise<number>;
  /** Free and total bytes of the disk holding `dir` (replaceable in tests). */
  diskSpace?: (dir: string) => { freeBytes: number; totalBytes: number };
}

const SLOW_FACTS_TTL_MS = 60_000;

export function createSystemStatus(deps: SystemStatusDeps): SystemStatusSource {
  const browser = deps.browser ?? createBrowserCheck({ chromiumPath: deps.chromiumPath });
  let size: { at: number; bytes: Promise<number> } | undefined;
  const staticVersions = [
    { name: 'bantin', version: bantinVersion() },
    { name: 'Node.js', version: process.version },
    { name: 'Paged.js', version: packageVersion('pagedjs') },
    { name: 'SQLite', version: sqliteVersion() },
  ];
  return {
    async read() {
      if (!size || Date.now() - size.at > SLOW_FACTS_TTL_MS) size = { at: Date.now(), bytes: directorySize(deps.dataDir) };
      const stats = readJobStats(deps.databaseFile);
      const space = (deps.diskSpace ?? diskSpaceOf)(deps.dataDir);
      return {
        versions: [...staticVersions.slice(0, 2), { name: 'Chromium', version: chromiumVersion(await browser.report()) }, ...staticVersions.slice(2)],
        disk: { dataDir: deps.dataDir, dataDirBytes: await size.bytes, ...space },
        lastBackup: await readBackupRecord(deps.dataDir),
        queue: { queued: stats.byState.queued ?? 0, running: stats.byState.running ?? 0, failed: stats.byState.failed ?? 0 },
        browserLaunches: deps.browserLaunches ? await deps.browserLaunches() : null,
      };
    },
  };
}

/** The version, or what went wrong (the page says it instead of failing). */
function chromiumVersion(r: BrowserReport): string {
  return r.ok ? r.version : `không xác định (${r.error})`;
}

/** A dependency's version from its package.json (found from its entry point: its exports hide the file). */
function packageVersion(name: string): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? 'unknown';
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) total += await directorySize(abs);
    else if (e.isFile()) {
      // A file removed between listing and stat (a finished temp file) simply no longer counts.
      const st = await fsp.stat(abs).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      total += st?.size ?? 0;
    }
  }
  return total;
}

function diskSpaceOf(dir: string): { freeBytes: number; totalBytes: number } {
  const s = fs.statfsSync(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}
