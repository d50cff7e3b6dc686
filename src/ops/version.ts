/** bantin's own version (package.json), recorded in backups and shown by /metrics. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function bantinVersion(): string {
  if (cached) return cached;
  const parsed: unknown = JSON.parse(fs.readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
  cached = typeof parsed === 'object' && parsed !== null && 'version' in parsed ? String(parsed.version) : 'unknown';
  return cached;
}
