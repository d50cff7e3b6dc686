import type { Db } from './database.ts';

export interface ChannelSettingsRow {
  kind: string;
  enabled: boolean;
  config: Record<string, unknown>;
  /** The stored secret; only the dispatcher reads it, the API only says whether there is one. */
  secret: string | null;
  updatedBy: number | null;
  updatedAt: string;
}

export type DeliveryState = 'pending' | 'ok' | 'failed';

export interface Delivery {
  issueId: number;
  kind: string;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  remoteId: string | null;
  remoteUrl: string | null;
  remoteIds: Record<string, string>;
  requestedAt: string;
  finishedAt: string | null;
  updatedAt: string;
}

interface SettingsRow {
  kind: string;
  enabled: number;
  config: string;
  secret: string | null;
  updated_by: number | null;
  updated_at: string;
}

interface DeliveryRow {
  issue_id: number;
  kind: string;
  state: DeliveryState;
  attempts: number;
  last_error: string | null;
  remote_id: string | null;
  remote_url: string | null;
  remote_ids: string;
  requested_at: string;
  finished_at: string | null;
  updated_at: string;
}

/** Portal channel settings (with their secrets) and per-issue-per-channel delivery status. */
export class ChannelRepository {
  constructor(private readonly db: Db) {}

  listSettings(): ChannelSettingsRow[] {
    return (this.db.prepare('SELECT * FROM publish_channels ORDER BY kind').all() as SettingsRow[]).map(toSettings);
  }

  getSettings(kind: string): ChannelSettingsRow | undefined {
    const r = this.db.prepare('SELECT * FROM publish_channels WHERE kind = ?').get(kind) as SettingsRow | undefined;
    return r && toSettings(r);
  }

  /** `secret: undefined` keeps the stored secret (the admin form never sees it again); `null` clears it. */
  saveSettings(kind: string, enabled: boolean, config: Record<string, unknown>, secret: string | null | undefined, userId: number | null, now: string): void {
    this.db
      .prepare(
        `INSERT INTO publish_channels (kind, enabled, config, secret, updated_by, updated_at) VALUES (@kind, @enabled, @config, @secret, @userId, @now)
         ON CONFLICT (kind) DO UPDATE SET enabled = excluded.enabled, config = excluded.config,
           secret = CASE WHEN @keepSecret THEN publish_channels.secret ELSE excluded.secret END,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run({ kind, enabled: enabled ? 1 : 0, config: JSON.stringify(config), secret: secret ?? null, keepSecret: secret === undefined ? 1 : 0, userId, now });
  }

  /** Starts (or restarts) a delivery: pending, attempts reset; remote ids of earlier runs are kept. */
  markPending(issueId: number, kind: string, now: string): void {
    this.db
      .prepare(
        `INSERT INTO publish_deliveries (issue_id, kind, state, attempts, requested_at, updated_at) VALUES (?, ?, 'pending', 0, ?, ?)
         ON CONFLICT (issue_id, kind) DO UPDATE SET state = 'pending', attempts = 0, last_error = NULL,
           requested_at = excluded.requested_at, finished_at = NULL, updated_at = excluded.updated_at`,
      )
      .run(issueId, kind, now, now);
  }

  recordAttempt(issueId: number, kind: string, attempts: number, error: string | null, now: string): void {
    this.db.prepare('UPDATE publish_deliveries SET attempts = ?, last_error = ?, updated_at = ? WHERE issue_id = ? AND kind = ?').run(attempts, error, now, issueId, kind);
  }

  markOk(issueId: number, kind: string, result: { remoteId: string; url?: string; remoteIds: Record<string, string> }, now: string): void {
    this.db
      .prepare(
        `UPDATE publish_deliveries SET state = 'ok', last_error = NULL, remote_id = ?, remote_url = ?, remote_ids = ?, finished_at = ?, updated_at = ?
         WHERE issue_id = ? AND kind = ?`,
      )
      .run(result.remoteId, result.url ?? null, JSON.stringify(result.remoteIds), now, now, issueId, kind);
  }

  markFailed(issueId: number, kind: string, error: string, now: string): void {
    this.db
      .prepare(`UPDATE publish_deliveries SET state = 'failed', last_error = ?, finished_at = ?, updated_at = ? WHERE issue_id = ? AND kind = ?`)
      .run(error, now, now, issueId, kind);
  }

  /** Ids a remote gave us for this issue earlier, possibly partial (media uploaded, post not yet created). */
  saveRemoteIds(issueId: number, kind: string, remoteIds: Record<string, string>, now: string): void {
    this.db.prepare('UPDATE publish_deliveries SET remote_ids = ?, updated_at = ? WHERE issue_id = ? AND kind = ?').run(JSON.stringify(remoteIds), now, issueId, kind);
  }

  delivery(issueId: number, kind: string): Delivery | undefined {
    const r = this.db.prepare('SELECT * FROM publish_deliveries WHERE issue_id = ? AND kind = ?').get(issueId, kind) as DeliveryRow | undefined;
    return r && toDelivery(r);
  }

  deliveries(issueId: number): Delivery[] {
    return (this.db.prepare('SELECT * FROM publish_deliveries WHERE issue_id = ? ORDER BY kind').all(issueId) as DeliveryRow[]).map(toDelivery);
  }

  /** Deliveries left pending when the process stopped (resumed on start). */
  pending(): Delivery[] {
    return (this.db.prepare("SELECT * FROM publish_deliveries WHERE state = 'pending' ORDER BY requested_at").all() as DeliveryRow[]).map(toDelivery);
  }
}

function toSettings(r: SettingsRow): ChannelSettingsRow {
  return { kind: r.kind, enabled: r.enabled === 1, config: JSON.parse(r.config) as Record<string, unknown>, secret: r.secret, updatedBy: r.updated_by, updatedAt: r.updated_at };
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    issueId: r.issue_id,
    kind: r.kind,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    remoteId: r.remote_id,
    remoteUrl: r.remote_url,
    remoteIds: JSON.parse(r.remote_ids) as Record<string, string>,
    requestedAt: r.requested_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
  };
}
