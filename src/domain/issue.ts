/**
 * Issues and what hangs off them (DESIGN.md "Issue states"): draft → typeset → signed_off →
 * sent_to_print → published. Pure types; the rules live in src/workflow/ as functions returning a reason.
 */
export const ISSUE_STATES = ['draft', 'typeset', 'signed_off', 'sent_to_print', 'published'] as const;
export type IssueState = (typeof ISSUE_STATES)[number];

export const ISSUE_STATE_LABELS_VI: Readonly<Record<IssueState, string>> = {
  draft: 'Đang biên tập',
  typeset: 'Đã dàn trang',
  signed_off: 'Đã duyệt in',
  sent_to_print: 'Đã gửi nhà in',
  published: 'Đã phát hành',
};

/** States in which the content is frozen (what was signed is what is printed and read). */
export const FROZEN_STATES: readonly IssueState[] = ['signed_off', 'sent_to_print', 'published'];

/** The trim of a new issue that names none when the bulletin profile sets no default: the Press Law's 190 × 270 mm maximum. */
export const DEFAULT_TRIM: Readonly<{ widthMm: number; heightMm: number }> = Object.freeze({ widthMm: 190, heightMm: 270 });

/** The trim a new issue (or a preview outside any issue) gets: the bulletin profile's default, else DEFAULT_TRIM. */
export function newIssueTrim(profileDefault: { widthMm: number; heightMm: number } | undefined): { widthMm: number; heightMm: number } {
  return { ...(profileDefault ?? DEFAULT_TRIM) };
}

export interface Issue {
  id: number;
  number: number;
  year: number;
  date: string;
  printRun: number;
  layout: string;
  trim: { widthMm: number; heightMm: number };
  bleedMm: number;
  colours: string | null;
  binding: string | null;
  paper: string | null;
  state: IssueState;
  version: number;
  versionReason: string | null;
  /** Bumped whenever what would be typeset changes; renditions remember the value they were built from. */
  planRevision: number;
  signedRenditionId: number | null;
  signedOffAt: string | null;
  signedOffBy: number | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface IssueSectionPlan {
  sectionId: number;
  title: string;
  articleIds: number[];
}

export interface DistributionEntry {
  unitId: number | null;
  unit: string;
  copies: number;
}

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Job {
  id: number;
  issueId: number;
  kind: string;
  state: JobState;
  progress: number;
  stage: string | null;
  message: string | null;
  error: string | null;
  options: { allowExpiredLicence?: boolean };
  attempts: number;
  cancelRequested: boolean;
  renditionId: number | null;
  requestedBy: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RenditionFile {
  name: string;
  bytes: number;
  sha256: string;
  pages: number | null;
}

export interface TocLine {
  section: string;
  title: string;
  page: number;
}

export interface PreflightFinding {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  article?: string;
  page?: number;
}

export interface Rendition {
  id: number;
  issueId: number;
  jobId: number | null;
  /** Directory relative to the data dir */
  dir: string;
  pages: number;
  planRevision: number;
  preflightErrors: number;
  preflightWarnings: number;
  findings: PreflightFinding[];
  toc: TocLine[];
  signed: boolean;
  files: RenditionFile[];
  createdAt: string;
}

/** A refusal a person can read (STYLE.md §4); `code` is stable for clients. */
export interface RefusalReason {
  code: string;
  message: string;
}
