/**
 * The downloads log on a real SQLite file. Answered downloads are written in batches (at most ~100 ms later,
 * in one transaction): this process reads its own downloads at once, another connection sees them shortly,
 * a clean stop writes what waits, and a row the schema refuses does not hold back the others.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import type { DownloadRecord } from '../../src/store/download-link-repository.ts';
import { seedSignedIssue } from '../publish/published-issue.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function seeded(): Promise<{ dir: string; store: Store; record: (bytes: number) => DownloadRecord }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-download-log-'));
  dirs.push(dir);
  const store = openStore(dir);
  const { issueId, userId } = await seedSignedIssue(store, dir);
  const renditionId = store.issues.get(issueId)!.signedRenditionId!;
  return { dir, store, record: (bytes) => ({ issueId, renditionId, file: 'screen.pdf', userId, linkId: null, unitId: null, status: 206, bytes }) };
}

const at = (i: number) => new Date(Date.UTC(2026, 10, 23, 8, 0, i)).toISOString();

describe('downloads log', () => {
  it('reads back its own downloads at once, in order, with the time each was answered', async () => {
    const { store, record } = await seeded();
    try {
      for (let i = 0; i < 5; i++) store.downloadLinks.logDownload(record(1000 + i), at(i));
      const issueId = record(0).issueId;
      expect(store.downloadLinks.downloads(issueId).map((d) => [d.bytes, d.at])).toEqual([0, 1, 2, 3, 4].map((i) => [1000 + i, at(i)]));
    } finally {
      store.close();
    }
  });

  it('writes waiting downloads on its own shortly after, visible to another connection', async () => {
    const { dir, store, record } = await seeded();
    const other = openStore(dir);
    try {
      for (let i = 0; i < 3; i++) store.downloadLinks.logDownload(record(i), at(i));
      await expect.poll(() => other.downloadLinks.downloads(record(0).issueId).length, { timeout: 10_000 }).toBe(3);
    } finally {
      other.close();
      store.close();
    }
  });

  it('loses nothing on a clean stop: closing the store writes what waits', async () => {
    const { dir, store, record } = await seeded();
    for (let i = 0; i < 250; i++) store.downloadLinks.logDownload(record(i), at(i % 60));
    store.close();
    const reopened = openStore(dir);
    try {
      const log = reopened.downloadLinks.downloads(record(0).issueId);
      expect(log).toHaveLength(250);
      expect(log.map((d) => d.bytes)).toEqual([...Array(250).keys()]);
    } finally {
      reopened.close();
    }
  });

  it('writes the others when the database refuses one row, and says so', async () => {
    const { store, record } = await seeded();
    try {
      store.downloadLinks.logDownload(record(1), at(1));
      store.downloadLinks.logDownload({ ...record(2), issueId: 999_999 }, at(2));
      store.downloadLinks.logDownload(record(3), at(3));
      expect(() => store.downloadLinks.flushDownloads()).toThrow(/1 of 3 downloads refused/);
      expect(store.downloadLinks.downloads(record(0).issueId).map((d) => d.bytes)).toEqual([1, 3]);
    } finally {
      store.close();
    }
  });
});
