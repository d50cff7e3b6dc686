import { loadConfig } from '../../config.ts';
import { startServer } from '../../main.ts';
import { removeLeftovers } from '../../ops/leftovers.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

/** `bantin serve`: runs the web app until SIGINT/SIGTERM, then shuts down gracefully. */
const serve: Command = async (ctx) => {
  parseCommandArgs(ctx.argv, {}, 'serve');
  const config = loadConfig(ctx.env);
  const running = await startServer(config);
  // After the worker's crash recovery (in startServer), so a re-queued job's old temp output counts as left over.
  const removed = await removeLeftovers({ dataDir: config.dataDir, jobs: running.runtime.store.jobs });
  if (removed.length) running.runtime.logger.warn({ removed }, 'removed temp files left by an interrupted process');
  // Last line of defence: a rejected promise nobody awaited (a bug — one was found in pagination when
  // Chromium dies mid-print) is logged loudly instead of ending the process with every request in flight.
  const onUnhandled = (reason: unknown) => running.runtime.logger.error({ err: reason }, 'unhandled promise rejection (a bug); the server keeps running');
  process.on('unhandledRejection', onUnhandled);
  ctx.stderr.write(`bantin: serving ${running.url} (data: ${config.dataDir})\n`);
  if (running.runtime.services.auth.needsSetup()) ctx.stderr.write(`bantin: no users yet, open ${running.url}/setup to create the first admin\n`);
  let stop: (signal: NodeJS.Signals) => void = () => undefined;
  await new Promise<void>((resolve) => {
    let stopping = false;
    stop = (signal) => {
      if (stopping) return;
      stopping = true;
      ctx.stderr.write(`bantin: ${signal}, shutting down\n`);
      void running.close().then(resolve);
    };
    // Listening (not once): the browser's own handler re-raises the signal after killing Chromium, and
    // without a listener left that re-raise would end the process before requests drain and jobs re-queue.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  process.off('unhandledRejection', onUnhandled);
  return 0;
};
export default serve;
