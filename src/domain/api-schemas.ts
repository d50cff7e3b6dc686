/**
 * zod schemas for every request body the workflow accepts (JSON API, UI forms and CLI share them).
 * Text is trimmed and normalised to NFC on the way in; ids are opaque but ours are positive integers,
 * accepted as numbers or numeric strings (HTML forms send strings).
 */
import { z } from 'zod';
import { BadInputError } from './errors.ts';
import { ARTICLE_STATES } from './article.ts';
import { ROLES } from './roles.ts';
import { nfc } from './vi-text.ts';

const text = (max: number) => z.string().trim().min(1).max(max).transform(nfc);
const optionalText = (max: number) =>
  z.union([z.string().trim().max(max).transform((s) => (s === '' ? null : nfc(s))), z.null()]).optional();
export const idSchema = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d{0,15}$/).transform(Number)]);
const optionalId = z.union([idSchema, z.null(), z.literal('').transform(() => null)]).optional();
const isoDate = z.iso.date();

export const usernameSchema = z.string().trim().min(2).max(64).regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits, . _ @ - only').transform(nfc);
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(200);

export const SetupBody = z.object({ username: usernameSchema, password: passwordSchema, displayName: text(200) });
export const LoginBody = z.object({ username: z.string().trim().min(1).max(64).transform(nfc), password: z.string().min(1).max(200) });

export const UnitCreateBody = z.object({
  name: text(300),
  kind: text(64),
  parentId: optionalId,
  validFrom: isoDate.optional(),
});
export const UnitUpdateBody = z.object({
  name: text(300).optional(),
  kind: text(64).optional(),
  parentId: optionalId,
  validTo: z.union([isoDate, z.null()]).optional(),
});
export const UnitMergeBody = z.object({ into: idSchema, date: isoDate.optional() });

export const UserCreateBody = z.object({
  username: usernameSchema,
  password: passwordSchema,
  displayName: text(200),
  role: z.enum(ROLES),
  unitId: optionalId,
});
export const UserUpdateBody = z.object({
  displayName: text(200).optional(),
  role: z.enum(ROLES).optional(),
  unitId: optionalId,
  disabled: z.boolean().optional(),
  password: passwordSchema.optional(),
});
export const PasswordChangeBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema });

const millimetres = z.number().positive().max(2000);

export const BulletinBody = z.object({
  name: text(300),
  publisher: text(300),
  address: text(500),
  responsible: text(300),
  licence: z.object({ number: text(100), date: isoDate, issuer: text(300), expires: isoDate }),
  frequency: text(100),
  printShop: text(300),
  /** The trim a new issue gets when it names none (issue #6: "default trim"); absent: 190 × 270 mm. */
  defaultTrim: z.object({ widthMm: millimetres, heightMm: millimetres }).optional(),
  /** The legal limits preflight checks (src/domain/legal-profile.ts); absent: the Press Law's 190 × 270 mm, 64 pages. */
  legalProfile: z.object({ maxWidthMm: millimetres, maxHeightMm: millimetres, maxPages: z.number().int().min(4).max(1000) }).optional(),
});
export type BulletinProfile = z.infer<typeof BulletinBody>;

export const SectionCreateBody = z.object({ title: text(300), position: z.number().int().min(0).optional() });
export const SectionUpdateBody = z.object({ title: text(300).optional(), position: z.number().int().min(0).optional() });

const articleFields = {
  title: text(500),
  subtitle: optionalText(500),
  lead: optionalText(5000),
  author: optionalText(300),
  sectionId: optionalId,
  unitId: optionalId,
};
/** title and bodyHtml are optional here because an upload brings them (the service insists on both). */
export const ArticleCreateBody = z.object({ ...articleFields, title: text(500).optional(), bodyHtml: z.string().max(10_000_000).optional() });
export const ArticleUpdateBody = z.object({
  version: z.coerce.number().int().positive(),
  title: text(500).optional(),
  subtitle: articleFields.subtitle,
  lead: articleFields.lead,
  author: articleFields.author,
  sectionId: optionalId,
  bodyHtml: z.string().max(10_000_000).optional(),
});
/** Any state is understood; moves to scheduled/published are refused with 422 (they come from issues). */
export const TransitionBody = z.object({ to: z.enum(ARTICLE_STATES), reason: optionalText(2000) });
export const AssignBody = z.object({ userId: optionalId, dueDate: z.union([isoDate, z.null()]).optional() });
export const CommentBody = z.object({ body: text(5000) });
export const LockBody = z.object({
  takeover: z.boolean().optional(),
  draft: z
    .object({ title: z.string().max(500).optional(), lead: z.string().max(5000).optional(), bodyHtml: z.string().max(10_000_000).optional() })
    .optional(),
});

export const ArticleListQuery = z.object({
  state: z.union([z.enum(ARTICLE_STATES), z.literal('').transform(() => undefined)]).optional(),
  q: z.string().max(500).optional(),
  unitId: optionalId,
  sectionId: optionalId,
  assignedTo: optionalId,
  from: isoDate.optional(),
  to: isoDate.optional(),
  overdue: z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true').optional(),
  /** Only articles created by this user; `mine=1` is the same for the caller ("my articles"). */
  createdBy: optionalId,
  mine: z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ArticleListQuery = z.infer<typeof ArticleListQuery>;

/** Parses or throws BadInputError naming every offending field (→ 400). */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => ({ field: i.path.join('.') || what, message: i.message }));
  const first = problems[0];
  throw new BadInputError(`invalid ${what}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
    field: first?.field,
    problems,
    userMessage: 'Dữ liệu nhập chưa hợp lệ: ' + problems.map((p) => p.field).join(', '),
  });
}
