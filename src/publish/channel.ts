/**
 * The contract every portal channel implements. A channel receives a published issue as a bundle of
 * files + metadata and the ids it was given last time, and returns the ids it holds now, so the
 * dispatcher can make a re-publish UPDATE the remote item instead of creating a duplicate.
 */
export const CHANNEL_KINDS = ['package', 'wordpress', 'nukeviet', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export function isChannelKind(value: unknown): value is ChannelKind {
  return typeof value === 'string' && (CHANNEL_KINDS as readonly string[]).includes(value);
}

export interface BundleFile {
  /** File name offered to the remote, e.g. `ban-tin-so-11-2026.pdf` */
  name: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
  /** Where an authorised client can fetch it from bantin (absolute when a public base URL is set); none for generated files */
  url?: string;
}

/** Everything a portal needs to show one published issue. Text is Vietnamese NFC. */
export interface PublishedIssueBundle {
  issueId: number;
  number: number;
  year: number;
  /** ISO date of the issue */
  date: string;
  pages: number;
  /** "Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026" */
  title: string;
  /** A few plain-text paragraphs: date, pages, table of contents */
  description: string;
  /** The same description as simple HTML (for CMS bodies) */
  descriptionHtml: string;
  /** Stable key a remote can use to find the item again: `bantin-2026-11` */
  key: string;
  bulletinName: string;
  publisher: string;
  publishedAt: string;
  screenPdf: BundleFile;
  cover: BundleFile;
  toc: { section: string; title: string; page: number }[];
}

export interface ChannelContext {
  fetch: typeof fetch;
  /** Per-request timeout */
  timeoutMs: number;
  now: () => Date;
  /** Aborted when the app shuts down */
  signal: AbortSignal;
  /** Ids this channel returned for this issue on an earlier run (empty the first time) */
  previous: Readonly<Record<string, string>>;
  /** Lets a channel remember ids as soon as it has them (a media upload before the post fails). */
  remember(ids: Record<string, string>): void;
}

export interface ChannelResult {
  /** The main id on the remote (post id, package path, webhook delivery key) */
  remoteId: string;
  url?: string;
  /** All ids to remember for the next run */
  remoteIds: Record<string, string>;
}

export interface PublishChannel {
  readonly kind: ChannelKind;
  publish(issue: PublishedIssueBundle, ctx: ChannelContext): Promise<ChannelResult>;
}
