/**
 * Issues: create, list, read, change their data and distribution list. Check order everywhere:
 * role (403) → existence / visibility (404) → state (422) → conflicts (409).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { BadInputError, ConflictError, RuleViolation } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import { DistributionInput, IssueCreateBody, IssueUpdateBody, ReissueBody } from '../domain/issue-schemas.ts';
import { FROZEN_STATES, ISSUE_STATE_LABELS_VI, newIssueTrim, type DistributionEntry, type Issue, type Rendition } from '../domain/issue.ts';
import type { Actor } from '../domain/user.ts';
import type { IssueDataChange } from '../store/issue-repository.ts';
import type { DownloadRecord } from '../store/download-link-repository.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import { exportIssue, zipExport } from './export-issue.ts';
import { distributionCsv } from './print-ticket.ts';
import { allowedFiles, currentRendition, readerUnits, viewerOf, visibleIssue, type Viewer } from './issue-access.ts';
import { isOnlineAsset } from './issue-online.ts';
import { isThumbnailName, pageThumbnails, type PageThumbnail } from './issue-thumbnails.ts';
import { articlesEditedSinceTypeset, type EditedSinceTypeset } from './issues-placed-edits.ts';

export interface IssueView {
  id: number;
  number: number;
  year: number;
  date: string;
  state: Issue['state'];
  stateLabel: string;
  version: number;
  versionReason: string | null;
  printRun: number;
  layout: string;
  trim: { widthMm: number; heightMm: number };
  bleedMm: number;
  pages: number | null;
  renditionId: number | null;
  /** The rendition's files the caller may download, page thumbnails apart (see `thumbnails`) */
  files: { name: string; bytes: number; sha256: string; pages: number | null }[];
  /** One JPEG per page (`GET /issues/:id/files/thumbnails/page-001.jpg`), with the articles starting there */
  thumbnails: PageThumbnail[];
  signedOffAt: string | null;
  publishedAt: string | null;
  /** Only for the editorial office */
  sections?: { sectionId: number; title: string; articleIds: number[] }[];
  distribution?: DistributionEntry[];
  preflight?: { errors: number; warnings: number; findings: unknown[] };
  toc?: unknown[];
  current?: boolean;
  /** Placed articles saved after the newest rendition was typeset (it is stale until typeset again) */
  editedSinceTypeset?: EditedSinceTypeset[];
  latestJob?: { id: number; state: string; progress: number; error: string | null } | null;
  printShops?: { userId: number; sentAt: string; receivedAt: string | null }[];
  publication?: { visibility: string; unitIds: number[] } | null;
}

export class IssueService {
  constructor(private readonly deps: WorkflowDeps) {}

  create(actor: Actor, body: unknown): IssueView {
    requirePermission(actor, 'issue.manage');
    const input = parseBody(IssueCreateBody, body);
    const { store } = this.deps;
    const id = store.transaction(() => {
      const year = Number(input.date.slice(0, 4));
      if (store.issues.findByNumber(year, input.number, 1)) {
        throw new ConflictError(`issue number ${input.number} of ${year} already exists`, { field: 'number', userMessage: `Số ${input.number} năm ${year} đã có.` });
      }
      const now = nowIso(this.deps);
      const newId = store.issues.insert(
        {
          number: input.number,
          year,
          date: input.date,
          printRun: input.printRun,
          layout: input.layout ?? 'standard',
          trim: input.trim ?? newIssueTrim(store.bulletin.get()?.defaultTrim),
          bleedMm: input.bleedMm ?? input.bleed ?? 3,
          colours: input.colours ?? null,
          binding: input.binding ?? null,
          paper: input.paper ?? null,
          createdBy: actor.id,
        },
        now,
      );
      if (input.distribution) store.issues.replaceDistribution(newId, this.resolveDistribution(input.distribution), now);
      audit(this.deps, { actorId: actor.id, action: 'issue.create', targetType: 'issue', targetId: newId, details: { number: input.number, date: input.date } });
      return newId;
    });
    return this.view(actor, id);
  }

  list(actor: Actor): IssueView[] {
    const viewer = viewerOf(actor);
    const { store } = this.deps;
    const ids =
      viewer.kind === 'office'
        ? undefined
        : viewer.kind === 'print_shop'
          ? store.publications.issuesSentTo(actor.id)
          : store.publications.visibleIssueIds(readerUnits(store, viewer.unitId));
    return store.issues
      .list({ ids })
      .filter((i) => viewer.kind !== 'unit' || i.state === 'published')
      .map((i) => this.toView(viewer, i));
  }

