/**
 * Articles and their state machine (DESIGN.md "Article states"):
 * submitted → in_review → approved | returned (reason) | rejected → scheduled → published;
 * returned → (resubmit) → submitted. Pure: rules return a reason or null (STYLE.md §4).
 */
import type { Role } from './roles.ts';

export const ARTICLE_STATES = ['submitted', 'in_review', 'approved', 'returned', 'rejected', 'scheduled', 'published'] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];

/** The words editors already know from the portals they run. */
export const ARTICLE_STATE_LABELS_VI: Readonly<Record<ArticleState, string>> = {
  submitted: 'Chờ duyệt',
  in_review: 'Đang biên tập',
  approved: 'Đã duyệt',
  returned: 'Trả lại',
  rejected: 'Từ chối',
  scheduled: 'Đã xếp số',
  published: 'Đã xuất bản',
};

export interface Article {
  id: number;
  title: string;
  subtitle: string | null;
  lead: string | null;
  bodyHtml: string;
  author: string | null;
  unitId: number | null;
  originUnitId: number | null;
  sectionId: number | null;
  state: ArticleState;
  version: number;
  createdBy: number;
  assignedTo: number | null;
  dueDate: string | null;
  /** Reason given with the last return or rejection. */
  stateReason: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string;
}

/** The summary a queue shows (no body). */
export type ArticleSummary = Omit<Article, 'bodyHtml'>;

/** Moves a person may ask for through the transition endpoint; scheduling/publishing come from issues. */
export const REQUESTABLE_TARGETS = ['submitted', 'in_review', 'approved', 'returned', 'rejected'] as const;
export type RequestableTarget = (typeof REQUESTABLE_TARGETS)[number];

const ALLOWED_MOVES: Readonly<Record<ArticleState, readonly ArticleState[]>> = {
  submitted: ['in_review'],
  in_review: ['approved', 'returned', 'rejected'],
  returned: ['submitted'],
  approved: ['scheduled'],
  scheduled: ['published', 'approved'], // taken out of an issue plan → back to approved
  rejected: [],
  published: [],
};

export function isRequestable(to: ArticleState): to is RequestableTarget {
  return (REQUESTABLE_TARGETS as readonly string[]).includes(to);
}

/** Why the article cannot move from its state to `to`, or null when it can. */
export function whyCannotTransition(article: Pick<Article, 'state'>, to: ArticleState, reason: string | undefined): string | null {
  if (article.state === to) return `article is already ${to}`;
  if (!ALLOWED_MOVES[article.state].includes(to)) {
    const allowed = ALLOWED_MOVES[article.state];
    return `an article that is ${article.state} cannot move to ${to}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (final state)');
  }
  // DESIGN: "returned (with a reason)" — the contributor must learn what to fix. A rejection may say why.
  if (to === 'returned' && !reason?.trim()) return 'a reason is required to return an article';
  return null;
}

/**
 * Content can be edited until its issue is signed off (a scheduled article's issue is checked by the
 * workflow, which knows the issue); contributors only while it is theirs to fix.
 */
export function whyCannotEdit(article: Pick<Article, 'state'>, role: Role): string | null {
  if (article.state === 'published') return `an article that is ${article.state} can no longer be edited`;
  if (article.state === 'rejected') return 'a rejected article can no longer be edited';
  if (role === 'contributor' && article.state !== 'submitted' && article.state !== 'returned') {
    return `a contributor can edit an article only while it is submitted or returned (it is ${article.state})`;
  }
  return null;
}
