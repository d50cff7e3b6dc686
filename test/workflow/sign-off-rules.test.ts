/** The sign-off rule as a plain function: every reason a signed issue could be wrong, named. */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import type { Issue, Rendition } from '../../src/domain/issue.ts';
import { whyCannotSignOff, type SignOffFacts } from '../../src/workflow/sign-off.ts';
import { whyCannotPlace } from '../../src/workflow/issue-plan.ts';

const issue: Issue = {
  id: 1, number: 11, year: 2026, date: '2026-11-15', printRun: 3110, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3,
  colours: null, binding: null, paper: null, state: 'typeset', version: 1, versionReason: null, planRevision: 4, signedRenditionId: null,
  signedOffAt: null, signedOffBy: null, createdBy: 1, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z',
};
const rendition: Rendition = {
  id: 7, issueId: 1, jobId: 3, dir: 'renditions/1/3', pages: 32, planRevision: 4, preflightErrors: 0, preflightWarnings: 0, findings: [], toc: [], signed: false,
  files: [{ name: 'print.pdf', bytes: 10, sha256: 'a'.repeat(64), pages: 32 }], createdAt: '2026-11-10T00:00:00Z',
};
const article = (id: number, state: Article['state']): Article => ({
  id, title: `Bài ${id}`, subtitle: null, lead: null, bodyHtml: '<p>x</p>', author: null, unitId: null, originUnitId: null, sectionId: null, state, version: 1,
  createdBy: 1, assignedTo: null, dueDate: null, stateReason: null, createdAt: '', updatedAt: '', submittedAt: '',
});
const ok: SignOffFacts = {
  issue, rendition, articles: [{ id: 1, article: article(1, 'scheduled') }], distribution: [{ unitId: 1, unit: 'Xã A', copies: 3110 }],
  licenceExpires: '2026-12-31', licenceOverridden: false,
};
const codes = (f: SignOffFacts, today = '2026-11-20') => whyCannotSignOff(f, today).map((r) => r.code);

describe('whyCannotSignOff', () => {
  it('has nothing against a current, clean rendition of a consistent issue', () => {
    expect(codes(ok)).toEqual([]);
  });
  it('names preflight errors with their page, and an outdated rendition', () => {
    const bad = { ...rendition, planRevision: 3, preflightErrors: 1, findings: [{ severity: 'error' as const, code: 'overflow', message: 'text cut', page: 5 }] };
    const reasons = whyCannotSignOff({ ...ok, rendition: bad }, '2026-11-20');
    expect(reasons.map((r) => r.code)).toEqual(['rendition-outdated', 'preflight-errors']);
    expect(reasons[1]!.message).toContain('overflow (page 5): text cut');
  });
  it('names deleted and unapproved articles, a non-positive print run and a distribution that does not add up', () => {
    expect(codes({ ...ok, articles: [{ id: 9, article: undefined }, { id: 2, article: article(2, 'returned') }] })).toEqual(['article-missing', 'article-not-approved']);
    expect(codes({ ...ok, issue: { ...issue, printRun: 0 }, distribution: [] })).toEqual(['print-run']);
    expect(codes({ ...ok, distribution: [{ unitId: null, unit: 'Xã A', copies: 3000 }] })).toEqual(['distribution-sum']);
  });
  it('refuses an expired licence unless the rendition was built with the explicit override', () => {
    expect(codes(ok, '2027-01-02')).toEqual(['licence-expired']);
    expect(codes({ ...ok, licenceOverridden: true }, '2027-01-02')).toEqual([]);
  });
  it('refuses a second sign-off and an issue never typeset', () => {
    expect(codes({ ...ok, issue: { ...issue, state: 'signed_off' } })).toEqual(['already-signed-off']);
    expect(codes({ ...ok, rendition: undefined })).toEqual(['no-rendition']);
  });
});

describe('whyCannotPlace', () => {
  it('accepts approved articles and those already in this issue, refuses the rest with the reason', () => {
    expect(whyCannotPlace(1, article(1, 'approved'), 5, undefined)).toBeNull();
    expect(whyCannotPlace(1, article(1, 'scheduled'), 5, 5)).toBeNull();
    expect(whyCannotPlace(1, article(1, 'scheduled'), 5, 4)?.code).toBe('article-in-other-issue');
    expect(whyCannotPlace(1, article(1, 'in_review'), 5, undefined)?.code).toBe('article-not-approved');
    expect(whyCannotPlace(1, undefined, 5, undefined)?.code).toBe('article-missing');
  });
});
