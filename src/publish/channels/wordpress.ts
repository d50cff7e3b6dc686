/**
 * WordPress REST API with an Application Password (Basic auth over HTTPS): upload the PDF and the cover
 * to /wp-json/wp/v2/media, then create or update the post (featured image, a core/file block linking the
 * PDF). Ids are remembered; a re-publish updates the same post and re-uploads a file only when its
 * sha256 changed, so the media library gets no duplicates either.
 */
import type { BundleFile, ChannelContext, ChannelResult, PublishChannel, PublishedIssueBundle } from '../channel.ts';
import { request, requireSafeBaseUrl } from '../http.ts';
import { RemoteError } from '../remote-error.ts';
import type { WordPressSettings } from '../settings.ts';

interface WpObject {
  id: number;
  link?: string;
  source_url?: string;
}

export class WordPressChannel implements PublishChannel {
  readonly kind = 'wordpress' as const;
  private readonly base: string;
  private readonly auth: string;

  constructor(private readonly settings: WordPressSettings) {
    this.base = requireSafeBaseUrl(settings.baseUrl, 'wordpress.baseUrl').toString().replace(/\/+$/, '') + '/wp-json/wp/v2';
    // WordPress shows application passwords with spaces; both forms are accepted, send it as given.
    this.auth = 'Basic ' + Buffer.from(`${settings.username}:${settings.applicationPassword}`).toString('base64');
  }

  async publish(issue: PublishedIssueBundle, ctx: ChannelContext): Promise<ChannelResult> {
    const ids: Record<string, string> = { ...ctx.previous };
    const pdf = await this.media(issue.screenPdf, issue.title, 'pdf', ids, ctx);
    const cover = await this.media(issue.cover, `Bìa ${issue.title}`, 'cover', ids, ctx);
    const post = {
      title: issue.title,
      status: this.settings.status,
      slug: issue.key,
      featured_media: cover.id,
      excerpt: issue.description.split('\n')[0],
      content: issue.descriptionHtml + '\n' + fileBlock(pdf, issue.title),
      ...(this.settings.categories.length ? { categories: this.settings.categories } : {}),
    };
    let saved: WpObject | undefined;
    if (ids.postId) saved = await this.updatePost(ids.postId, post, ctx);
    saved ??= asWpObject((await this.call(ctx, '/posts', { method: 'POST', json: post }, 'create post')).json, 'create post');
    ids.postId = String(saved.id);
    ctx.remember(ids);
    return { remoteId: ids.postId, url: saved.link, remoteIds: ids };
  }

  /** Updates the remembered post; undefined when it was deleted on the portal (then a new one is made). */
  private async updatePost(postId: string, post: Record<string, unknown>, ctx: ChannelContext): Promise<WpObject | undefined> {
    try {
      return asWpObject((await this.call(ctx, `/posts/${encodeURIComponent(postId)}`, { method: 'POST', json: post }, 'update post')).json, 'update post');
    } catch (err) {
      if (err instanceof RemoteError && (err.status === 404 || err.status === 410)) return undefined;
      throw err;
    }
  }

  private async media(file: BundleFile, title: string, slot: string, ids: Record<string, string>, ctx: ChannelContext): Promise<{ id: number; url: string }> {
    const known = ids[`${slot}MediaId`];
    if (known && ids[`${slot}Sha256`] === file.sha256 && ids[`${slot}Url`]) return { id: Number(known), url: ids[`${slot}Url`]! };
    const reply = await this.call(
      ctx,
      '/media',
      {
        method: 'POST',
        body: file.bytes,
        headers: {
          'content-type': file.contentType,
          // RFC 6266: an ASCII name plus the UTF-8 one; WordPress takes the file name from here.
          'content-disposition': `attachment; filename="${file.name}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        },
      },
      `upload ${file.name}`,
    );
    const created = asWpObject(reply.json, `upload ${file.name}`);
    ids[`${slot}MediaId`] = String(created.id);
    ids[`${slot}Sha256`] = file.sha256;
    ids[`${slot}Url`] = created.source_url ?? '';
    ctx.remember(ids);
    // The title is set separately because /media takes the raw file as the body.
    await this.call(ctx, `/media/${created.id}`, { method: 'POST', json: { title, alt_text: title } }, `describe ${file.name}`);
    return { id: created.id, url: created.source_url ?? '' };
  }

  private call(ctx: ChannelContext, path: string, init: { method: string; json?: unknown; body?: Buffer; headers?: Record<string, string> }, what: string) {
    const headers: Record<string, string> = { authorization: this.auth, accept: 'application/json', ...init.headers };
    let body: BodyInit | undefined = init.body ? new Uint8Array(init.body) : undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    return request(ctx, this.base + path, { method: init.method, headers, body }, `WordPress ${what}`);
  }
}

function asWpObject(json: unknown, what: string): WpObject {
  if (json && typeof json === 'object' && 'id' in json && typeof json.id === 'number') return json as WpObject;
  throw new RemoteError(`WordPress ${what}: the answer has no id (is this a WordPress REST API?)`, false);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The block editor's core/file block, so editors on the portal can keep editing the post. */
function fileBlock(pdf: { id: number; url: string }, title: string): string {
  const url = escapeHtml(pdf.url);
  const attrs = JSON.stringify({ id: pdf.id, href: pdf.url, displayPreview: true });
  return (
    `<!-- wp:file ${attrs} -->\n` +
    `<div class="wp-block-file"><object class="wp-block-file__embed" data="${url}" type="application/pdf" style="width:100%;height:600px" aria-label="${escapeHtml(title)}"></object>` +
    `<a href="${url}">${escapeHtml(title)}</a><a href="${url}" class="wp-block-file__button wp-element-button" download>Tải về</a></div>\n` +
    `<!-- /wp:file -->`
  );
}
