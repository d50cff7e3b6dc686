import type { Command } from '../run.ts';

// Placeholder until the "backup" command lands; says so instead of pretending to work.
const backup: Command = async (ctx) => {
  ctx.stderr.write('bantin backup: not implemented yet\n');
  return 1;
};
export default backup;
