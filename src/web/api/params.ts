import { NotFoundError } from '../../domain/errors.ts';

/** A path id: ours are positive integers; anything else names nothing that exists (404, not 400). */
export function pathId(params: Record<string, string>, name = 'id'): number {
  const raw = params[name] ?? '';
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new NotFoundError(`no ${name} "${raw}"`);
  return Number(raw);
}
