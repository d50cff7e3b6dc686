import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config.ts';
import { openStore } from '../../store/index.ts';
import { loadDemoProvince, type DemoLogin } from '../../workflow/demo-province.ts';
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
 * only), then serves the app. `--no-serve` only loads.
 */
const demo: Command = async (ctx) => {
  const { values } = parseCommandArgs(ctx.argv, { 'no-serve': { type: 'boolean' } }, 'demo [--no-serve]');
  const config = loadConfig(ctx.env);
  const loginsFile = path.join(config.dataDir, LOGINS_FILE);
  const store = openStore(config.dataDir);
  try {
    if (store.users.count() === 0) {
      ctx.stderr.write(`bantin demo: loading the demo province into ${config.dataDir} …\n`);
      const logins = await loadDemoProvince(store, { issuesDir: ISSUES_DIR });
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
  return serve({ ...ctx, argv: [] });
};
export default demo;
