/**
 * What an admin configures per channel. `config` is shown back in the admin API; the secret (application
 * password, API secret, HMAC key) is stored server-side and never returned — the API says `hasSecret`.
 */
import { z } from 'zod';
import { BadInputError } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import type { ChannelKind } from './channel.ts';
import { isSafePortalUrl } from './http.ts';

/** https everywhere; plain http only for loopback (tests, a local reverse proxy). */
const portalUrl = z
  .url()
  .refine((raw) => isSafePortalUrl(new URL(raw)), 'must be an https:// URL (plain http only for loopback)')
  // Settings other than the secret are shown back to admins and logged: no credentials in the URL.
  .refine((raw) => !new URL(raw).username && !new URL(raw).password, 'must not contain a user name or password (put the credential in `secret`)')
  .transform((raw) => raw.replace(/\/+$/, ''));

export const PackageConfig = z.object({}).strict();
export const WordPressConfig = z
  .object({
    baseUrl: portalUrl,
    username: z.string().trim().min(1).max(200),
    status: z.enum(['publish', 'draft', 'pending', 'private']).default('publish'),
    categories: z.array(z.number().int().positive()).max(20).default([]),
  })
  .strict();
export const NukeVietConfig = z
  .object({
    baseUrl: portalUrl,
    apiKey: z.string().trim().min(1).max(200),
    /** 4.5 verifies hashsecret with password_verify (bcrypt); 4.6 with md5 */
    version: z.enum(['4.5', '4.6']).default('4.5'),
    module: z.string().trim().regex(/^[a-z0-9_-]{1,50}$/).default('news'),
    language: z.string().trim().regex(/^[a-z]{2}$/).default('vi'),
    action: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9]{0,60}$/).default('BantinPublishIssue'),
  })
  .strict();
export const WebhookConfig = z.object({ url: portalUrl }).strict();

export type WordPressSettings = z.infer<typeof WordPressConfig> & { applicationPassword: string };
export type NukeVietSettings = z.infer<typeof NukeVietConfig> & { apiSecret: string };
export type WebhookSettings = z.infer<typeof WebhookConfig> & { secret: string };

const CONFIG_SCHEMAS: Record<ChannelKind, z.ZodType<Record<string, unknown>>> = {
  package: PackageConfig,
  wordpress: WordPressConfig,
  nukeviet: NukeVietConfig,
  webhook: WebhookConfig,
};

/** Which channels need a secret before they can run. */
export const NEEDS_SECRET: Record<ChannelKind, boolean> = { package: false, wordpress: true, nukeviet: true, webhook: true };

export const ChannelSettingsBody = z
  .object({
    enabled: z.boolean().default(true),
    config: z.record(z.string(), z.unknown()).default({}),
    /** Omit to keep the stored secret; null clears it. */
    secret: z.union([z.string().min(8, 'at least 8 characters').max(500), z.null()]).optional(),
  })
  .strict();

export function parseChannelConfig(kind: ChannelKind, value: unknown): Record<string, unknown> {
  return parseBody(CONFIG_SCHEMAS[kind], value, 'config');
}

/** A channel that is enabled must have what it needs to run; say what is missing. */
export function requireRunnable(kind: ChannelKind, enabled: boolean, hasSecret: boolean): void {
  if (enabled && NEEDS_SECRET[kind] && !hasSecret) {
    throw new BadInputError(`channel ${kind} needs a secret before it can be enabled`, {
      field: 'secret',
      expected: kind === 'wordpress' ? 'a WordPress application password' : kind === 'nukeviet' ? 'the NukeViet API secret' : 'a shared HMAC key',
      userMessage: 'Kênh này cần khóa bí mật trước khi bật.',
    });
  }
}
