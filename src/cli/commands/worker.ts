import { loadConfig } from '../../config.ts';
import { createRuntime, createWorker } from '../../main.ts';
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
  try {
    if (values.once) {
      w.recoverInterrupted();
      const n = await w.drain();
      ctx.stdout.write(`ran ${n} typeset job${n === 1 ? '' : 's'}\n`);
      return 0;
    }
    w.start();
    ctx.stderr.write(`bantin worker: ${w.id} taking typeset jobs from ${config.dataDir}\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        ctx.stderr.write(`bantin worker: ${signal}, finishing (a running job is re-queued)\n`);
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    return 0;
  } finally {
    await w.stop();
    await runtime.services.channels.dispatcher.close();
    runtime.store.close();
  }
};
export default worker;
