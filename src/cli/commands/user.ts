import { loadConfig } from '../../config.ts';
import { BadInputError } from '../../domain/errors.ts';
import { isRole, ROLES } from '../../domain/roles.ts';
import { destination } from 'pino';
import { createLogger, createRuntime } from '../../main.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

const USAGE = 'user add <username> --role <role> [--unit <id>] [--display-name <name>] (password from BANTIN_PASSWORD or stdin)';

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `bantin user add`: creates an account from the command line (first admin on a headless server, or a
 * print shop account). Runs the same workflow as the API, acting as the system (audited with no actor).
 */
const user: Command = async (ctx) => {
  const { values, positionals } = parseCommandArgs(ctx.argv, { role: { type: 'string' }, unit: { type: 'string' }, 'display-name': { type: 'string' } }, USAGE);
  const [sub, username] = positionals;
  if (sub !== 'add' || !username) throw new BadInputError(`usage: bantin ${USAGE}`);
  if (!isRole(values.role)) throw new BadInputError(`--role must be one of ${ROLES.join(', ')}`, { field: 'role' });
  const password = (ctx.env.BANTIN_PASSWORD ?? (await readStdin(process.stdin))).replace(/\r?\n$/, '');
  const config = loadConfig(ctx.env);
  const runtime = createRuntime(config, { logger: createLogger(config, destination(2)) });
  try {
    const created = await runtime.services.users.createAsSystem({
      username,
      password,
      role: values.role,
      displayName: values['display-name'] ?? username,
      unitId: values.unit,
    });
    ctx.stdout.write(`created user ${created.username} (id ${created.id}, role ${created.role})\n`);
  } finally {
    runtime.store.close();
  }
  return 0;
};
export default user;
