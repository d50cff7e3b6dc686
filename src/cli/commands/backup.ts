import path from 'node:path';
import { loadConfig } from '../../config.ts';
import { BadInputError } from '../../domain/errors.ts';
import { createBackup } from '../../ops/backup.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

const USAGE = 'backup <file>   (online backup of BANTIN_DATA_DIR, default ./data, as a .tar.gz)';

/** `bantin backup <file>`: a consistent archive of the data dir while the server keeps running. */
const backup: Command = async (ctx) => {
  const { positionals } = parseCommandArgs(ctx.argv, {}, USAGE);
  if (positionals.length !== 1) throw new BadInputError(`expected exactly one backup file\nusage: bantin ${USAGE}`, { expected: 'bantin backup <file>' });
  const config = loadConfig(ctx.env);
  const out = path.resolve(positionals[0] ?? '');
  ctx.stderr.write(`bantin backup: backing up ${config.dataDir} …\n`);
  const r = await createBackup({ dataDir: config.dataDir, outFile: out });
  const bytes = r.manifest.entries.reduce((n, e) => n + e.size, 0);
  ctx.stdout.write(
    `backup written: ${r.file}\n` +
      `  ${r.manifest.entries.length} files (${bytes} bytes before compression), archive ${r.bytes} bytes\n` +
      `  schema version ${r.manifest.schemaVersion}, bantin ${r.manifest.bantinVersion}\n` +
      `  sha256 ${r.sha256}\n`,
  );
  if (r.recordError) ctx.stderr.write(`bantin backup: the backup is complete, but it could not be noted in the data dir (${r.recordError})\n`);
  if (r.manifest.skipped.length) ctx.stderr.write(`bantin backup: ${r.manifest.skipped.length} files vanished while backing up: ${r.manifest.skipped.join(', ')}\n`);
  return 0;
};
export default backup;
