/**
 * The Mailer port: what the rest of bantin needs from an e-mail server (send one message), and its SMTP
 * implementation with nodemailer. Tests and a future provider plug in another Mailer; nothing else imports
 * nodemailer.
 */
import type { Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A refusal from the mail server that retrying will not fix (bad recipient, relay denied: SMTP 5xx). */
export function isPermanentMailError(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://… */
  url: string;
  /** From address, e.g. "Ban biên tập <bantin@tinhuy.vn>" */
  from: string;
}

export function smtpMailer(settings: SmtpSettings, opts: { timeoutMs?: number } = {}): Mailer {
  const timeout = opts.timeoutMs ?? 30_000;
  // One connection per message is enough for a monthly bulletin; bounded waits so a silent server is a retry, not a hang.
  // nodemailer (~15 MiB resident) loads with the first mail, not when `bantin serve` starts (bench/RESULTS-publish.md).
  let transport: Promise<Transporter> | undefined;
  const open = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({ url: settings.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout }, { from: settings.from }),
    ));
  return {
    async send(m) {
      await (await open()).sendMail({ to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}) });
    },
    // Nothing to close before the first mail. A failed load was already reported by the send that started it.
    close: () => void transport?.then((t) => t.close(), () => undefined),
  };
}
