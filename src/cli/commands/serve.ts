import type { Command } from '../run.ts';

// Placeholder until the "serve" command lands; says so instead of pretending to work.
const serve: Command = async (ctx) => {
  ctx.stderr.write('bantin serve: not implemented yet\n');
  return 1;
};
export default serve;
