import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config.ts';
import { openStore } from '../../store/index.ts';
import { loadDemoProvince, type DemoLogin } from '../../workflow/demo-province.ts';
import { DEMO_ISSUE_FILE, finishDemoIssue, seedDemoIssues } from '../../workflow/demo-province-issues.ts';
import { ROLE_LABELS_VI } from '../../domain/roles.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';
import serve from './serve.ts';

const ISSUES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'issues');
const LOGINS_FILE = 'demo-logins.txt';

function formatLogins(logins: DemoLogin[]): string {
  return logins.map((l) => `  ${l.username.padEnd(34)} ${l.password.padEnd(14)} ${ROLE_LABELS_VI[l.role]}${l.unit ? ` – ${l.unit}` : ''}`).join('\n');
}

/**
 * `bantin demo`: loads the demo province into BANTIN_DATA_DIR when it has no users yet (never touches a
 * data dir in use), prints the logins (also kept in <data dir>/demo-logins.txt, readable by the owner
 * only), then serves the app. Last month's issue is typeset by the server at first start and then signed
 * off, sent to print and published in the background; next month's issue waits in composition.
 * `--no-serve` only loads (the finished issue is then typeset and published at the next start).
 */
const demo: Command = async (ctx) => {
  const { values } = parseCommandArgs(ctx.argv, { 'no-serve': { type: 'boolean' } }, 'demo [--no-serve]');
  const config = loadConfig(ctx.env);
  const loginsFile = path.join(config.dataDir, LOGINS_FILE);
  const store = openStore(config.dataDir);
  try {
    if (store.users.count() === 0) {
      ctx.stderr.write(`bantin demo: loading the demo province into ${config.dataDir} …\n`);
      const { logins, ...demo } = await loadDemoProvince(store, { issuesDir: ISSUES_DIR });
      const issues = seedDemoIssues(store, { logins, ...demo });
      // The finished issue is typeset by the server's worker; finishDemoIssue takes it the rest of the way.
      fs.writeFileSync(path.join(config.dataDir, DEMO_ISSUE_FILE), JSON.stringify({ issueId: issues.finishedIssueId }));
      fs.writeFileSync(loginsFile, `Demo logins (username, password, role)\n${formatLogins(logins)}\n`, { mode: 0o600 });
      ctx.stdout.write(`Demo loaded: ${store.units.count()} units, ${logins.length} users, ${store.articles.count()} articles.\nLogins:\n${formatLogins(logins)}\n`);
    } else if (fs.existsSync(loginsFile)) {
      ctx.stdout.write(`Demo data already loaded in ${config.dataDir}.\n${fs.readFileSync(loginsFile, 'utf8')}`);
    } else {
      ctx.stdout.write(`${config.dataDir} already has users; not loading the demo into it.\n`);
    }
  } finally {
    store.close();
  }
  if (values['no-serve']) return 0;
  // In the background: the server starts now, the finished issue is published once it is typeset.
  void finishDemoIssue(config.dataDir, openStore, (line) => ctx.stderr.write(`bantin demo: ${line}\n`)).catch((err: unknown) => {
    ctx.stderr.write(`bantin demo: could not finish the demo issue (it stays as it is, try again with the next start): ${err instanceof Error ? err.message : String(err)}\n`);
  });
  return serve({ ...ctx, argv: [] });
};
export default demo;
