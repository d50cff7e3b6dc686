/**
 * NukeViet Remote API: `POST /api.php` with apikey, timestamp, hashsecret, action, module, language,
 * calling the small API class the portal operator installs (extras/nukeviet/BantinPublishIssue.php).
 * NukeViet has no core API that creates news articles or uploads files, hence the custom class.
 * It answers the envelope `{status, code, message, ...}`, usually with HTTP 200 even for errors.
 */
import type { ChannelContext, ChannelResult, PublishChannel, PublishedIssueBundle } from '../channel.ts';
import { request, requireSafeBaseUrl } from '../http.ts';
import { RemoteError } from '../remote-error.ts';
import type { NukeVietSettings } from '../settings.ts';
import { nukevietHashSecret } from './nukeviet-auth.ts';

interface Envelope {
  status: string;
  code: string;
  message: string;
  id?: number | string;
  link?: string;
}

/** Codes of NukeViet\Api\ApiResult that need a person, with what to do about them. */
const KNOWN_ERRORS: Record<string, { retryable: boolean; explain: string }> = {
  '0011': { retryable: false, explain: 'the Remote API is turned off on the portal (an administrator must enable it in the NukeViet admin settings)' },
  '0012': { retryable: true, explain: 'the portal had a system error' },
  '0013': { retryable: false, explain: 'the portal knows no API credential with this API key' },
  '0014': { retryable: false, explain: 'the portal rejected the API key/secret (authentication failed)' },
  '0019': { retryable: false, explain: "this server's IP address is not allowed for the API credential on the portal" },
  '0020': { retryable: false, explain: "the portal's clock and this server's differ by more than 5 seconds (check NTP on both machines)" },
  '0004': { retryable: false, explain: 'the portal does not know the API action (is BantinPublishIssue installed and allowed for this credential?)' },
  '0005': { retryable: false, explain: 'the portal does not know the module or the credential may not use it' },
};

export class NukeVietChannel implements PublishChannel {
  readonly kind = 'nukeviet' as const;
  private readonly endpoint: string;

  constructor(private readonly settings: NukeVietSettings) {
    this.endpoint = requireSafeBaseUrl(settings.baseUrl, 'nukeviet.baseUrl').toString().replace(/\/+$/, '') + '/api.php';
  }

  async publish(issue: PublishedIssueBundle, ctx: ChannelContext): Promise<ChannelResult> {
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    const form = new FormData();
    const fields: Record<string, string> = {
      apikey: this.settings.apiKey,
      timestamp: String(timestamp),
      hashsecret: nukevietHashSecret(this.settings.apiSecret, timestamp, this.settings.version),
      action: this.settings.action,
      module: this.settings.module,
      language: this.settings.language,
      issue_key: issue.key,
      // The id NukeViet gave last time: the API class updates that row instead of adding one.
      remote_id: ctx.previous.id ?? '',
      title: issue.title,
      description: issue.description,
      bodyhtml: issue.descriptionHtml,
      number: String(issue.number),
      year: String(issue.year),
      issue_date: issue.date,
      pages: String(issue.pages),
      pdf_sha256: issue.screenPdf.sha256,
    };
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('pdf', new Blob([new Uint8Array(issue.screenPdf.bytes)], { type: issue.screenPdf.contentType }), issue.screenPdf.name);
    form.append('cover', new Blob([new Uint8Array(issue.cover.bytes)], { type: issue.cover.contentType }), issue.cover.name);

    const reply = await request(ctx, this.endpoint, { method: 'POST', body: form, headers: { accept: 'application/json' } }, `NukeViet ${this.settings.action}`);
    const env = parseEnvelope(reply.text);
    if (env.status !== 'success') {
      const known = KNOWN_ERRORS[env.code];
      const explain = known ? `${known.explain}; portal says: ${env.message || '(no message)'}` : env.message || 'unknown error';
      throw new RemoteError(`NukeViet error ${env.code}: ${explain}`, known?.retryable ?? false);
    }
    if (env.id === undefined || env.id === '') throw new RemoteError('NukeViet answered success without the id of the article (is the installed API class bantin’s?)', false);
    const id = String(env.id);
    return { remoteId: id, url: env.link, remoteIds: { id } };
  }
}

function parseEnvelope(text: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RemoteError(`NukeViet answered something that is not JSON: ${text.slice(0, 120)}`, false, undefined, { cause: err });
  }
  if (!value || typeof value !== 'object' || !('status' in value) || typeof value.status !== 'string') {
    throw new RemoteError('NukeViet answered JSON without the {status, code, message} envelope', false);
  }
  const v = value as Record<string, unknown>;
  return {
    status: v.status as string,
    code: typeof v.code === 'string' ? v.code : String(v.code ?? ''),
    message: typeof v.message === 'string' ? v.message : '',
    id: typeof v.id === 'number' || typeof v.id === 'string' ? v.id : undefined,
    link: typeof v.link === 'string' ? v.link : undefined,
  };
}
