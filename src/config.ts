/**
 * One validated, frozen configuration object, read from environment variables once in the composition
 * root (src/main.ts, the CLI) and passed down. Nothing else reads process.env.
 */
import path from 'node:path';
import { z } from 'zod';
import { BadInputError } from './domain/errors.ts';

const intFromEnv = (def: number) => z.coerce.number().int().positive().default(def);

/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; the From address is required with it. */
const SmtpSchema = z.object({
  url: z.url({ protocol: /^smtps?$/, error: 'expected smtp://[user:password@]host[:port] or smtps://…' }),
  from: z.string().trim().min(3).max(300).regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'expected an address like bantin@tinhuy.vn or "Ban biên tập <bantin@tinhuy.vn>"'),
});

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().default('0.0.0.0'),
  dataDir: z.string().min(1).default('./data'),
  /** Absolute base URL when behind a proxy, e.g. https://bantin.tinhuy.vn — makes download links absolute. */
  publicBaseUrl: z.url().optional(),
  /** Cookies get `Secure` when the app is served over TLS (directly or via a proxy). */
  trustProxy: z.coerce.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  chromiumPath: z.string().optional(),
  renderTimeoutMs: intFromEnv(300_000),
  jsonLimitBytes: intFromEnv(10 * 1024 * 1024),
  uploadLimitBytes: intFromEnv(50 * 1024 * 1024),
  sessionTtlHours: intFromEnv(12),
  /** The in-process typeset worker; turned off when `bantin worker` runs separately. */
  inProcessWorker: z.coerce.boolean().default(true),
  /** How long a typeset worker's claim on a job lasts without a heartbeat (separate workers take over after). */
  workerLeaseMs: intFromEnv(60_000),
  /** Daily backups (7 daily + 4 weekly kept) go here when set; off by default. */
  backupDir: z.string().min(1).optional(),
  /** Unused uploaded pictures older than this many days are removed by the daily maintenance and `bantin media prune`. */
  mediaGraceDays: intFromEnv(7),
  /** Outgoing e-mail (off unless BANTIN_SMTP_URL is set): publish notices to readers, decisions to contributors. */
  smtp: SmtpSchema.optional(),
});

/** Config keys whose environment variable is not obvious from the key, for error messages. */
const ENV_NAMES: Record<string, string> = { 'smtp.url': 'BANTIN_SMTP_URL', 'smtp.from': 'BANTIN_MAIL_FROM', mediaGraceDays: 'BANTIN_MEDIA_GRACE_DAYS' };

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw = {
    port: env.PORT,
    host: env.HOST,
    dataDir: env.BANTIN_DATA_DIR,
    publicBaseUrl: env.BANTIN_PUBLIC_URL || undefined,
    trustProxy: env.BANTIN_TRUST_PROXY === '1' || env.BANTIN_TRUST_PROXY === 'true' ? true : undefined,
    logLevel: env.LOG_LEVEL,
    chromiumPath: env.BANTIN_CHROMIUM || undefined,
    renderTimeoutMs: env.BANTIN_RENDER_TIMEOUT_MS,
    jsonLimitBytes: env.BANTIN_JSON_LIMIT,
    uploadLimitBytes: env.BANTIN_UPLOAD_LIMIT,
    sessionTtlHours: env.BANTIN_SESSION_TTL_HOURS,
    inProcessWorker: env.BANTIN_WORKER === 'off' ? false : undefined,
    workerLeaseMs: env.BANTIN_WORKER_LEASE_MS,
    backupDir: env.BANTIN_BACKUP_DIR || undefined,
    mediaGraceDays: env.BANTIN_MEDIA_GRACE_DAYS,
    smtp: env.BANTIN_SMTP_URL || env.BANTIN_MAIL_FROM ? { url: env.BANTIN_SMTP_URL, from: env.BANTIN_MAIL_FROM } : undefined,
    ...overrides,
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new BadInputError('invalid configuration', {
      problems: parsed.error.issues.map((i) => ({ field: ENV_NAMES[i.path.join('.')] ?? i.path.join('.'), message: i.message })),
    });
  }
  return Object.freeze({
    ...parsed.data,
    dataDir: path.resolve(parsed.data.dataDir),
    ...(parsed.data.backupDir ? { backupDir: path.resolve(parsed.data.backupDir) } : {}),
  });
}
