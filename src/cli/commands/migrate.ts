import { loadConfig } from '../../config.ts';
import { openStore } from '../../store/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

/** `bantin migrate`: applies pending database migrations in BANTIN_DATA_DIR and says which. */
const migrate: Command = async (ctx) => {
  parseCommandArgs(ctx.argv, {}, 'migrate');
  const config = loadConfig(ctx.env);
  const store = openStore(config.dataDir);
  try {
    const { applied, current } = store.migration;
    ctx.stdout.write(applied.length ? `applied ${applied.join(', ')}; schema version ${current}\n` : `up to date; schema version ${current}\n`);
  } finally {
    store.close();
  }
  return 0;
};
export default migrate;
