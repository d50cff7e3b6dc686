/**
 * What the screens need from the rest of the app: the workflow services (the same ones the JSON API
 * calls — the UI holds no business rules and never touches SQL) and a few limits from the config.
 * web-core builds these in the composition root and passes them to createUiRouter.
 */
import type { Services } from '../../workflow/index.ts';
import type { PeopleDirectory } from '../../workflow/ui-people.ts';
import type { SystemStatusSource } from '../../ops/system-status.ts';

export interface UiLogger {
  error(obj: object, msg?: string): void;
}

export interface UiDeps {
  services: Services;
  /** Names behind user ids (revision authors, senders); built from the same WorkflowDeps. */
  people: PeopleDirectory;
  /** Upload limit for article files and photos, bytes (config.uploadLimitBytes). */
  uploadLimitBytes: number;
  /** Where errors that are bugs (→ 500) are logged. */
  logger: UiLogger;
  /** The clock the workflow uses (tests move time): "today" for overdue marks and the dashboard month. */
  clock: () => Date;
  /** Versions, disk, last backup, queue for the admin's system page (absent: the page answers 404). */
  system?: SystemStatusSource;
}
