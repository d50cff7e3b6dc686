import type { Command } from '../run.ts';

// Placeholder until the "restore" command lands; says so instead of pretending to work.
const restore: Command = async (ctx) => {
  ctx.stderr.write('bantin restore: not implemented yet\n');
  return 1;
};
export default restore;
