/**
 * The store: one SQLite file in the data dir, migrated on open, with one repository per thing.
 * Later issues (#6/#7: issues, jobs, renditions, download links) add their repositories here.
 */
import path from 'node:path';
import { openDatabase, migrate, type Db, type MigrationResult } from './database.ts';
import { UnitRepository } from './unit-repository.ts';
import { UserRepository } from './user-repository.ts';
import { SessionRepository } from './session-repository.ts';
import { SectionRepository } from './section-repository.ts';
import { BulletinRepository } from './bulletin-repository.ts';
import { ArticleRepository } from './article-repository.ts';
import { CommentRepository } from './comment-repository.ts';
import { LockRepository } from './lock-repository.ts';
import { AuditRepository } from './audit-repository.ts';
import { NotificationRepository } from './notification-repository.ts';
import { IssueRepository } from './issue-repository.ts';
import { JobRepository } from './job-repository.ts';
import { RenditionRepository } from './rendition-repository.ts';
import { PublicationRepository } from './publication-repository.ts';
import { DownloadLinkRepository } from './download-link-repository.ts';
import { ChannelRepository } from './channel-repository.ts';
import { PictureRepository } from './picture-repository.ts';
import { MediaFiles } from './media-files.ts';
import { MailRepository } from './mail-repository.ts';
import { FeedTokenRepository } from './feed-token-repository.ts';

export interface Store {
  readonly file: string;
  readonly migration: MigrationResult;
  readonly units: UnitRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly sections: SectionRepository;
  readonly bulletin: BulletinRepository;
  readonly articles: ArticleRepository;
  readonly comments: CommentRepository;
  readonly locks: LockRepository;
  readonly audit: AuditRepository;
  readonly notifications: NotificationRepository;
  readonly issues: IssueRepository;
  readonly jobs: JobRepository;
  readonly renditions: RenditionRepository;
  readonly publications: PublicationRepository;
  readonly downloadLinks: DownloadLinkRepository;
  readonly channels: ChannelRepository;
  readonly pictures: PictureRepository;
  /** The picture files in the data dir (content-addressed, next to the database). */
  readonly media: MediaFiles;
  /** E-mail addresses and the outgoing mail queue (#5/#7) */
  readonly mail: MailRepository;
  readonly feedTokens: FeedTokenRepository;
  /** Runs `fn` in one SQLite transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export const DATABASE_FILE = 'bantin.sqlite';

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

export function openStore(dataDir: string): Store {
  const file = databasePath(dataDir);
  const db: Db = openDatabase(file);
  const migration = migrate(db);
  let closed = false;
  const downloadLinks = new DownloadLinkRepository(db);
  return {
    file,
    migration,
    units: new UnitRepository(db),
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    sections: new SectionRepository(db),
    bulletin: new BulletinRepository(db),
    articles: new ArticleRepository(db),
    comments: new CommentRepository(db),
    locks: new LockRepository(db),
    audit: new AuditRepository(db),
    notifications: new NotificationRepository(db),
    issues: new IssueRepository(db),
    jobs: new JobRepository(db),
    renditions: new RenditionRepository(db),
    publications: new PublicationRepository(db),
    downloadLinks,
    channels: new ChannelRepository(db),
    pictures: new PictureRepository(db),
    media: new MediaFiles(dataDir),
    mail: new MailRepository(db),
    feedTokens: new FeedTokenRepository(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => {
      if (closed) return;
      closed = true;
      // Downloads wait up to 100 ms in memory before they are written together (download-link-repository.ts).
      downloadLinks.flushDownloads();
      db.close();
    },
  };
}
