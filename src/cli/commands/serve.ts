import { loadConfig } from '../../config.ts';
import { startServer } from '../../main.ts';
import { parseCommandArgs } from '../args.ts';
import { logUnhandledRejections, removeLeftoversLogged, untilStopSignal } from '../process-lifecycle.ts';
import type { Command } from '../run.ts';

/** `bantin serve`: runs the web app until SIGINT/SIGTERM, then shuts down gracefully. */
const serve: Command = async (ctx) => {
  parseCommandArgs(ctx.argv, {}, 'serve');
  const config = loadConfig(ctx.env);
  const running = await startServer(config);
  // After the worker's crash recovery (in startServer), so a re-queued job's old temp output counts as left over.
  await removeLeftoversLogged({ dataDir: config.dataDir, jobs: running.runtime.store.jobs, logger: running.runtime.logger });
  const stopLogging = logUnhandledRejections(running.runtime.logger, 'server');
  ctx.stderr.write(`bantin: serving ${running.url} (data: ${config.dataDir})\n`);
  if (running.runtime.services.auth.needsSetup()) ctx.stderr.write(`bantin: no users yet, open ${running.url}/setup to create the first admin\n`);
  await untilStopSignal(async (signal) => {
    ctx.stderr.write(`bantin: ${signal}, shutting down\n`);
    await running.close();
  });
  stopLogging();
  return 0;
};
export default serve;
