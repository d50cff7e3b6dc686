import { ConflictError } from '../domain/errors.ts';
import type { Article } from '../domain/article.ts';

/** 409 for an edit based on an old version; carries both versions so the client can show them side by side. */
export class StaleVersionError extends ConflictError {
  override readonly code = 'stale_version';

  constructor(
    readonly yourVersion: number,
    readonly current: Article,
    readonly attempted: Record<string, unknown>,
  ) {
    super(`article ${current.id} was changed by someone else: you edited version ${yourVersion}, the current version is ${current.version}`, {
      field: 'version',
      userMessage: `Bài viết đã được người khác sửa (bạn sửa phiên bản ${yourVersion}, hiện tại là ${current.version}).`,
    });
  }

  /** Extra fields for the API error envelope. */
  details(): Record<string, unknown> {
    return { yourVersion: this.yourVersion, currentVersion: this.current.version, current: this.current, yours: this.attempted };
  }
}
