import { loadConfig } from '../../config.ts';
import { createRuntime, createWorker } from '../../main.ts';
import { parseCommandArgs } from '../args.ts';
import { logUnhandledRejections, removeLeftoversLogged, untilStopSignal } from '../process-lifecycle.ts';
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
  const stopLogging = logUnhandledRejections(runtime.logger, 'worker');
  const cleanUp = () => removeLeftoversLogged({ dataDir: config.dataDir, jobs: runtime.store.jobs, logger: runtime.logger });
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
    // The running job is re-queued by w.stop() below, after the signal listeners are gone.
    await untilStopSignal(async (signal) => {
      ctx.stderr.write(`bantin worker: ${signal}, finishing (a running job is re-queued)\n`);
    });
    return 0;
  } finally {
    stopLogging();
    await w.stop();
    await runtime.services.channels.dispatcher.close();
    runtime.store.close();
  }
};
export default worker;
