/**
 * The demo's issues (`npm run demo`): last month's issue, finished — typeset for real by the server's
 * worker at first start, then signed off, sent to the print shop and published to every unit, so the
 * archive shows it — and next month's issue in composition, with a plan of scheduled articles.
 *
 * The finished issue cannot be signed before its typeset job is done, so `finishDemoIssue` follows the job
 * in the background of `bantin demo` and takes the issue through the remaining steps when it ends; what
 * is left to do is kept in `<data dir>/demo-issue.json` so an interrupted first start finishes the next time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConflictError } from '../domain/errors.ts';
import type { Actor } from '../domain/user.ts';
import type { Store } from '../store/index.ts';
import { toActor } from './auth.ts';
import type { DemoProvince } from './demo-province.ts';
import { createServices, type Services } from './index.ts';

export const DEMO_ISSUE_FILE = 'demo-issue.json';
const PRINT_RUN = 3110;

export interface DemoIssues {
  finishedIssueId: number;
  jobId: number;
  composingIssueId: number;
}

function userActor(store: Store, username: string): Actor {
  const found = store.users.findForLogin(username);
  if (!found) throw new ConflictError(`the demo user ${username} is missing`);
  return toActor(found.user);
}

/** Sections in the order the articles' sections were created (the bulletin's usual order). */
function planOf(s: Services, actor: Actor, articleIds: number[]): { title: string; articleIds: number[] }[] {
  const sections = s.sections.list(actor);
  const bySection = new Map<number, number[]>();
  for (const id of articleIds) {
    const sectionId = s.articles.get(actor, id).sectionId ?? sections[0]!.id;
    bySection.set(sectionId, [...(bySection.get(sectionId) ?? []), id]);
  }
  return sections.filter((x) => bySection.has(x.id)).map((x) => ({ title: x.title, articleIds: bySection.get(x.id)! }));
}

/** "2026-11" → the 15th of the month `offset` months away, as an ISO date. */
function issueDate(now: Date, offset: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 15));
  return d.toISOString().slice(0, 10);
}

/**
 * Creates both issues and queues the typeset of the finished one. Last month's and next month's numbers,
 * so the demo never takes the number of the month someone is about to create by hand.
 */
export function seedDemoIssues(store: Store, demo: DemoProvince, opts: { now?: Date } = {}): DemoIssues {
  const now = opts.now ?? new Date();
  const s = createServices({ store, clock: () => now });
  const chief = userActor(store, 'tongbientap');
  const editor = userActor(store, 'bientap1');
  const units = s.units.list(chief).filter((u) => u.validTo === null && /^Đảng ủy (xã|phường)/.test(u.name));
  // Copies split over the communes and wards, the remainder to the first ones: sums to the print run.
  const distribution = units.map((u, i) => ({ unitId: u.id, copies: Math.floor(PRINT_RUN / units.length) + (i < PRINT_RUN % units.length ? 1 : 0) }));

  const finishedDate = issueDate(now, -1);
  const finished = s.issues.create(editor, { number: Number(finishedDate.slice(5, 7)), date: finishedDate, printRun: PRINT_RUN, distribution });
  s.issuePlans.put(editor, finished.id, { sections: planOf(s, editor, demo.forIssues.published) });
  const job = s.typeset.request(editor, finished.id, {});

  const nextDate = issueDate(now, 1);
  const composing = s.issues.create(editor, { number: Number(nextDate.slice(5, 7)), date: nextDate, printRun: PRINT_RUN, distribution });
  s.issuePlans.put(editor, composing.id, { sections: planOf(s, editor, demo.forIssues.scheduled) });
  return { finishedIssueId: finished.id, jobId: job.id, composingIssueId: composing.id };
}

export type DemoStep = 'waiting' | 'published' | 'failed';

/**
 * One look at the finished issue: when its typeset job is done, sign off, send to print and publish it
 * (as the editor-in-chief). Returns where it stands; a failed job is reported, not retried in a loop.
 */
export async function advanceDemoIssue(s: Services, store: Store, issueId: number): Promise<{ step: DemoStep; message?: string }> {
  const chief = userActor(store, 'tongbientap');
  const issue = store.issues.get(issueId);
  if (!issue) return { step: 'failed', message: `demo issue ${issueId} no longer exists` };
  if (issue.state === 'published') return { step: 'published' };
  const job = store.jobs.latest(issueId);
  if (job && (job.state === 'failed' || job.state === 'cancelled')) {
    return { step: 'failed', message: `the demo issue's typeset job ${job.id} ${job.state}: ${job.error ?? ''}` };
  }
  // Nothing queued (loaded with --no-serve and the job cancelled meanwhile, say): ask for one.
  if (!job) s.typeset.request(chief, issueId, {});
  if (issue.state !== 'typeset' && issue.state !== 'signed_off' && issue.state !== 'sent_to_print') return { step: 'waiting' };
  if (issue.state === 'typeset') await s.signOff.signOff(chief, issueId, {});
  if (store.issues.get(issueId)?.state === 'signed_off') s.printing.sendToPrint(chief, issueId, {});
  s.publishing.publish(chief, issueId, {});
  return { step: 'published' };
}

/**
 * Follows the finished demo issue until it is published, on its own connection to the data dir (the
 * server's worker typesets it meanwhile). Stops quietly when there is nothing left to do; reports
 * refusals on `report` and leaves the marker file so the next start tries again.
 */
export async function finishDemoIssue(dataDir: string, openStore: (dir: string) => Store, report: (line: string) => void, pollMs = 1000): Promise<void> {
  const marker = path.join(dataDir, DEMO_ISSUE_FILE);
  if (!fs.existsSync(marker)) return;
  const { issueId } = JSON.parse(fs.readFileSync(marker, 'utf8')) as { issueId: number };
  const store = openStore(dataDir);
  try {
    const s = createServices({ store });
    for (;;) {
      const r = await advanceDemoIssue(s, store, issueId);
      if (r.message) report(r.message);
      if (r.step === 'published') {
        fs.rmSync(marker, { force: true });
        const issue = store.issues.get(issueId);
        report(`demo issue ${issue?.number}/${issue?.year} typeset, signed off, sent to print and published`);
        return;
      }
      if (r.step === 'failed') return;
      // unref: a server stopped meanwhile must not be kept alive by this wait.
      await new Promise<void>((resolve) => setTimeout(resolve, pollMs).unref());
    }
  } finally {
    store.close();
  }
}
