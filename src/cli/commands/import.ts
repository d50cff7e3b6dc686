import type { Command } from '../run.ts';

// Placeholder until the "import" command lands; says so instead of pretending to work.
const importCommand: Command = async (ctx) => {
  ctx.stderr.write('bantin import: not implemented yet\n');
  return 1;
};
export default importCommand;
