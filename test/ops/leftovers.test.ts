/**
 * What `bantin serve` / `bantin worker` remove at start: temp output nobody can still be writing. The
 * output of a job attempt another worker is running right now, and temp files of live processes, stay.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeLeftovers } from '../../src/ops/leftovers.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-leftovers-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function put(rel: string, text = 'x'): void {
  fs.mkdirSync(path.dirname(path.join(dataDir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dataDir, rel), text);
}

describe('leftovers of interrupted processes', () => {
  it('removes dead attempts, scratch dirs and dead processes’ temp files, and keeps everything live or finished', async () => {
    const jobs = new Map([
      [5, { state: 'running', attempts: 2 }], // another worker renders attempt 2 now
      [6, { state: 'failed', attempts: 2 }],
    ]);
    const DEAD = 4_000_001;
    const LIVE = 4_000_002;
    put('renditions/3/.job-5-1.tmp/print.pdf'); // attempt 1 of job 5 died
    put('renditions/3/.job-5-2.tmp/print.pdf'); // attempt 2 is being written
    put('renditions/3/.job-6-2.tmp/print.pdf'); // job 6 ended
    put('renditions/3/6/print.pdf'); // a finished rendition
    put('work/job-5/issue.yaml');
    put('work/job-6/issue.yaml');
    put(`media/ab/.abcdef.${DEAD}.0badcafe.tmp`);
    put(`media/ab/.abcdef.${LIVE}.0badcafe.tmp`);
    put('media/ab/abcdef.jpg');
    put(`portal-packages/2026-11.zip.${DEAD}.tmp`);
    put('bantin.sqlite.tmp'); // not a bantin temp name pattern in a bantin dir: never touched

    const removed = await removeLeftovers({ dataDir, jobs: { get: (id) => jobs.get(id) }, isAlive: (pid) => pid === LIVE });
    expect(removed.sort()).toEqual(
      ['renditions/3/.job-5-1.tmp', 'renditions/3/.job-6-2.tmp', 'work/job-6', `media/ab/.abcdef.${DEAD}.0badcafe.tmp`, `portal-packages/2026-11.zip.${DEAD}.tmp`].sort(),
    );
    for (const kept of ['renditions/3/.job-5-2.tmp/print.pdf', 'renditions/3/6/print.pdf', 'work/job-5/issue.yaml', `media/ab/.abcdef.${LIVE}.0badcafe.tmp`, 'media/ab/abcdef.jpg', 'bantin.sqlite.tmp']) {
      expect(fs.existsSync(path.join(dataDir, kept)), kept).toBe(true);
    }
    // Nothing left to do the second time.
    expect(await removeLeftovers({ dataDir, jobs: { get: (id) => jobs.get(id) }, isAlive: (pid) => pid === LIVE })).toEqual([]);
  });
});
