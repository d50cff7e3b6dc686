/**
 * Finding the file of an issue a viewer asked for (with the access rules of issue-access.ts), and logging
 * each download (unit, user or link, issue, file, bytes). The web layer streams the file from disk.
 */
import path from 'node:path';
import { NotFoundError } from '../domain/errors.ts';
import type { Issue, Rendition, RenditionFile } from '../domain/issue.ts';
import { slugify } from '../domain/vi-text.ts';
import { audit, nowIso, type WorkflowDeps } from './context.ts';
import { isOnlineName } from './issue-online.ts';
import { isThumbnailName } from './issue-thumbnails.ts';
import { currentRendition, requireFileAllowed, visibleIssue, type Viewer } from './issue-access.ts';

export interface FileToSend {
  issue: Issue;
  rendition: Rendition;
  file: RenditionFile;
  /** Absolute path on disk */
  absPath: string;
  /** File name for Content-Disposition, Vietnamese (the web layer adds an ASCII fallback) */
  downloadName: string;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class IssueFileService {
  constructor(private readonly deps: WorkflowDeps & { dataDir: string }) {}

  open(viewer: Viewer, issueId: number, name: string, renditionId?: number): FileToSend {
    const { store } = this.deps;
    const issue = visibleIssue(store, viewer, issueId);
    // Path tricks (`..`, slashes, odd characters) name no file of ours.
    if (!(FILE_NAME.test(name) || isThumbnailName(name) || isOnlineName(name)) || name.includes('..')) throw new NotFoundError(`no file "${name}" in this issue`);
    const rendition =
      renditionId !== undefined && viewer.kind === 'office' ? store.renditions.get(renditionId) : viewer.kind === 'office' || issue.signedRenditionId !== null ? currentRendition(store, issue) : undefined;
    if (!rendition || rendition.issueId !== issueId) throw new NotFoundError(`issue ${issueId} has no rendition yet`, { userMessage: 'Số này chưa được dàn trang.' });
    requireFileAllowed(viewer, rendition, name);
    const file = rendition.files.find((f) => f.name === name)!;
    const bulletin = store.bulletin.get()?.name ?? 'Bản tin';
    const stem = `${bulletin} số ${issue.number}-${issue.year}${issue.version > 1 ? ` (bản ${issue.version})` : ''}`;
    return {
      issue,
      rendition,
      file,
      absPath: path.join(this.deps.dataDir, rendition.dir, name),
      downloadName: `${stem} - ${name}`,
      contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
    };
  }

  /** ASCII form of a download name for old clients: "ban-tin-so-11-2026-print.pdf". */
  static asciiName(name: string): string {
    const ext = path.extname(name);
    return `${slugify(name.slice(0, name.length - ext.length)) || 'file'}${ext}`;
  }

  logDownload(viewer: Viewer, sent: FileToSend, status: number, bytes: number, linkId: number | null): void {
    const { store } = this.deps;
    const actor = viewer.actor;
    store.downloadLinks.logDownload(
      {
        issueId: sent.issue.id,
        renditionId: sent.rendition.id,
        file: sent.file.name,
        userId: actor?.id ?? null,
        linkId,
        unitId: viewer.kind === 'unit' ? viewer.unitId : (actor?.unitId ?? null),
        status,
        bytes,
      },
      nowIso(this.deps),
    );
    // Print shops' downloads are part of the handoff record editors look at.
    if (viewer.kind === 'print_shop' && actor) {
      audit(this.deps, { actorId: actor.id, action: 'issue.print_download', targetType: 'issue', targetId: sent.issue.id, details: { file: sent.file.name, status, bytes, sha256: sent.file.sha256 } });
    }
  }
}
