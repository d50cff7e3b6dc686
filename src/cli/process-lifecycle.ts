/**
 * What `bantin serve` and `bantin worker` share as long-running processes: temp files of a killed
 * predecessor are removed at start, a stray rejected promise is logged instead of ending the process, and
 * the first SIGINT/SIGTERM starts a graceful shutdown.
 */
import type { Logger } from 'pino';
import { removeLeftovers, type JobStates } from '../ops/leftovers.ts';

export async function removeLeftoversLogged(deps: { dataDir: string; jobs: JobStates; logger: Logger }): Promise<void> {
  const removed = await removeLeftovers({ dataDir: deps.dataDir, jobs: deps.jobs });
  if (removed.length) deps.logger.warn({ removed }, 'removed temp files left by an interrupted process');
}

/**
 * Last line of defence: a rejected promise nobody awaited (a bug; one was found in pagination when
 * Chromium dies mid-print) is logged loudly instead of ending the process with its work in flight.
 * Returns the function that stops listening.
 */
export function logUnhandledRejections(logger: Logger, process_: 'server' | 'worker'): () => void {
  const onUnhandled = (reason: unknown) => logger.error({ err: reason }, `unhandled promise rejection (a bug); the ${process_} keeps running`);
  process.on('unhandledRejection', onUnhandled);
  return () => process.off('unhandledRejection', onUnhandled);
}

/**
 * Waits for the first SIGINT/SIGTERM and runs `shutdown` while still listening: the browser's own handler
 * re-raises the signal after killing Chromium, and without a listener left that re-raise would end the
 * process before requests drain and a running job is re-queued. Later signals are ignored.
 */
export async function untilStopSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>): Promise<void> {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const first = new Promise<NodeJS.Signals>((resolve) => {
    let seen = false;
    onSignal = (signal) => {
      if (seen) return;
      seen = true;
      resolve(signal);
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await shutdown(await first);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
