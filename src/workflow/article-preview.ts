/**
 * Single-article preview (issue #6): an editor sees one article in the layout within seconds, before it is
 * placed. The article goes through the engine of `bantin build` as a one-article issue (screen profile,
 * with page thumbnails when the engine writes them) into `<dataDir>/previews/<id>/`.
 *
 * Previews are short-lived and not jobs: nothing to resume after a restart, so they are kept in memory
 * and their directories removed at start. So that they never starve typeset jobs they have their own
 * browser (launched on demand, closed when idle) and run one at a time; each person has at most one
 * preview in the making and only a few may wait (429 beyond). Each person keeps only their newest preview.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, RuleViolation, TooManyRequestsError } from '../domain/errors.ts';
import type { Article } from '../domain/article.ts';
import { newIssueTrim, type Issue, type PreflightFinding, type RenditionFile } from '../domain/issue.ts';
import type { Actor } from '../domain/user.ts';
import type { BrowserHost } from '../typeset/browser.ts';
import type { LayoutSource } from '../typeset/layout.ts';
import { nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import { engineFingerprint, renderInputHash } from './render-cache.ts';
import { ArticlePreviewBody } from '../domain/issue-schemas.ts';
import { parseBody } from '../domain/api-schemas.ts';
import { loadIssueExporter, loadTypesetEngine } from '../lazy-deps.ts';
import { isThumbnailName, pageThumbnails, THUMBNAIL_DIR, type PageThumbnail } from './issue-thumbnails.ts';

export interface PreviewEngine {
  launchBrowser: () => Promise<BrowserHost>;
  layouts: LayoutSource;
  /** A preview that takes longer is abandoned (its browser closed) */
  timeoutMs: number;
  /** The browser is closed after this long without a preview (default 2 minutes) */
  idleMs?: number;
}

export interface ArticlePreview {
  id: string;
  articleId: number;
  title: string;
  pages: number;
  /** The page on which the article starts (the layout's fixed pages come first) */
  articlePage: number | null;
  files: Pick<RenditionFile, 'name' | 'bytes'>[];
  thumbnails: PageThumbnail[];
  findings: PreflightFinding[];
  createdAt: string;
  buildMs: number;
  /** The issue whose layout and trim were used; null: the defaults (standard layout, the bulletin profile's default trim) */
  issueId: number | null;
  layout: string;
  trim: Issue['trim'];
  /** sha256 of everything the render depends on (article, layout, trim, fonts, engine); same key ⇒ same files */
  inputHash: string;
  /** True when this answer reuses an earlier preview with the same inputs */
  fromCache: boolean;
}

/** The layout a preview is set in when no issue is named: what a new issue gets by default (IssuesService.create). */
const DEFAULT_PREVIEW_LAYOUT = 'standard';

/** Previews that may wait behind the one being made, all people together. */
const MAX_WAITING = 3;
const KEEP_MS = 60 * 60_000;

interface Kept {
  preview: ArticlePreview;
  /** People whose newest preview this is (two editors asking for the same inputs share the files) */
  userIds: Set<number>;
  dir: string;
}

export class ArticlePreviewService {
  private readonly kept = new Map<string, Kept>();
  private readonly making = new Set<number>();
  private waiting = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private browser: Promise<BrowserHost> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private cleaned: Promise<void> | undefined;
  private engineHash: Promise<string> | undefined;

  constructor(
    private readonly deps: WorkflowDeps & { dataDir: string },
    private readonly engine: PreviewEngine | undefined,
  ) {}

  private get root(): string {
    return path.join(this.deps.dataDir, 'previews');
  }

