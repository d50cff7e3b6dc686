/**
 * Legal limits for a bản tin as DATA, not code: the law changes (Luật Báo chí 2016 art. 34, amended by
 * Law 126/2025/QH15 from 1 Jul 2026), and a new profile is a new object here, chosen by configuration.
 */
export interface LegalProfile {
  id: string;
  /** Human-readable source of the rules, quoted in findings */
  source: string;
  maxTrimMm: { width: number; height: number };
  maxPages: number;
  advertisingAllowed: boolean;
  /** Words that mark advertising in a section or article title (folded: lower case, no diacritics) */
  advertisingMarkers: string[];
  /** Warn this many days before the publishing licence expires */
  licenceWarnDays: number;
}

export const PRESS_LAW_BULLETIN: LegalProfile = Object.freeze({
  id: 'press-law-2016-bulletin',
  source: 'Luật Báo chí 2016, Điều 34 (sửa đổi bởi Luật 126/2025/QH15)',
  maxTrimMm: Object.freeze({ width: 190, height: 270 }),
  maxPages: 64,
  advertisingAllowed: false,
  advertisingMarkers: ['quang cao'],
  licenceWarnDays: 60,
}) as LegalProfile;

export const LEGAL_PROFILES: Readonly<Record<string, LegalProfile>> = Object.freeze({ [PRESS_LAW_BULLETIN.id]: PRESS_LAW_BULLETIN });

/** The limits an admin may set in the bulletin profile (PUT /api/v1/bulletin `legalProfile`). */
export interface LegalLimits {
  maxWidthMm: number;
  maxHeightMm: number;
  maxPages: number;
}

/**
 * The legal profile typesetting checks against: the Press Law's, or, when the bulletin profile sets other
 * limits (the law changed before bantin did), those limits under their own id so job.json and
 * preflight.json say which rules were applied.
 */
export function legalProfileFor(limits: LegalLimits | undefined): LegalProfile {
  const law = PRESS_LAW_BULLETIN;
  if (!limits) return law;
  if (limits.maxWidthMm === law.maxTrimMm.width && limits.maxHeightMm === law.maxTrimMm.height && limits.maxPages === law.maxPages) return law;
  return Object.freeze({
    ...law,
    id: `bulletin-profile-${limits.maxWidthMm}x${limits.maxHeightMm}-${limits.maxPages}p`,
    source: 'Thông tin bản tin (giới hạn do quản trị khai báo)',
    maxTrimMm: Object.freeze({ width: limits.maxWidthMm, height: limits.maxHeightMm }),
    maxPages: limits.maxPages,
  });
}
