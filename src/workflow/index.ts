/**
 * All use cases, wired once. The API, the UI and the CLI receive this object; later workflows (issues,
 * typeset jobs, publishing) are added here so every caller gets them the same way.
 */
import type { Store } from '../store/index.ts';
import { AuthService } from './auth.ts';
import { UnitService } from './units.ts';
import { UserService } from './users.ts';
import { SectionService } from './sections.ts';
import { BulletinService } from './bulletin.ts';
import { ArticleService } from './articles.ts';
import { ArticleCollabService } from './article-collab.ts';
import { InboxService } from './inbox.ts';
import { PeopleDirectory } from './ui-people.ts';
import type { WorkflowDeps } from './context.ts';

export interface Services {
  auth: AuthService;
  units: UnitService;
  users: UserService;
  sections: SectionService;
  bulletin: BulletinService;
  articles: ArticleService;
  collab: ArticleCollabService;
  inbox: InboxService;
  people: PeopleDirectory;
}

export interface ServiceOptions {
  store: Store;
  clock?: () => Date;
  sessionTtlHours?: number;
  lockTtlMinutes?: number;
  uploadLimitBytes?: number;
}

export function createServices(opts: ServiceOptions): Services {
  const deps: WorkflowDeps = {
    store: opts.store,
    clock: opts.clock ?? (() => new Date()),
    sessionTtlHours: opts.sessionTtlHours ?? 12,
    lockTtlMinutes: opts.lockTtlMinutes ?? 15,
  };
  const articles = new ArticleService({ ...deps, uploadLimitBytes: opts.uploadLimitBytes ?? 50 * 1024 * 1024 });
  return {
    auth: new AuthService(deps),
    units: new UnitService(deps),
    users: new UserService(deps),
    sections: new SectionService(deps),
    bulletin: new BulletinService(deps),
    articles,
    collab: new ArticleCollabService(deps, articles),
    inbox: new InboxService(deps),
    people: new PeopleDirectory(deps),
  };
}

export type { WorkflowDeps, RequestMeta } from './context.ts';
