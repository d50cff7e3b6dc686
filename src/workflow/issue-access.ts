/**
 * Who may see which issue and which of its files. Three kinds of viewers:
 *  - the editorial office (editors, editor-in-chief, admin): every issue, every rendition, every file;
 *  - print shops: only issues sent to them, only the signed print files;
 *  - units (readers, contributors, download links): only published issues visible to their unit, screen files.
 * Anything a viewer may not see is NotFound, so unpublished issues are not discoverable by guessing ids;
 * a visible issue's file that the viewer's role may never have (a reader asking for print.pdf) is 403.
 */
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';
import type { Issue, Rendition } from '../domain/issue.ts';
import type { Actor } from '../domain/user.ts';
import type { Store } from '../store/index.ts';
import { isOnlineName } from './issue-online.ts';
import { isThumbnailName } from './issue-thumbnails.ts';

export type Viewer = { kind: 'office'; actor: Actor } | { kind: 'print_shop'; actor: Actor } | { kind: 'unit'; unitId: number | null; actor: Actor | null };

export const PRINT_FILES = ['print.pdf', 'job.json', 'cover.pdf', 'print-ticket.pdf', 'distribution.csv'] as const;
export const READER_FILES = ['screen.pdf', 'cover.pdf'] as const;

const OFFICE_ROLES = new Set(['admin', 'editor', 'editor_in_chief']);

export function viewerOf(actor: Actor): Viewer {
  if (OFFICE_ROLES.has(actor.role)) return { kind: 'office', actor };
  if (actor.role === 'print_shop') return { kind: 'print_shop', actor };
  return { kind: 'unit', unitId: actor.unitId, actor };
}

export function notFound(issueId: number): NotFoundError {
  return new NotFoundError(`issue ${issueId} not found`, { userMessage: 'Không tìm thấy số bản tin.' });
}

/**
 * Units whose publications a unit's readers see: the unit, units merged into it, and the units above it
 * (an issue published to a ward's Party committee reaches the cells under it).
 */
export function readerUnits(store: Store, unitId: number | null): number[] {
  return unitId === null ? [] : [...new Set([...store.units.lineage(unitId), ...store.units.lineageUp(unitId)])];
}

/** The issue if this viewer may see it at all; NotFound otherwise. */
export function visibleIssue(store: Store, viewer: Viewer, issueId: number): Issue {
  const issue = store.issues.get(issueId);
  if (!issue) throw notFound(issueId);
  if (viewer.kind === 'office') return issue;
  if (viewer.kind === 'print_shop') {
    if (!store.publications.delivery(issueId, viewer.actor.id)) throw notFound(issueId);
    return issue;
  }
  if (issue.state !== 'published' || !store.publications.visibleTo(issueId, readerUnits(store, viewer.unitId))) throw notFound(issueId);
  return issue;
}

/** The rendition a viewer gets: the signed one once it exists; before that the newest (office only). */
export function currentRendition(store: Store, issue: Issue): Rendition | undefined {
  if (issue.signedRenditionId !== null) return store.renditions.get(issue.signedRenditionId);
  return store.renditions.latest(issue.id);
}

/** Which file names of a rendition this viewer may download. */
export function allowedFiles(viewer: Viewer, rendition: { files: readonly { name: string }[] }): string[] {
  const names = rendition.files.map((f) => f.name);
  if (viewer.kind === 'office') return names;
  const allowed: readonly string[] = viewer.kind === 'print_shop' ? PRINT_FILES : READER_FILES;
  // Page thumbnails and the online edition belong to the screen edition: readers get them with screen.pdf,
  // print shops don't.
  return names.filter((n) => allowed.includes(n) || (viewer.kind === 'unit' && (isThumbnailName(n) || isOnlineName(n))));
}

export function requireFileAllowed(viewer: Viewer, rendition: Rendition, name: string): void {
  if (!rendition.files.some((f) => f.name === name)) throw new NotFoundError(`no file "${name}" in this issue`, { userMessage: 'Không có tệp này.' });
  if (!allowedFiles(viewer, rendition).includes(name)) {
    throw new ForbiddenError(`${viewer.kind === 'print_shop' ? 'a print shop' : 'a reader'} may not download ${name}`, { userMessage: 'Bạn không có quyền tải tệp này.' });
  }
}
