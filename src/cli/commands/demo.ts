import type { Command } from '../run.ts';

// Placeholder until the "demo" command lands; says so instead of pretending to work.
const demo: Command = async (ctx) => {
  ctx.stderr.write('bantin demo: not implemented yet\n');
  return 1;
};
export default demo;
