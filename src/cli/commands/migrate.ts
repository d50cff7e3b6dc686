import type { Command } from '../run.ts';

// Placeholder until the "migrate" command lands; says so instead of pretending to work.
const migrate: Command = async (ctx) => {
  ctx.stderr.write('bantin migrate: not implemented yet\n');
  return 1;
};
export default migrate;
