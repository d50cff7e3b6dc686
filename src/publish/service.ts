/**
 * Use cases of the portal channels: admins read and save channel settings (secrets go in, never come
 * out: `hasSecret`), editors see per-issue delivery status and retry a channel; publishing an issue
 * hands it to the dispatcher, which works in the background.
 */
import { NotFoundError, RuleViolation } from '../domain/errors.ts';
import { parseBody } from '../domain/api-schemas.ts';
import type { Actor } from '../domain/user.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from '../workflow/context.ts';
import { CHANNEL_KINDS, isChannelKind, type ChannelKind } from './channel.ts';
import type { ChannelDispatcher } from './dispatcher.ts';
import { isActive } from './registry.ts';
import { ChannelSettingsBody, parseChannelConfig, requireRunnable } from './settings.ts';

export interface ChannelSettingsView {
  kind: ChannelKind;
  enabled: boolean;
  /** Whether the channel runs on the next publish (enabled and complete) */
  active: boolean;
  config: Record<string, unknown>;
  hasSecret: boolean;
  updatedAt: string | null;
}

export interface DeliveryView {
  kind: string;
  state: 'pending' | 'ok' | 'failed';
  running: boolean;
  attempts: number;
  lastError: string | null;
  remoteId: string | null;
  url: string | null;
  requestedAt: string;
  finishedAt: string | null;
  updatedAt: string;
}

export class ChannelService {
  constructor(
    private readonly deps: WorkflowDeps,
    readonly dispatcher: ChannelDispatcher,
  ) {}

  listSettings(actor: Actor): ChannelSettingsView[] {
    requirePermission(actor, 'channel.manage');
    return CHANNEL_KINDS.map((k) => this.view(k));
  }

  saveSettings(actor: Actor, kindParam: string, body: unknown): ChannelSettingsView {
    requirePermission(actor, 'channel.manage');
    const kind = this.kind(kindParam);
    const input = parseBody(ChannelSettingsBody, body);
    const config = parseChannelConfig(kind, input.config);
    const stored = this.deps.store.channels.getSettings(kind);
    const hasSecret = input.secret === undefined ? stored?.secret != null : input.secret !== null;
    requireRunnable(kind, input.enabled, hasSecret);
    this.deps.store.transaction(() => {
      this.deps.store.channels.saveSettings(kind, input.enabled, config, input.secret, actor.id, nowIso(this.deps));
      // The audit log records that the secret changed, never the secret.
      audit(this.deps, {
        actorId: actor.id,
        action: 'channel.settings',
        targetType: 'channel',
        targetId: kind,
        details: { kind, enabled: input.enabled, config, secretChanged: input.secret !== undefined },
      });
    });
    return this.view(kind);
  }

  status(actor: Actor, issueId: number): { issueId: number; items: DeliveryView[] } {
    requirePermission(actor, 'channel.deliver');
    if (!this.deps.store.issues.get(issueId)) throw new NotFoundError(`issue ${issueId} not found`, { userMessage: 'Không tìm thấy số bản tin.' });
    const items = this.deps.store.channels.deliveries(issueId).map((d) => ({
      kind: d.kind,
      state: d.state,
      running: isChannelKind(d.kind) && this.dispatcher.isRunning(issueId, d.kind),
      attempts: d.attempts,
      lastError: d.lastError,
      remoteId: d.remoteId,
      url: d.remoteUrl,
      requestedAt: d.requestedAt,
      finishedAt: d.finishedAt,
      updatedAt: d.updatedAt,
    }));
    return { issueId, items };
  }

  retry(actor: Actor, issueId: number, kindParam: string): { issueId: number; items: DeliveryView[] } {
    requirePermission(actor, 'channel.deliver');
    const kind = this.kind(kindParam);
    const issue = this.deps.store.issues.get(issueId);
    if (!issue) throw new NotFoundError(`issue ${issueId} not found`, { userMessage: 'Không tìm thấy số bản tin.' });
    if (issue.state !== 'published') throw new RuleViolation(`issue ${issueId} is ${issue.state}: only published issues go to the portal`, { userMessage: 'Số này chưa phát hành.' });
    if (!isActive(kind, this.deps.store.channels.getSettings(kind))) {
      throw new RuleViolation(`channel ${kind} is not enabled and configured`, { userMessage: 'Kênh này chưa được bật hoặc chưa cấu hình.' });
    }
    this.dispatcher.retry(issueId, kind);
    audit(this.deps, { actorId: actor.id, action: 'channel.retry', targetType: 'issue', targetId: issueId, details: { kind } });
    return this.status(actor, issueId);
  }

  /** Called after an issue was published (or re-published): every active channel gets it, in the background. */
  issuePublished(issueId: number): void {
    this.dispatcher.enqueue(issueId);
  }

  private kind(value: string): ChannelKind {
    if (!isChannelKind(value)) throw new NotFoundError(`unknown channel "${value}"`, { expected: CHANNEL_KINDS.join(', ') });
    return value;
  }

  private view(kind: ChannelKind): ChannelSettingsView {
    const row = this.deps.store.channels.getSettings(kind);
    return {
      kind,
      enabled: row?.enabled ?? kind === 'package',
      active: isActive(kind, row),
      config: row?.config ?? {},
      hasSecret: row?.secret != null,
      updatedAt: row?.updatedAt ?? null,
    };
  }
}
