/**
 * Request bodies of the issue endpoints (POST /issues, PUT plan, typeset, sign-off, send-to-print, publish,
 * download links). Shared by the JSON API and the screens; parse with `parseBody` from api-schemas.ts.
 */
import { z } from 'zod';
import { idSchema } from './api-schemas.ts';
import { nfc } from './vi-text.ts';

const text = (max: number) => z.string().trim().min(1).max(max).transform(nfc);

/** "190mm", "19cm" or a number of millimetres. */
export const lengthMm = z.union([z.number().positive().max(2000), z.string().trim()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:[.,]\d+)?)\s*(mm|cm)?$/i.exec(v);
  const n = m ? Number(m[1]!.replace(',', '.')) * ((m[2] ?? 'mm').toLowerCase() === 'cm' ? 10 : 1) : NaN;
  if (!(n > 0 && n <= 2000)) {
    ctx.addIssue({ code: 'custom', message: `invalid length "${v}" (expected a length like 190mm or 19cm)` });
    return z.NEVER;
  }
  return n;
});
const bleedMm = z.union([z.literal(0), z.literal('0'), lengthMm]).transform((v) => (v === '0' ? 0 : v));

export const TrimInput = z.union([
  z.object({ width: lengthMm, height: lengthMm }).transform((t) => ({ widthMm: t.width, heightMm: t.height })),
  z.object({ widthMm: lengthMm, heightMm: lengthMm }),
]);

export const DistributionInput = z
  .array(
    z.union([
      z.object({ unitId: idSchema, copies: z.number().int().min(0) }),
      z.object({ unit: text(300), copies: z.number().int().min(0) }),
    ]),
  )
  .max(5000);

const issueFields = {
  number: z.number().int().positive().max(9999),
  date: z.iso.date(),
  // Any whole number is stored: a zero or negative print run is a rule violation at sign-off, not lost input.
  printRun: z.number().int().min(-1_000_000).max(10_000_000),
  layout: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a layout name like "standard"').max(64),
  trim: TrimInput,
  bleed: bleedMm,
  bleedMm: bleedMm,
  colours: text(100),
  binding: text(100),
  paper: text(100),
  distribution: DistributionInput,
};

// number, date and printRun are required to create an issue; everything else falls back to the bulletin profile.
export const IssueCreateBody = z.object(issueFields).partial({
  layout: true,
  trim: true,
  bleed: true,
  bleedMm: true,
  colours: true,
  binding: true,
  paper: true,
  distribution: true,
});

export const IssueUpdateBody = z.object(issueFields).partial();

export const PlanBody = z.object({
  sections: z
    .array(z.object({ title: text(300), articleIds: z.array(idSchema).max(500).default([]) }))
    .max(50),
});

export const TypesetBody = z.object({ allowExpiredLicence: z.boolean().optional() });
export const SignOffBody = z.object({ renditionId: idSchema.optional() });
export const SendToPrintBody = z.object({ userIds: z.array(idSchema).min(1).max(100).optional() });
export const PublishBody = z.object({ unitIds: z.array(idSchema).min(1).max(5000).optional() });
export const ReissueBody = z.object({ reason: text(2000) });

export const DownloadLinkBody = z.object({
  unitId: idSchema,
  // A date means "valid through that day" (UTC); a timestamp is taken as given.
  expiresAt: z.union([z.iso.datetime({ offset: true, local: true }), z.iso.date()]),
});

/** Single-article preview: set in this issue's layout and trim (none: the defaults a new issue gets). */
export const ArticlePreviewBody = z.object({ issueId: idSchema.optional() });
