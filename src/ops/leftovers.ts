/**
 * Temp files a killed process left in the data dir (power cut, kill -9, OOM killer), removed when `bantin
 * serve` or `bantin worker` starts. Every writer in bantin writes to a temp name and renames into place, so
 * a crash never leaves half a rendition under its real name — but it does leave the temp file, which would
 * fill the disk over the years. Only what no live process can still be writing is removed:
 * - `renditions/<issue>/.job-<job>-<attempt>.tmp/` unless that job is running that very attempt (another
 *   worker process may be rendering it right now);
 * - `work/job-<job>/` (a job's scratch export) unless that job is running;
 * - files named `….<pid>.tmp` or `….<pid>.<hex>.tmp` (media, portal packages, archives) whose process is gone.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface JobStates {
  get(id: number): { state: string; attempts: number } | undefined;
}

export interface LeftoverDeps {
  dataDir: string;
  jobs: JobStates;
  /** Whether a process id is alive on this machine (replaceable in tests). */
  isAlive?: (pid: number) => boolean;
}

const JOB_TMP = /^\.job-(\d+)-(\d+)\.tmp$/;
const JOB_WORK = /^job-(\d+)$/;
const PID_TMP = /\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/;
/** Directories that hold only bantin's own writes; nothing outside them is ever touched. */
const PID_TMP_DIRS = ['media', 'renditions', 'portal-packages'];

/** Removes the leftovers; returns their paths relative to the data dir. */
export async function removeLeftovers(deps: LeftoverDeps): Promise<string[]> {
  const isAlive = deps.isAlive ?? processAlive;
  const removed: string[] = [];
  const remove = async (rel: string) => {
    await fs.rm(path.join(deps.dataDir, rel), { recursive: true, force: true });
    removed.push(rel);
  };
  const running = (id: number, attempt?: number) => {
    const job = deps.jobs.get(id);
    return job?.state === 'running' && (attempt === undefined || job.attempts === attempt);
  };

  for (const name of await entries(deps.dataDir, 'work')) {
    const m = JOB_WORK.exec(name);
    if (m && !running(Number(m[1]))) await remove(path.join('work', name));
  }
  for (const issueDir of await entries(deps.dataDir, 'renditions')) {
    for (const name of await entries(deps.dataDir, path.join('renditions', issueDir))) {
      const m = JOB_TMP.exec(name);
      if (m && !running(Number(m[1]), Number(m[2]))) await remove(path.join('renditions', issueDir, name));
    }
  }
  for (const top of PID_TMP_DIRS) {
    for (const rel of await walk(deps.dataDir, top)) {
      const m = PID_TMP.exec(path.basename(rel));
      if (m && !JOB_TMP.test(path.basename(rel)) && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) await remove(rel);
    }
  }
  return removed;
}

async function entries(dataDir: string, rel: string): Promise<string[]> {
  try {
    return await fs.readdir(path.join(dataDir, rel));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

/** Every path under `rel` (relative to the data dir) whose name ends in .tmp; does not descend into them. */
async function walk(dataDir: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  let list: import('node:fs').Dirent[];
  try {
    list = await fs.readdir(path.join(dataDir, rel), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const e of list) {
    const child = path.join(rel, e.name);
    if (e.name.endsWith('.tmp')) out.push(child);
    else if (e.isDirectory()) out.push(...(await walk(dataDir, child)));
  }
  return out;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user — alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
