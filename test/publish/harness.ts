/** A real store in a temp dir with a dispatcher whose backoff waits are recorded instead of slept. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../src/store/index.ts';
import { ChannelDispatcher, DEFAULT_DISPATCHER_OPTIONS, type DispatcherOptions } from '../../src/publish/dispatcher.ts';

export interface Harness {
  dataDir: string;
  store: Store;
  dispatcher: ChannelDispatcher;
  /** Backoff delays the dispatcher asked for, in order */
  sleeps: number[];
  close(): Promise<void>;
}

export function startHarness(opts: Partial<DispatcherOptions> = {}, clock: () => Date = () => new Date()): Harness {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-publish-'));
  const store = openStore(dataDir);
  const sleeps: number[] = [];
  const dispatcher = new ChannelDispatcher(
    { store, dataDir, clock },
    {
      ...DEFAULT_DISPATCHER_OPTIONS,
      // Generous: on two cores shared with other test files a healthy fake portal can take seconds to answer.
      timeoutMs: 30_000,
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((r) => setTimeout(r, 1));
      },
      ...opts,
    },
  );
  return {
    dataDir,
    store,
    dispatcher,
    sleeps,
    close: async () => {
      await dispatcher.close();
      store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
