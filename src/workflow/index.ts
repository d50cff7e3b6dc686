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
import { PictureService } from './pictures.ts';
import { ArticleCollabService } from './article-collab.ts';
import { InboxService } from './inbox.ts';
import { PeopleDirectory } from './ui-people.ts';
import type { WorkflowDeps } from './context.ts';
import path from 'node:path';
import { IssueService } from './issues.ts';
import { IssuePlanService } from './issue-plan.ts';
import { JobSignal, TypesetJobService } from './typeset-job.ts';
import { SignOffService } from './sign-off.ts';
import { PrintHandoffService } from './print-handoff.ts';
import { PublishService } from './publish.ts';
import { DownloadLinkService } from './download-links.ts';
import { IssueFileService } from './issue-files.ts';
import { IssuePortalService } from './ui-issues-portal.ts';
import { IssueReportService } from './ui-issues-reports.ts';
import { ChannelService } from '../publish/service.ts';
import { ArticlePreviewService, type PreviewEngine } from './article-preview.ts';
import { ChannelDispatcher, DEFAULT_DISPATCHER_OPTIONS, type DispatcherOptions } from '../publish/dispatcher.ts';
import { FeedService } from '../publish/feed.ts';
import { CoverThumbnailService } from '../publish/cover-thumbnail.ts';
import { Notifier } from '../notify/notifier.ts';
import { MailDelivery, type MailDeliveryLogger, type MailDeliveryOptions } from '../notify/mail-delivery.ts';
import type { Mailer } from '../notify/mailer.ts';
import { EmailAddressService } from '../notify/email-addresses.ts';

export interface Services {
  auth: AuthService;
  units: UnitService;
  users: UserService;
  sections: SectionService;
  bulletin: BulletinService;
  articles: ArticleService;
  /** The picture store: uploads, /media access, photos of article bodies */
  pictures: PictureService;
  collab: ArticleCollabService;
  inbox: InboxService;
  people: PeopleDirectory;
  // Composing, typesetting, printing and publishing issues (#6/#7)
  issues: IssueService;
  issuePlans: IssuePlanService;
  typeset: TypesetJobService;
  signOff: SignOffService;
  printing: PrintHandoffService;
  publishing: PublishService;
  downloadLinks: DownloadLinkService;
  issueFiles: IssueFileService;
  /** Tables of contents, placed-article titles and search for the issue screens */
  issuePortal: IssuePortalService;
  /** Reports for the office: issues per year, contributions, downloads */
  issueReports: IssueReportService;
  // Portal channels (#7): settings, background delivery of published issues
  channels: ChannelService;
  // Notices in the app and by e-mail, Atom feeds (#5/#7)
  notifier: Notifier;
  emailAddresses: EmailAddressService;
  /** Background sender of the mail outbox; absent when SMTP is not configured */
  mailDelivery?: MailDelivery;
  feeds: FeedService;
  /** The archive's cover pictures: page 1 as typeset, or a drawn cover for older renditions */
  covers: CoverThumbnailService;
  /** One article typeset alone, in seconds, before it is placed (#6) */
  articlePreview: ArticlePreviewService;
}

export interface ServiceOptions {
  store: Store;
  clock?: () => Date;
  sessionTtlHours?: number;
  lockTtlMinutes?: number;
  uploadLimitBytes?: number;
  /** Portal channel dispatcher: public base URL for file links; tests inject fetch/sleep/backoff */
  channels?: Partial<DispatcherOptions>;
  /** Outgoing e-mail (SMTP configured): the Mailer, the base URL links in mails start with, retry settings */
  mail?: { mailer: Mailer; baseUrl?: string; logger?: MailDeliveryLogger; delivery?: MailDeliveryOptions };
  /** The engine for single-article previews (serve); without it previews are refused */
  preview?: PreviewEngine;
}

export function createServices(opts: ServiceOptions): Services {
  const deps: WorkflowDeps = {
    store: opts.store,
    clock: opts.clock ?? (() => new Date()),
    sessionTtlHours: opts.sessionTtlHours ?? 12,
    lockTtlMinutes: opts.lockTtlMinutes ?? 15,
  };
  const mailDelivery = opts.mail && new MailDelivery({ store: opts.store, mailer: opts.mail.mailer, clock: deps.clock, logger: opts.mail.logger }, opts.mail.delivery);
  const notifier = new Notifier({ store: opts.store, clock: deps.clock, mail: mailDelivery && { baseUrl: opts.mail?.baseUrl, queued: () => mailDelivery.kick() } });
  const pictures = new PictureService(deps);
  const articles = new ArticleService({ ...deps, pictures, notices: notifier, uploadLimitBytes: opts.uploadLimitBytes ?? 50 * 1024 * 1024 });
  // Renditions live next to the database file, in the data dir.
  const dataDir = path.dirname(opts.store.file);
  const issues = new IssueService(deps);
  const channels = new ChannelService(deps, new ChannelDispatcher({ store: opts.store, dataDir, clock: deps.clock }, { ...DEFAULT_DISPATCHER_OPTIONS, ...opts.channels }));
  const issueFiles = new IssueFileService({ ...deps, dataDir });
  const publishing = new PublishService(deps, issues, articles, (issueId) => channels.issuePublished(issueId), notifier);
  return {
    auth: new AuthService(deps),
    units: new UnitService(deps),
    users: new UserService(deps),
    sections: new SectionService(deps),
    bulletin: new BulletinService(deps),
    articles,
    pictures,
    collab: new ArticleCollabService(deps, articles),
    inbox: new InboxService(deps),
    people: new PeopleDirectory(deps),
    issues,
    issuePlans: new IssuePlanService(deps, issues, articles),
    typeset: new TypesetJobService(deps, new JobSignal()),
    signOff: new SignOffService({ ...deps, dataDir }, issues),
    printing: new PrintHandoffService(deps, issues),
    publishing,
    downloadLinks: new DownloadLinkService(deps),
    issueFiles,
    issuePortal: new IssuePortalService(deps),
    issueReports: new IssueReportService(deps),
    channels,
    notifier,
    emailAddresses: new EmailAddressService(deps),
    ...(mailDelivery ? { mailDelivery } : {}),
    feeds: new FeedService(deps, publishing),
    covers: new CoverThumbnailService({ ...deps, issueFiles }),
    articlePreview: new ArticlePreviewService({ ...deps, dataDir }, opts.preview),
  };
}

export type { WorkflowDeps, RequestMeta } from './context.ts';
