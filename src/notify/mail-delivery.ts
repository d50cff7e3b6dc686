/**
 * Sends the mail outbox in the background, like the portal channel dispatcher: a request only writes a row
 * (in its own transaction) and kicks this loop; a mail server that is down or slow never blocks or fails it.
 * Each mail: pending → sent, or after a temporary failure retried later with exponential backoff (bounded
 * attempts) → failed. A permanent refusal (SMTP 5xx) fails at once. Pending mail survives a restart.
 */
import type { Store } from '../store/index.ts';
import { backoffDelay } from '../publish/dispatcher.ts';
import { isPermanentMailError, type Mailer } from './mailer.ts';

export interface MailDeliveryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Mails sent per pass before the queue is looked at again */
  batchSize: number;
}

export const DEFAULT_MAIL_DELIVERY_OPTIONS: MailDeliveryOptions = { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 60 * 60_000, batchSize: 20 };

export interface MailDeliveryLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class MailDelivery {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly deps: { store: Store; mailer: Mailer; clock: () => Date; logger?: MailDeliveryLogger },
    private readonly opts: MailDeliveryOptions = DEFAULT_MAIL_DELIVERY_OPTIONS,
  ) {}

  /** Something was queued (or the app started): send what is due, in the background. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.deps.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'mail delivery pass aborted'))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.closed) {
          this.again = false;
          this.kick();
          return;
        }
        try {
          this.scheduleNext();
        } catch (err) {
          // The store may be closing under us at shutdown; pending mail is picked up on the next start.
          this.deps.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not schedule the next mail retry');
        }
      });
  }

  /** Resolves once nothing is being sent and nothing is due now (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.idle();
    this.deps.mailer.close();
  }

  private async drain(): Promise<void> {
    const { store } = this.deps;
    for (;;) {
      const due = store.mail.due(this.now(), this.opts.batchSize);
      if (!due.length || this.closed) return;
      for (const mail of due) {
        if (this.closed) return;
        const attempts = mail.attempts + 1;
        try {
          await this.deps.mailer.send({ to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
          store.mail.markSent(mail.id, attempts, this.now());
          this.deps.logger?.info({ mailId: mail.id, kind: mail.kind, attempts }, 'mail sent');
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const giveUp = isPermanentMailError(err) || attempts >= this.opts.maxAttempts;
          const retryAt = giveUp ? null : new Date(this.deps.clock().getTime() + backoffDelay(attempts, this.opts.baseDelayMs, this.opts.maxDelayMs)).toISOString();
          store.mail.markAttemptFailed(mail.id, attempts, message, retryAt);
          this.deps.logger?.warn({ mailId: mail.id, kind: mail.kind, attempts, retryAt, err: message }, giveUp ? 'mail failed' : 'mail will be retried');
        }
      }
    }
  }

  /** Wakes up when the earliest retry is due (one timer, not one per mail). */
  private scheduleNext(): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    const next = this.deps.store.mail.nextDueAt();
    if (next === null) return;
    const wait = Math.max(0, Date.parse(next) - this.deps.clock().getTime());
    this.timer = setTimeout(() => this.kick(), Math.min(wait, 2 ** 31 - 1));
    this.timer.unref();
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}
