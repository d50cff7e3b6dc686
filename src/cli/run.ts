/**
 * The `bantin` command table. Each command lives in its own module under ./commands and is loaded lazily, so
 * `bantin import` never pays for Chromium or SQLite. Error → exit code mapping lives here only:
 * 0 ok, 1 built with errors (or an unexpected failure), 2 bad input.
 */
import { describeError, isAppError } from '../domain/errors.ts';

export interface CommandContext {
  argv: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** A command returns its exit code; bad input is thrown as BadInputError (→ 2). */
export type Command = (ctx: CommandContext) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  build: { summary: 'build <issue-dir> --out <dir> [--profile print|screen|all] [--json] [--html]', load: async () => (await import('./commands/build.ts')).default },
  import: { summary: 'import <file> [--encoding auto|unicode|tcvn3|vni|viqr|cp1258|viscii|vps] --out <dir>', load: async () => (await import('./commands/import.ts')).default },
  serve: { summary: 'serve                      start the web app (PORT, BANTIN_DATA_DIR)', load: async () => (await import('./commands/serve.ts')).default },
  migrate: { summary: 'migrate                    apply database migrations', load: async () => (await import('./commands/migrate.ts')).default },
  demo: { summary: 'demo                       load the demo province and start the app', load: async () => (await import('./commands/demo.ts')).default },
  backup: { summary: 'backup <file>              online backup of the data dir', load: async () => (await import('./commands/backup.ts')).default },
  restore: { summary: 'restore <file> --data <empty dir>', load: async () => (await import('./commands/restore.ts')).default },
  worker: { summary: 'worker [--once]            run typeset jobs in this process (serve with BANTIN_WORKER=off)', load: async () => (await import('./commands/worker.ts')).default },
  media: { summary: 'media prune [--dry-run] [--json]   remove unused uploaded pictures past the grace period', load: async () => (await import('./commands/media.ts')).default },
  user: { summary: 'user add <username> --role <role> [--unit <id>] [--display-name <name>] (password from BANTIN_PASSWORD or stdin)', load: async () => (await import('./commands/user.ts')).default },
};

function usage(): string {
  return ['usage: bantin <command> [options]', '', ...Object.values(commands).map((c) => `  bantin ${c.summary}`)].join('\n');
}

export async function runCli(argv: string[], ctx: Omit<CommandContext, 'argv'>): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const entry = commands[name];
  if (!entry) {
    ctx.stderr.write(`bantin: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command({ ...ctx, argv: rest });
  } catch (err) {
    if (isAppError(err)) {
      ctx.stderr.write(`bantin ${name}: ${describeError(err)}\n`);
      return err.httpStatus >= 400 && err.httpStatus < 500 && err.httpStatus !== 422 ? 2 : 1;
    }
    ctx.stderr.write(`bantin ${name}: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
