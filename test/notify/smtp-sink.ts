/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps every message it accepts, parsed
 * with mailparser, so tests check what a mail client would show: To, the decoded Subject, the text, links.
 * `refuseNext` makes it answer the next messages with an SMTP error (4xx: try later, 5xx: never).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  to: string[];
  from: string;
  /** Raw header line, to check the encoding on the wire */
  rawSubject: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** Answer the next `count` messages with this SMTP code instead of accepting them. */
  refuseNext(count: number, code: number): void;
  close(): Promise<void>;
}

function addresses(m: ParsedMail): string[] {
  const to = m.to === undefined ? [] : Array.isArray(m.to) ? m.to : [m.to];
  return to.flatMap((a) => a.value.map((v) => v.address ?? ''));
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let refusals: { count: number; code: number } = { count: 0, code: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusals.count > 0) {
          refusals = { ...refusals, count: refusals.count - 1 };
          const err = Object.assign(new Error(refusals.code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: refusals.code });
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks);
        const rawSubject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw.toString('latin1'))?.[1] ?? '';
        simpleParser(raw).then(
          (m) => {
            received.push({ to: addresses(m), from: m.from?.text ?? '', rawSubject, subject: m.subject ?? '', text: m.text ?? '', html: typeof m.html === 'string' ? m.html : '' });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (count, code) => {
      refusals = { count, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
