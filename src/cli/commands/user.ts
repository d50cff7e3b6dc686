import type { Command } from '../run.ts';

// Placeholder until the "user" command lands; says so instead of pretending to work.
const user: Command = async (ctx) => {
  ctx.stderr.write('bantin user: not implemented yet\n');
  return 1;
};
export default user;
