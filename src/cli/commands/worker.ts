import { loadConfig } from '../../config.ts';
import { createRuntime, createWorker } from '../../main.ts';
import { removeLeftovers } from '../../ops/leftovers.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

/**
 * `bantin worker [--once]`: the typeset job loop of the server, in its own process (the first step of the
 * scale-out path). Run the server with BANTIN_WORKER=off; any number of workers share the jobs table
 * through leases. `--once` runs what is queued and exits.
 */
const worker: Command = async (ctx) => {
  const { values } = parseCommandArgs(ctx.argv, { once: { type: 'boolean' } }, 'worker [--once]');
  const config = loadConfig(ctx.env);
  const runtime = createRuntime(config);
  const w = createWorker(runtime);
  // As in serve.ts: a stray rejected promise (a bug) is logged instead of killing the worker mid-job.
  const onUnhandled = (reason: unknown) => runtime.logger.error({ err: reason }, 'unhandled promise rejection (a bug); the worker keeps running');
  process.on('unhandledRejection', onUnhandled);
  const cleanUp = async () => {
    const removed = await removeLeftovers({ dataDir: config.dataDir, jobs: runtime.store.jobs });
    if (removed.length) runtime.logger.warn({ removed }, 'removed temp files left by an interrupted process');
  };
  try {
    if (values.once) {
      w.recoverInterrupted();
      await cleanUp();
      const n = await w.drain();
      ctx.stdout.write(`ran ${n} typeset job${n === 1 ? '' : 's'}\n`);
      return 0;
    }
    w.start();
    await cleanUp();
    ctx.stderr.write(`bantin worker: ${w.id} taking typeset jobs from ${config.dataDir}\n`);
    let stop: (signal: NodeJS.Signals) => void = () => undefined;
    await new Promise<void>((resolve) => {
      let stopping = false;
      stop = (signal) => {
        if (stopping) return;
        stopping = true;
        ctx.stderr.write(`bantin worker: ${signal}, finishing (a running job is re-queued)\n`);
        resolve();
      };
      // Listening (not once): the browser's handler re-raises the signal, which must not end the process
      // before the running job is re-queued (see serve.ts).
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return 0;
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await w.stop();
    await runtime.services.channels.dispatcher.close();
    runtime.store.close();
  }
};
export default worker;
