/**
 * Chaos run (not a speed benchmark): `bantin serve` with its in-process worker typesets one small issue per
 * round, and every Chromium of that server is SIGKILLed once per round, at a delay after pagination starts
 * that changes each round (0–3 s), so the kill lands in page set-up, pagination, printing or paperwork.
 * Prints each job's outcome; ends with the server's own log lines about crashes. The server must survive
 * every round (it did not before paginate.ts handled prints awaited later). Tested behaviour lives in
 * test/ops/browser-crash.test.ts; this explores timings the test does not pin down.
 *
 *   node bin/run-ts.mjs bench/ops-chaos.ts [rounds=14]
 */
import fs from 'node:fs';
import { chromiumUnder, cleanUpProcesses, killChromium, processTmpDir, startServe } from '../test/ops/serve-process.ts';
import { BULLETIN, setupAdmin, tempDataDir, userWithRole } from '../test/web/helpers.ts';

const rounds = Number(process.argv[2] ?? 14);
const dataDir = tempDataDir('bantin-chaos-');
const tmpDir = processTmpDir();
const server = await startServe(dataDir, { tmpDir, env: { BANTIN_RENDER_TIMEOUT_MS: '120000' } });
const admin = await setupAdmin(server.api);
await server.api('PUT', '/bulletin', { token: admin, json: BULLETIN });
const editor = await userWithRole(server.api, admin, 'bientap', 'editor');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const outcomes: Record<string, number> = {};
try {
  for (let round = 1; round <= rounds; round += 1) {
    const articleIds: number[] = [];
    for (let i = 1; i <= 6; i += 1) {
      const a = await server.api<{ id: number }>('POST', '/articles', { token: editor.token, json: { title: `Vòng ${round}, bài ${i}`, bodyHtml: `<p>Vòng ${round}, tin ${i}: Đảng bộ xã thực hiện nghị quyết, nâng cao chất lượng sinh hoạt chi bộ. </p>`.repeat(10) } });
      for (const to of ['in_review', 'approved']) await server.api('POST', `/articles/${a.body.id}/transition`, { token: editor.token, json: { to } });
      articleIds.push(a.body.id);
    }
    const issue = await server.api<{ id: number }>('POST', '/issues', { token: editor.token, json: { number: round, date: '2026-11-15', printRun: 100 } });
    await server.api('PUT', `/issues/${issue.body.id}/plan`, { token: editor.token, json: { sections: [{ title: 'Tin tức', articleIds }] } });
    const job = await server.api<{ jobId: number }>('POST', `/issues/${issue.body.id}/typeset`, { token: editor.token });
    const delay = (round % 7) * 500;
    let killedAt = '';
    for (;;) {
      const j = await server.api<{ state: string; stage: string; error?: string }>('GET', `/jobs/${job.body.jobId}`, { token: editor.token });
      if (!killedAt && j.body.state === 'running' && j.body.stage === 'paginate') {
        await sleep(delay);
        const victims = chromiumUnder(tmpDir);
        killedAt = (await server.api<{ stage: string }>('GET', `/jobs/${job.body.jobId}`, { token: editor.token })).body.stage;
        for (const v of victims) killChromium(v.pid);
      }
      if (['done', 'failed', 'cancelled'].includes(j.body.state)) {
        outcomes[j.body.state] = (outcomes[j.body.state] ?? 0) + 1;
        process.stdout.write(`round ${round}: killed ${delay} ms into pagination (stage ${killedAt}) → ${j.body.state}${j.body.error ? `: ${j.body.error}` : ''}\n`);
        break;
      }
      await sleep(50);
    }
  }
  process.stdout.write(`server survived ${rounds} rounds: ${JSON.stringify(outcomes)}\n`);
} catch (err) {
  process.stdout.write(`FAILED (server gone?): ${String(err)}\n`);
} finally {
  const log = server.stderr().split('\n').filter((l) => /unhandled|crash|Chromium/i.test(l));
  process.stdout.write(`server log lines about crashes: ${log.length}\n${log.slice(0, 20).join('\n')}\n`);
  if (server.child.exitCode === null) await server.stop();
  cleanUpProcesses();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
