/**
 * The demo's issues: `bantin demo --no-serve` loads the province with last month's issue queued for
 * typesetting and next month's in composition; the server's worker typesets it for real (Chromium) and
 * finishDemoIssue takes it through sign-off, the print shop and publishing, so a Party cell's reader
 * finds it among the published issues and the print shop in its inbox.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { DEMO_ISSUE_FILE, finishDemoIssue } from '../../src/workflow/demo-province-issues.ts';
import { runCliCaptured } from '../fixtures/run-cli.ts';
import { login, startTestServer, tempDataDir, type TestServer } from '../web/helpers.ts';

let dataDir: string;
let srv: TestServer | undefined;
let logins: Map<string, string>;

interface IssueBody {
  id: number;
  number: number;
  year: number;
  state: string;
  pages: number | null;
  sections: { title: string; articleIds: number[] }[];
}

beforeAll(async () => {
  dataDir = tempDataDir('bantin-demo-');
  const r = await runCliCaptured({ BANTIN_DATA_DIR: dataDir }, ['demo', '--no-serve']);
  expect(r.code, r.stderr).toBe(0);
  // "  username   password   role" lines
  logins = new Map([...r.stdout.matchAll(/^ {2}(\S+)\s+(\S+)\s+/gm)].map((m) => [m[1]!, m[2]!]));
}, 120_000);

afterAll(async () => {
  await srv?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo province', () => {
  it('has last month’s issue queued for typesetting and next month’s in composition with a plan', async () => {
    expect(fs.existsSync(path.join(dataDir, DEMO_ISSUE_FILE))).toBe(true);
    srv = await startTestServer({ dataDir, config: { inProcessWorker: false } });
    const editor = await login(srv.api, 'bientap1', logins.get('bientap1'));
    const issues = (await srv.api<{ items: IssueBody[] }>('GET', '/issues', { token: editor })).body.items;
    expect(issues).toHaveLength(2);
    const [finished, composing] = [...issues].sort((a, b) => a.year * 100 + a.number - (b.year * 100 + b.number));
    expect(finished!.state).toBe('draft');
    const plan = (await srv.api<IssueBody>('GET', `/issues/${composing!.id}`, { token: editor })).body;
    expect(plan.state).toBe('draft');
    expect(plan.sections.flatMap((s) => s.articleIds).length).toBeGreaterThan(0);
    for (const id of plan.sections.flatMap((s) => s.articleIds)) {
      expect((await srv.api<{ state: string }>('GET', `/articles/${id}`, { token: editor })).body.state).toBe('scheduled');
    }
    await srv.close();
    srv = undefined;
  });

  it('typesets the finished issue at the first start and publishes it: readers and the print shop find it', async () => {
    srv = await startTestServer({ dataDir });
    const lines: string[] = [];
    await finishDemoIssue(dataDir, openStore, (l) => lines.push(l), 200);
    expect(lines.at(-1)).toMatch(/^demo issue \d+\/\d{4} typeset, signed off, sent to print and published$/);
    expect(fs.existsSync(path.join(dataDir, DEMO_ISSUE_FILE))).toBe(false);

    const reader = await login(srv.api, 'doc.longan', logins.get('doc.longan'));
    const published = (await srv.api<{ items: { id: number; pages: number; files: { name: string }[] }[] }>('GET', '/published', { token: reader })).body.items;
    expect(published).toHaveLength(1);
    expect(published[0]!.pages % 4).toBe(0);
    expect(published[0]!.files.map((f) => f.name)).toContain('screen.pdf');
    const screen = await fetch(`${srv.url}/api/v1/issues/${published[0]!.id}/files/screen.pdf`, { headers: { authorization: `Bearer ${reader}` } });
    expect(screen.status).toBe(200);
    const printShop = await login(srv.api, 'nhain', logins.get('nhain'));
    const inbox = (await srv.api<{ items: { id: number; state: string }[] }>('GET', '/issues', { token: printShop })).body.items;
    expect(inbox).toEqual([expect.objectContaining({ id: published[0]!.id, state: 'published' })]);
    // A later start has nothing left to do.
    await finishDemoIssue(dataDir, openStore, (l) => lines.push(`again: ${l}`), 200);
    expect(lines.filter((l) => l.startsWith('again:'))).toEqual([]);
  }, 240_000);
});
