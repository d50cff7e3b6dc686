import { loadConfig } from '../../config.ts';
import { startServer } from '../../main.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

/** `bantin serve`: runs the web app until SIGINT/SIGTERM, then shuts down gracefully. */
const serve: Command = async (ctx) => {
  parseCommandArgs(ctx.argv, {}, 'serve');
  const config = loadConfig(ctx.env);
  const running = await startServer(config);
  ctx.stderr.write(`bantin: serving ${running.url} (data: ${config.dataDir})\n`);
  if (running.runtime.services.auth.needsSetup()) ctx.stderr.write(`bantin: no users yet, open ${running.url}/setup to create the first admin\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      ctx.stderr.write(`bantin: ${signal}, shutting down\n`);
      void running.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
};
export default serve;
