/** Builds the configured channel objects from stored settings (config + server-side secret). */
import type { ChannelSettingsRow } from '../store/channel-repository.ts';
import type { ChannelKind, PublishChannel } from './channel.ts';
import { PackageChannel } from './channels/package.ts';
import { WordPressChannel } from './channels/wordpress.ts';
import { NukeVietChannel } from './channels/nukeviet.ts';
import { WebhookChannel } from './channels/webhook.ts';
import { NEEDS_SECRET, NukeVietConfig, WebhookConfig, WordPressConfig } from './settings.ts';
import { RemoteError } from './remote-error.ts';

/** `package` runs unless an admin switched it off; the others run once configured and enabled. */
export function isActive(kind: ChannelKind, row: ChannelSettingsRow | undefined): boolean {
  if (kind === 'package') return row?.enabled ?? true;
  return row !== undefined && row.enabled && (!NEEDS_SECRET[kind] || row.secret !== null);
}

export function createChannel(kind: ChannelKind, row: ChannelSettingsRow | undefined, dataDir: string): PublishChannel {
  if (kind === 'package') return new PackageChannel(dataDir);
  if (!row?.secret) throw new RemoteError(`channel ${kind} has no secret configured`, false);
  switch (kind) {
    case 'wordpress':
      return new WordPressChannel({ ...WordPressConfig.parse(row.config), applicationPassword: row.secret });
    case 'nukeviet':
      return new NukeVietChannel({ ...NukeVietConfig.parse(row.config), apiSecret: row.secret });
    case 'webhook':
      return new WebhookChannel({ ...WebhookConfig.parse(row.config), secret: row.secret });
  }
}