  /** body: `{ issueId? }` — set the article in that issue's layout and trim (default: the standard ones). */
  async preview(actor: Actor, articleId: number, body: unknown = {}): Promise<ArticlePreview> {
    requirePermission(actor, 'issue.manage');
    const { issueId } = parseBody(ArticlePreviewBody, body ?? {});
    const article = this.deps.store.articles.get(articleId);
    if (!article) throw new NotFoundError(`article ${articleId} not found`, { userMessage: 'Không tìm thấy bài viết.' });
    const issue = issueId === undefined ? undefined : this.deps.store.issues.get(issueId);
    if (issueId !== undefined && !issue) throw new NotFoundError(`issue ${issueId} not found`, { userMessage: 'Không tìm thấy số bản tin.' });
    if (!this.engine) throw new RuleViolation('previews are not available in this process (no typesetting engine configured)', { userMessage: 'Máy chủ này chưa bật xem thử dàn trang.' });
    if (this.making.has(actor.id)) {
      throw new TooManyRequestsError('a preview of yours is still being made; wait for it to finish', { userMessage: 'Bản xem thử trước của bạn đang được dàn trang, vui lòng chờ.' });
    }
    if (this.waiting >= MAX_WAITING) {
      throw new TooManyRequestsError(`${this.waiting} previews are waiting; try again in a few seconds`, { userMessage: 'Đang có nhiều bản xem thử chờ dàn trang, vui lòng thử lại sau ít giây.' });
    }
    this.making.add(actor.id);
    this.waiting += 1;
    try {
      return await this.oneAtATime(() => {
        this.waiting -= 1;
        return this.make(actor, article, issue, this.engine!);
      });
    } finally {
      this.making.delete(actor.id);
    }
  }

  /** A file of one of the actor's own previews (`screen.pdf` or a thumbnail); NotFound for anyone else's. */
  file(actor: Actor, previewId: string, name: string): { absPath: string; contentType: string; bytes: number } {
    requirePermission(actor, 'issue.manage');
    const kept = this.kept.get(previewId);
    const file = kept?.preview.files.find((f) => f.name === name);
    if (!kept || !kept.userIds.has(actor.id) || !file || !(name === 'screen.pdf' || isThumbnailName(name))) {
      throw new NotFoundError(`no preview file ${previewId}/${name}`, { userMessage: 'Bản xem thử không còn, hãy xem thử lại.' });
    }
    return { absPath: path.join(kept.dir, name), contentType: name.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg', bytes: file.bytes };
  }

  /** The actor's newest preview, when it still exists. */
  get(actor: Actor, previewId: string): ArticlePreview {
    requirePermission(actor, 'issue.manage');
    const kept = this.kept.get(previewId);
    if (!kept || !kept.userIds.has(actor.id)) throw new NotFoundError(`no preview ${previewId}`, { userMessage: 'Bản xem thử không còn, hãy xem thử lại.' });
    return kept.preview;
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    await this.closeBrowser();
  }

  private oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async make(actor: Actor, article: Article, issue: Issue | undefined, engine: PreviewEngine): Promise<ArticlePreview> {
    clearTimeout(this.idleTimer);
    // Previews of an earlier process are gone from memory: their directories go too, once.
    this.cleaned ??= fs.rm(this.root, { recursive: true, force: true });
    await this.cleaned;
    const id = crypto.randomBytes(12).toString('base64url');
    const dir = path.join(this.root, id);
    const workDir = path.join(this.deps.dataDir, 'work', `preview-${id}`);
    const started = Date.now();
    try {
      const section = article.sectionId === null ? undefined : this.deps.store.sections.get(article.sectionId);
      const plan = [{ sectionId: section?.id ?? 0, title: section?.title ?? 'Xem thử', articleIds: [article.id] }];
      const standIn = this.previewIssue(actor, issue);
      const exported = await (await loadIssueExporter())(this.deps.store, standIn, workDir, plan);
      // issue.yaml already names layout and trim; they are named again so the key never depends on that file's shape.
      const inputHash = await renderInputHash(exported.dir, await this.fingerprint(engine), { preview: 'screen', layout: standIn.layout, trim: standIn.trim, date: nowIso(this.deps).slice(0, 10) });
      const cached = await this.reuse(actor.id, inputHash);
      if (cached) return cached;
      await this.forgetOld(actor.id);
      const options = { out: dir, profile: 'screen' as const, allowExpiredLicence: true, now: this.deps.clock(), thumbnails: true };
      const result = await this.withTimeout((await loadTypesetEngine())(exported.dir, options, { browser: () => this.warmBrowser(engine), layouts: engine.layouts }), engine.timeoutMs);
      const files: ArticlePreview['files'] = result.files.filter((f) => f.name === 'screen.pdf').map((f) => ({ name: f.name, bytes: f.bytes }));
      const thumbs = await fs.readdir(path.join(dir, THUMBNAIL_DIR)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw err;
      });
      for (const n of thumbs.map((t) => `${THUMBNAIL_DIR}/${t}`).filter(isThumbnailName).sort()) {
        files.push({ name: n, bytes: (await fs.stat(path.join(dir, n))).size });
      }
      const start = (result.paginated.outline ?? []).find((o) => o.level > 0 && o.title === article.title);
      const toc = start ? [{ section: plan[0]!.title, title: article.title, page: start.page }] : [];
      const preview: ArticlePreview = {
        id,
        articleId: article.id,
        title: article.title,
        pages: result.pages,
        articlePage: start?.page ?? null,
        files,
        thumbnails: pageThumbnails(files, toc),
        // Licence and print-run findings describe the stand-in issue, not the article.
        findings: result.findings.filter((f) => f.article !== undefined || f.page !== undefined).map((f) => ({ severity: f.severity, code: f.code, message: f.message, ...(f.article ? { article: f.article } : {}), ...(f.page ? { page: f.page } : {}) })),
        createdAt: nowIso(this.deps),
        buildMs: Date.now() - started,
        issueId: issue?.id ?? null,
        layout: standIn.layout,
        trim: standIn.trim,
        inputHash,
        fromCache: false,
      };
      this.kept.set(id, { preview, userIds: new Set([actor.id]), dir });
      return preview;
    } catch (err) {
      await fs.rm(dir, { recursive: true, force: true });
      throw err;
    } finally {
      await fs.rm(workDir, { recursive: true, force: true });
      this.idleTimer = setTimeout(() => void this.closeBrowser(), engine.idleMs ?? 120_000);
      this.idleTimer.unref();
    }
  }

