import { BadInputError } from '../../domain/errors.ts';
import { restoreBackup } from '../../ops/restore.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

const USAGE = 'restore <file> --data <empty dir>';

/**
 * `bantin restore <file> --data <dir>`: verifies every hash, then moves the restored data dir into place
 * in one rename. A damaged or altered archive exits 2 and leaves nothing behind.
 */
const restore: Command = async (ctx) => {
  const { positionals, values } = parseCommandArgs(ctx.argv, { data: { type: 'string' } }, USAGE);
  if (positionals.length !== 1) throw new BadInputError(`expected exactly one backup file\nusage: bantin ${USAGE}`);
  if (!values.data) throw new BadInputError(`--data <empty dir> is required (restore never writes into the live data dir by default)\nusage: bantin ${USAGE}`, { field: '--data' });
  const r = await restoreBackup(positionals[0] ?? '', values.data);
  ctx.stdout.write(
    `restored ${r.files} files (${r.bytes} bytes) into ${r.dataDir}, every sha256 verified\n` +
      `  backup of ${r.manifest.createdAt}, schema version ${r.manifest.schemaVersion}, bantin ${r.manifest.bantinVersion}\n` +
      `  start it with BANTIN_DATA_DIR=${r.dataDir}\n`,
  );
  return 0;
};
export default restore;