  view(actor: Actor, id: number): IssueView {
    const viewer = viewerOf(actor);
    return this.toView(viewer, visibleIssue(this.deps.store, viewer, id));
  }

  update(actor: Actor, id: number, body: unknown): IssueView {
    requirePermission(actor, 'issue.manage');
    const input = parseBody(IssueUpdateBody, body);
    const { store } = this.deps;
    store.transaction(() => {
      const issue = this.editable(actor, id);
      const change: IssueDataChange = {
        number: input.number,
        date: input.date,
        printRun: input.printRun,
        layout: input.layout,
        trim: input.trim,
        bleedMm: input.bleedMm ?? input.bleed,
        colours: input.colours,
        binding: input.binding,
        paper: input.paper,
      };
      const now = nowIso(this.deps);
      const year = input.date ? Number(input.date.slice(0, 4)) : issue.year;
      const clash = store.issues.findByNumber(year, input.number ?? issue.number, issue.version);
      if (clash && clash.id !== id) throw new ConflictError(`issue number ${input.number ?? issue.number} of ${year} already exists`, { field: 'number' });
      store.issues.updateData(id, change, now);
      if (input.distribution) store.issues.replaceDistribution(id, this.resolveDistribution(input.distribution), now);
      // What would be typeset changed: an earlier rendition no longer describes this issue.
      if (issue.state === 'typeset') store.issues.setState(id, 'draft', now);
      audit(this.deps, { actorId: actor.id, action: 'issue.update', targetType: 'issue', targetId: id, details: { fields: Object.keys(input) } });
    });
    return this.view(actor, id);
  }

  setDistribution(actor: Actor, id: number, body: unknown): IssueView {
    requirePermission(actor, 'issue.manage');
    const lines = parseBody(z.object({ distribution: DistributionInput }), body).distribution;
    const { store } = this.deps;
    store.transaction(() => {
      const issue = this.editable(actor, id);
      const now = nowIso(this.deps);
      store.issues.replaceDistribution(id, this.resolveDistribution(lines), now);
      if (issue.state === 'typeset') store.issues.setState(id, 'draft', now);
      audit(this.deps, { actorId: actor.id, action: 'issue.distribution', targetType: 'issue', targetId: id, details: { lines: lines.length } });
    });
    return this.view(actor, id);
  }

