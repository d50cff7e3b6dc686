import { loadConfig } from '../../config.ts';
import { BadInputError } from '../../domain/errors.ts';
import { pruneMedia } from '../../ops/media-prune.ts';
import { openStore } from '../../store/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

const USAGE = 'media prune [--dry-run] [--json]   (remove unused uploaded pictures older than BANTIN_MEDIA_GRACE_DAYS, default 7)';

/** `bantin media prune`: the daily maintenance's picture sweep, on demand (safe while the server runs). */
const media: Command = async (ctx) => {
  const { positionals, values } = parseCommandArgs(ctx.argv, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 1 || positionals[0] !== 'prune') {
    throw new BadInputError(`expected the subcommand "prune"\nusage: bantin ${USAGE}`, { expected: 'bantin media prune [--dry-run]' });
  }
  const config = loadConfig(ctx.env);
  const store = openStore(config.dataDir);
  try {
    const r = await pruneMedia({ store, clock: () => new Date(), graceDays: config.mediaGraceDays }, { dryRun: values['dry-run'] ?? false });
    if (values.json) {
      ctx.stdout.write(JSON.stringify(r) + '\n');
      return 0;
    }
    const verb = r.dryRun ? 'would remove' : 'removed';
    ctx.stdout.write(
      `${verb} ${r.pictures.length} unused pictures (${r.bytes} bytes) older than ${config.mediaGraceDays} days` +
        (r.strayFiles.length ? `, and ${r.strayFiles.length} files without a database row` : '') +
        '\n',
    );
    for (const p of r.pictures) ctx.stdout.write(`  ${p.sha256}  ${p.bytes} bytes  stored ${p.createdAt}\n`);
    for (const f of r.strayFiles) ctx.stdout.write(`  ${f}  (no database row)\n`);
    if (r.keptByText) ctx.stdout.write(`kept ${r.keptByText} pictures that an article body, revision, draft or rendition still names\n`);
  } finally {
    store.close();
  }
  return 0;
};
export default media;
