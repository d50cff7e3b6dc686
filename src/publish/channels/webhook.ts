/**
 * Generic webhook for any other portal: POST JSON metadata + file URLs, signed (webhook-signature.ts).
 * The same issue always carries the same `Idempotency-Key` and `key`, and the id the receiver returned
 * last time, so a receiver can update instead of duplicating. The receiver may answer `{id, url}`.
 */
import crypto from 'node:crypto';
import type { ChannelContext, ChannelResult, PublishChannel, PublishedIssueBundle } from '../channel.ts';
import { request, requireSafeBaseUrl } from '../http.ts';
import type { WebhookSettings } from '../settings.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from '../webhook-signature.ts';

export class WebhookChannel implements PublishChannel {
  readonly kind = 'webhook' as const;
  private readonly url: string;

  constructor(private readonly settings: WebhookSettings) {
    this.url = requireSafeBaseUrl(settings.url, 'webhook.url').toString();
  }

  async publish(issue: PublishedIssueBundle, ctx: ChannelContext): Promise<ChannelResult> {
    const body = JSON.stringify({
      event: ctx.previous.id ? 'issue.updated' : 'issue.published',
      deliveryId: crypto.randomUUID(),
      key: issue.key,
      previousRemoteId: ctx.previous.id ?? null,
      issue: {
        id: issue.issueId,
        number: issue.number,
        year: issue.year,
        date: issue.date,
        pages: issue.pages,
        title: issue.title,
        description: issue.description,
        bulletin: issue.bulletinName,
        publisher: issue.publisher,
        publishedAt: issue.publishedAt,
        toc: issue.toc,
      },
      // The PDF is fetched from bantin by URL (it can be large); the small generated cover travels inline.
      files: [
        { role: 'pdf', name: issue.screenPdf.name, contentType: issue.screenPdf.contentType, bytes: issue.screenPdf.bytes.length, sha256: issue.screenPdf.sha256, url: issue.screenPdf.url },
        { role: 'cover', name: issue.cover.name, contentType: issue.cover.contentType, bytes: issue.cover.bytes.length, sha256: issue.cover.sha256, base64: issue.cover.bytes.toString('base64') },
      ],
    });
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    const reply = await request(
      ctx,
      this.url,
      {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          'x-bantin-event': 'issue.published',
          'idempotency-key': issue.key,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(this.settings.secret, timestamp, body),
        },
      },
      'webhook',
    );
    const answer = (reply.json ?? {}) as { id?: unknown; url?: unknown };
    const id = typeof answer.id === 'string' || typeof answer.id === 'number' ? String(answer.id) : (ctx.previous.id ?? issue.key);
    return { remoteId: id, url: typeof answer.url === 'string' ? answer.url : undefined, remoteIds: { id } };
  }
}