  /**
   * A signed-off issue is frozen; changing it afterwards makes a new version (POST /issues/:id/reissue
   * {reason}) that starts as a draft with the same plan, while the old version keeps what was signed.
   */
  reissue(actor: Actor, id: number, body: unknown): IssueView {
    requirePermission(actor, 'issue.signoff');
    const { reason } = parseBody(ReissueBody, body);
    const { store } = this.deps;
    const newId = store.transaction(() => {
      const issue = visibleIssue(store, viewerOf(actor), id);
      if (!FROZEN_STATES.includes(issue.state)) {
        throw new RuleViolation(`issue ${id} is ${issue.state}, not signed off: change it directly`, { userMessage: 'Số này chưa duyệt in, có thể sửa trực tiếp.' });
      }
      if (store.issues.findByNumber(issue.year, issue.number, issue.version + 1)) {
        throw new ConflictError(`version ${issue.version + 1} of issue ${issue.number}/${issue.year} already exists`);
      }
      const created = store.issues.insertVersion(issue, reason, actor.id, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'issue.reissue', targetType: 'issue', targetId: created, details: { from: id, version: issue.version + 1, reason } });
      return created;
    });
    return this.view(actor, newId);
  }

  /** The distribution list as CSV, as it stands now (the signed one travels in the rendition). Office only. */
  distributionCsv(actor: Actor, id: number): { name: string; csv: string } {
    requirePermission(actor, 'issue.manage');
    const issue = visibleIssue(this.deps.store, viewerOf(actor), id);
    return { name: `phan-phoi-so-${issue.number}-${issue.year}.csv`, csv: distributionCsv({ distribution: this.deps.store.issues.distribution(id) }) };
  }

  /** Every rendition of the issue, newest first (older ones are kept until sign-off). Office only. */
  renditions(actor: Actor, id: number): Rendition[] {
    requirePermission(actor, 'issue.manage');
    visibleIssue(this.deps.store, viewerOf(actor), id);
    return this.deps.store.renditions.listForIssue(id);
  }

  /** The download log of the issue (who, which file, when, how many bytes). Office only. */
  downloads(actor: Actor, id: number): (DownloadRecord & { at: string })[] {
    requirePermission(actor, 'issue.manage');
    visibleIssue(this.deps.store, viewerOf(actor), id);
    return this.deps.store.downloadLinks.downloads(id);
  }

  /** The issue in the file-based format (DESIGN.md), zipped: what `bantin build` can build again. */
  async exportZip(actor: Actor, id: number): Promise<{ name: string; zip: Buffer }> {
    requirePermission(actor, 'issue.manage');
    const issue = visibleIssue(this.deps.store, viewerOf(actor), id);
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bantin-export-'));
    try {
      const exported = await exportIssue(this.deps.store, issue, tmp);
      return { name: `${exported.slug}.zip`, zip: await zipExport(exported) };
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  /** An issue the office may still change: not signed off (frozen) yet. */
  editable(actor: Actor, id: number): Issue {
    const issue = visibleIssue(this.deps.store, viewerOf(actor), id);
    if (FROZEN_STATES.includes(issue.state)) {
      throw new RuleViolation(`issue ${id} is ${issue.state} and frozen; changing it needs a new version (POST /issues/${id}/reissue with a reason)`, {
        userMessage: `Số bản tin đã ở trạng thái “${ISSUE_STATE_LABELS_VI[issue.state]}”, không sửa được nữa.`,
      });
    }
    return issue;
  }

  private resolveDistribution(lines: z.infer<typeof DistributionInput>): DistributionEntry[] {
    return lines.map((l, i) => {
      if ('unitId' in l) {
        const unit = this.deps.store.units.get(l.unitId);
        if (!unit) throw new BadInputError(`unknown unit ${l.unitId}`, { field: `distribution[${i}].unitId`, expected: 'the id of an existing unit' });
        return { unitId: unit.id, unit: unit.name, copies: l.copies };
      }
      return { unitId: null, unit: l.unit, copies: l.copies };
    });
  }

  toView(viewer: Viewer, issue: Issue): IssueView {
    const { store } = this.deps;
    const rendition = currentRendition(store, issue);
    const visibleRendition = viewer.kind === 'office' || issue.signedRenditionId !== null ? rendition : undefined;
    const names = visibleRendition ? allowedFiles(viewer, visibleRendition) : [];
    const publication = store.publications.get(issue.id);
    const base: IssueView = {
      id: issue.id,
      number: issue.number,
      year: issue.year,
      date: issue.date,
      state: issue.state,
      stateLabel: ISSUE_STATE_LABELS_VI[issue.state],
      version: issue.version,
      versionReason: issue.versionReason,
      printRun: issue.printRun,
      layout: issue.layout,
      trim: issue.trim,
      bleedMm: issue.bleedMm,
      pages: visibleRendition?.pages ?? null,
      renditionId: visibleRendition?.id ?? null,
      files: (visibleRendition?.files ?? []).filter((f) => names.includes(f.name) && !isThumbnailName(f.name) && !isOnlineAsset(f.name)),
      thumbnails: visibleRendition ? pageThumbnails(visibleRendition.files.filter((f) => names.includes(f.name)), visibleRendition.toc) : [],
      signedOffAt: issue.signedOffAt,
      publishedAt: publication?.publishedAt ?? null,
    };
    if (viewer.kind !== 'office') return base;
    const job = store.jobs.latest(issue.id);
    return {
      ...base,
      sections: store.issues.plan(issue.id),
      distribution: store.issues.distribution(issue.id),
      preflight: rendition ? { errors: rendition.preflightErrors, warnings: rendition.preflightWarnings, findings: rendition.findings } : undefined,
      toc: rendition?.toc,
      current: rendition ? rendition.planRevision === issue.planRevision : undefined,
      editedSinceTypeset: articlesEditedSinceTypeset(store, issue),
      latestJob: job ? { id: job.id, state: job.state, progress: job.progress, error: job.error } : null,
      printShops: store.publications.deliveries(issue.id).map((d) => ({ userId: d.userId, sentAt: d.sentAt, receivedAt: d.receivedAt })),
      publication: publication ? { visibility: publication.visibility, unitIds: publication.unitIds } : null,
    };
  }
}
