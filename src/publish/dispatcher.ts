/**
 * Runs the portal channels for a published issue in the background, so a portal that is down never
 * blocks publishing. Per issue and channel: status pending → ok | failed, attempts and the last error
 * persisted after every try; retries with exponential backoff on 5xx / 408 / 429 / timeouts / network
 * errors (bounded attempts); other 4xx and configuration errors fail at once with the remote's message.
 * Remote ids from earlier runs are handed back to the channel so a re-publish updates.
 */
import type { Store } from '../store/index.ts';
import { CHANNEL_KINDS, type ChannelKind, type PublishedIssueBundle } from './channel.ts';
import { loadPublishedBundle } from './bundle.ts';
import { createChannel, isActive } from './registry.ts';
import { RemoteError } from './remote-error.ts';

export interface DispatcherLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DispatcherOptions {
  publicBaseUrl?: string;
  fetch: typeof fetch;
  /** Abortable wait between attempts; tests inject a tiny or recorded one. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  logger?: DispatcherLogger;
}

export interface DispatcherDeps {
  store: Store;
  dataDir: string;
  clock: () => Date;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  fetch: (...args) => fetch(...args),
  sleep: abortableSleep,
  maxAttempts: 5,
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  timeoutMs: 60_000,
};

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Delay before attempt `n + 1` after `n` failed attempts: base · 2^(n−1), capped. */
export function backoffDelay(failedAttempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

export class ChannelDispatcher {
  private readonly running = new Map<string, Promise<void>>();
  private readonly stop = new AbortController();

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly opts: DispatcherOptions,
  ) {}

  /** Channels that would run for a publish now. */
  activeKinds(): ChannelKind[] {
    return CHANNEL_KINDS.filter((k) => isActive(k, this.deps.store.channels.getSettings(k)));
  }

  /** Marks every active channel pending for the issue and starts them in the background. */
  enqueue(issueId: number, requested: ChannelKind[] = this.activeKinds()): void {
    // A delivery already under way carries on (the signed files do not change); it is not restarted.
    const kinds = requested.filter((k) => !this.isRunning(issueId, k));
    const now = this.now();
    for (const kind of kinds) this.deps.store.channels.markPending(issueId, kind, now);
    if (!kinds.length) return;
    // One bundle per publish, shared by the channels (the PDF is read once).
    const bundle = loadPublishedBundle({ store: this.deps.store, dataDir: this.deps.dataDir, publicBaseUrl: this.opts.publicBaseUrl }, issueId);
    bundle.catch(() => undefined); // handled per channel in run()
    for (const kind of kinds) this.start(issueId, kind, bundle);
  }

  /** After a failure (or a settings fix): run one channel again for an issue. */
  retry(issueId: number, kind: ChannelKind): void {
    if (this.running.has(`${issueId}:${kind}`)) return;
    this.enqueue(issueId, [kind]);
  }

  isRunning(issueId: number, kind: ChannelKind): boolean {
    return this.running.has(`${issueId}:${kind}`);
  }

  /** Deliveries left pending by a previous process (crash, restart) start again. */
  resumePending(): number {
    const pending = this.deps.store.channels.pending().filter((d) => !this.running.has(`${d.issueId}:${d.kind}`));
    const byIssue = new Map<number, ChannelKind[]>();
    for (const d of pending) if ((CHANNEL_KINDS as readonly string[]).includes(d.kind)) byIssue.set(d.issueId, [...(byIssue.get(d.issueId) ?? []), d.kind as ChannelKind]);
    for (const [issueId, kinds] of byIssue) this.enqueue(issueId, kinds);
    return pending.length;
  }

  /** Resolves when nothing is running (tests; graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  /** Cancels waits and requests in flight; their deliveries stay pending and resume on next start. */
  async close(): Promise<void> {
    this.stop.abort(new Error('bantin is stopping'));
    await this.idle();
  }

  private start(issueId: number, kind: ChannelKind, bundle: Promise<PublishedIssueBundle>): void {
    const key = `${issueId}:${kind}`;
    if (this.running.has(key)) return;
    const job = this.run(issueId, kind, bundle)
      // Only a store failure gets here (e.g. the database closed under us): log it, never crash the app.
      .catch((err: unknown) => this.opts.logger?.warn({ issueId, kind, err: errorText(err) }, 'portal channel run aborted'))
      .finally(() => this.running.delete(key));
    this.running.set(key, job);
  }

  private async run(issueId: number, kind: ChannelKind, bundlePromise: Promise<PublishedIssueBundle>): Promise<void> {
    const { store } = this.deps;
    const log = this.opts.logger;
    let bundle: PublishedIssueBundle;
    try {
      bundle = await bundlePromise;
    } catch (err) {
      store.channels.markFailed(issueId, kind, errorText(err), this.now());
      log?.warn({ issueId, kind, err: errorText(err) }, 'portal channel could not prepare the issue');
      return;
    }
    for (let attempt = 1; ; attempt++) {
      if (this.stop.signal.aborted) return; // stays pending; resumed on next start
      const remembered = { ...(store.channels.delivery(issueId, kind)?.remoteIds ?? {}) };
      try {
        const channel = createChannel(kind, store.channels.getSettings(kind), this.deps.dataDir);
        const result = await channel.publish(bundle, {
          fetch: this.opts.fetch,
          timeoutMs: this.opts.timeoutMs,
          now: this.deps.clock,
          signal: this.stop.signal,
          previous: remembered,
          remember: (ids) => store.channels.saveRemoteIds(issueId, kind, ids, this.now()),
        });
        store.channels.recordAttempt(issueId, kind, attempt, null, this.now());
        store.channels.markOk(issueId, kind, result, this.now());
        log?.info({ issueId, kind, attempt, remoteId: result.remoteId }, 'issue delivered to portal channel');
        return;
      } catch (err) {
        if (this.stop.signal.aborted) return;
        const message = errorText(err);
        store.channels.recordAttempt(issueId, kind, attempt, message, this.now());
        const retryable = err instanceof RemoteError && err.retryable;
        if (!retryable || attempt >= this.opts.maxAttempts) {
          store.channels.markFailed(issueId, kind, retryable ? `${message} (gave up after ${attempt} attempts)` : message, this.now());
          log?.warn({ issueId, kind, attempt, err: message }, 'portal channel failed');
          return;
        }
        const delay = backoffDelay(attempt, this.opts.baseDelayMs, this.opts.maxDelayMs);
        log?.info({ issueId, kind, attempt, delay, err: message }, 'portal channel will retry');
        try {
          await this.opts.sleep(delay, this.stop.signal);
        } catch {
          return; // shutting down: stays pending, resumed on next start
        }
      }
    }
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
