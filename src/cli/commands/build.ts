import type { Command } from '../run.ts';

// Placeholder until the "build" command lands; says so instead of pretending to work.
const build: Command = async (ctx) => {
  ctx.stderr.write('bantin build: not implemented yet\n');
  return 1;
};
export default build;