  /** A kept preview with the same inputs becomes the actor's newest preview instead of a new render. */
  private async reuse(userId: number, inputHash: string): Promise<ArticlePreview | undefined> {
    const limit = this.deps.clock().getTime() - KEEP_MS;
    const hit = [...this.kept.values()].find((k) => k.preview.inputHash === inputHash && Date.parse(k.preview.createdAt) >= limit);
    if (!hit) return undefined;
    for (const [otherId, k] of this.kept) if (otherId !== hit.preview.id) await this.release(otherId, k, userId);
    hit.userIds.add(userId);
    return { ...hit.preview, fromCache: true };
  }

  private fingerprint(engine: PreviewEngine): Promise<string> {
    this.engineHash ??= engineFingerprint(engine.layouts);
    return this.engineHash;
  }

  /**
   * The stand-in issue around the article: the chosen issue's number, date, layout and trim (no bleed: a
   * screen preview), or today's date with the defaults a new issue gets.
   */
  private previewIssue(actor: Actor, issue: Issue | undefined): Issue {
    const now = nowIso(this.deps);
    const date = issue?.date ?? now.slice(0, 10);
    return {
      id: 0,
      number: issue?.number ?? 1,
      year: Number(date.slice(0, 4)),
      date,
      printRun: 1,
      layout: issue?.layout ?? DEFAULT_PREVIEW_LAYOUT,
      trim: issue ? { ...issue.trim } : newIssueTrim(this.deps.store.bulletin.get()?.defaultTrim),
      bleedMm: 0,
      colours: null,
      binding: null,
      paper: null,
      state: 'draft',
      version: 1,
      versionReason: null,
      planRevision: 1,
      signedRenditionId: null,
      signedOffAt: null,
      signedOffBy: null,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Each person keeps their newest preview only; anyone's preview goes after an hour. */
  private async forgetOld(userId: number): Promise<void> {
    const limit = this.deps.clock().getTime() - KEEP_MS;
    for (const [id, k] of this.kept) {
      if (Date.parse(k.preview.createdAt) < limit) k.userIds.clear();
      await this.release(id, k, userId);
    }
  }

  /** The person no longer holds this preview; the last one to let go removes its files. */
  private async release(id: string, k: Kept, userId: number): Promise<void> {
    k.userIds.delete(userId);
    if (k.userIds.size > 0) return;
    this.kept.delete(id);
    await fs.rm(k.dir, { recursive: true, force: true });
  }

  private async withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the preview did not finish within ${ms} ms`)), ms);
    });
    work.catch(() => undefined);
    try {
      return await Promise.race([work, late]);
    } catch (err) {
      // The render may still be inside Chromium; closing the browser ends it (relaunched next time).
      await this.closeBrowser();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private warmBrowser(engine: PreviewEngine): Promise<BrowserHost> {
    this.browser ??= engine.launchBrowser().catch((err: unknown) => {
      this.browser = undefined;
      throw err;
    });
    return this.browser;
  }

  private async closeBrowser(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    // A browser that never started has nothing to close; its launch error already went to that preview.
    await (await b?.catch(() => undefined))?.close();
  }
}
