/**
 * Composition root: config → logger → store (migrated) → services → app → HTTP server, and the reverse
 * on shutdown. The CLI (`bantin serve`, `bantin demo`) and tests build the app through these functions,
 * so there is one wiring.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger, type DestinationStream } from 'pino';
import type { Config } from './config.ts';
import { BadInputError } from './domain/errors.ts';
import { openStore, type Store } from './store/index.ts';
import { createServices, type Services } from './workflow/index.ts';
import { createApp } from './web/app.ts';
import { createUiRouter } from './web/ui/index.ts';
import { composingWeb } from './web/api/composing.ts';
import { JobWorker } from './workflow/job-worker.ts';
import { BrowserHost } from './typeset/browser.ts';
import { fileURLToPath } from 'node:url';
import { createOpsMetrics, createOpsRouter } from './web/ops-routes.ts';
import { startMaintenance } from './ops/maintenance.ts';
import { pruneMedia } from './ops/media-prune.ts';
import { moveEmbeddedPictures } from './workflow/pictures-backfill.ts';
import { createSystemStatus } from './ops/system-status.ts';
import { createBrowserCheck } from './ops/browser-check.ts';
import { smtpMailer } from './notify/mailer.ts';

const LAYOUTS = { layoutsDir: fileURLToPath(new URL('../layouts/', import.meta.url)), fontsDir: fileURLToPath(new URL('../fonts/', import.meta.url)) };

/** The in-process typeset worker (one warm Chromium); a separate `bantin worker` could run the same loop. */
export function createWorker(runtime: Runtime, opts: { onBrowserLaunch?: () => void } = {}): JobWorker {
  const { config, store, clock, logger, services } = runtime;
  return new JobWorker({
    store,
    clock,
    dataDir: config.dataDir,
    layouts: LAYOUTS,
    // onLaunch counts relaunches after a crash inside a render too, not only the worker's own launches.
    launchBrowser: () => BrowserHost.launch({ executablePath: config.chromiumPath, timeoutMs: config.renderTimeoutMs, onLaunch: opts.onBrowserLaunch }),
    // The browser bounds each render; the whole job (export + all renders + post-processing) gets twice that.
    jobTimeoutMs: config.renderTimeoutMs * 2,
    leaseMs: config.workerLeaseMs,
    signal: services.typeset.signal,
    logger,
  });
}

export interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
  services: Services;
  clock: () => Date;
}

export function createLogger(config: Config, destination?: DestinationStream): Logger {
  return pino({ level: config.logLevel, base: { app: 'bantin' } }, destination);
}

export function createRuntime(config: Config, opts: { logger?: Logger; clock?: () => Date } = {}): Runtime {
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? (() => new Date());
  const store = openStore(config.dataDir);
  if (store.migration.applied.length) logger.info({ applied: store.migration.applied, file: store.file }, 'database migrated');
  const services = createServices({
    store,
    clock,
    sessionTtlHours: config.sessionTtlHours,
    uploadLimitBytes: config.uploadLimitBytes,
    channels: { publicBaseUrl: config.publicBaseUrl, logger },
    // E-mail only when BANTIN_SMTP_URL is set; links in mails need BANTIN_PUBLIC_URL to be absolute.
    ...(config.smtp ? { mail: { mailer: smtpMailer(config.smtp), baseUrl: config.publicBaseUrl, logger } } : {}),
    // Single-article previews get their own browser, launched on demand, so they never hold up typeset jobs.
    preview: { launchBrowser: () => BrowserHost.launch({ executablePath: config.chromiumPath, timeoutMs: config.renderTimeoutMs }), layouts: LAYOUTS, timeoutMs: config.renderTimeoutMs },
  });
  if (config.smtp && !config.publicBaseUrl) logger.warn('BANTIN_SMTP_URL is set without BANTIN_PUBLIC_URL: links in e-mails will be paths without a server address');
  return { config, logger, store, services, clock };
}

export interface RunningServer {
  url: string;
  server: http.Server;
  runtime: Runtime;
  /** Stops accepting requests, lets running ones finish (bounded), closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: { logger?: Logger; clock?: () => Date } = {}): Promise<RunningServer> {
  const runtime = createRuntime(config, opts);
  const { services, logger, clock } = runtime;
  // Photos that older versions embedded in article bodies move to the picture store, once (idempotent).
  const moved = await moveEmbeddedPictures(runtime.store, services.pictures).catch((err: unknown) => {
    runtime.store.close();
    throw err;
  });
  if (moved.photos) logger.info({ articles: moved.articles, revisions: moved.revisions, photos: moved.photos }, 'moved embedded photos into the picture store');
  for (const left of moved.left) logger.warn(left, 'embedded photo left in the article body: it cannot be read');
  const metrics = createOpsMetrics();
  // The admin's system page: the worker's Chromium launches only when this process runs the worker.
  const browserLaunches = async () => (await metrics.browserLaunches.get()).values[0]?.value ?? 0;
  // One cached "can Chromium start?" probe for /readyz and the system page (never loads Puppeteer).
  const browser = createBrowserCheck({ chromiumPath: config.chromiumPath });
  const system = createSystemStatus({ databaseFile: runtime.store.file, dataDir: config.dataDir, browser, ...(config.inProcessWorker ? { browserLaunches } : {}) });
  const ui = createUiRouter({ services, people: services.people, uploadLimitBytes: config.uploadLimitBytes, logger, clock, system });
  const composing = composingWeb(services, { publicBaseUrl: config.publicBaseUrl });
  const ops = createOpsRouter({ databaseFile: runtime.store.file, dataDir: config.dataDir, browser, auth: services.auth, metrics });
  const app = createApp({ config, services, logger, ui, ops, extraApiRoutes: composing.routes, extraApiRouters: composing.apiRouters, publicRouters: composing.publicRouters });
  const server = http.createServer(app);
  // Long uploads on a slow office network must not be cut by the default 5-minute request timeout.
  server.requestTimeout = 15 * 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    runtime.store.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      // An operator's mistake (another program on the port), not a crash: say which setting to change.
      throw new BadInputError(`cannot listen on ${config.host}:${config.port}: ${code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}`, { field: 'PORT', cause: err });
    }
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;
  runtime.logger.info({ url, dataDir: config.dataDir }, 'bantin listening');
  const worker = config.inProcessWorker ? createWorker(runtime, { onBrowserLaunch: () => metrics.browserLaunches.inc() }) : undefined;
  // Daily: the sweep of unused pictures, then the backup with retention when BANTIN_BACKUP_DIR is set.
  const maintenance = startMaintenance({
    dataDir: config.dataDir,
    ...(config.backupDir ? { backupDir: config.backupDir } : {}),
    clock,
    logger,
    pruneMedia: () => pruneMedia({ store: runtime.store, clock, graceDays: config.mediaGraceDays }),
  });
  worker?.start();
  // Portal deliveries a previous process left pending (crash, restart) start again, in the background.
  services.channels.dispatcher.resumePending();
  // Mail queued before a restart (or while the mail server was down) goes out now.
  services.mailDelivery?.kick();
  // Expired sessions are refused on use anyway; this only keeps the table small.
  const purge = setInterval(() => runtime.services.auth.purgeExpiredSessions(), 3600_000);
  purge.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      force.unref();
      clearInterval(purge);
      const maintained = maintenance.stop();
      // The worker stops at once (a running job is re-queued, its browser closed) instead of rendering on
      // while requests drain; the store closes only when both are done.
      const stopped = worker?.stop();
      const previews = runtime.services.articlePreview.close();
      server.close(() => {
        clearTimeout(force);
        void Promise.all([stopped, previews, maintained, runtime.services.channels.dispatcher.close(), runtime.services.mailDelivery?.close()]).finally(() => {
          runtime.store.close();
          resolve();
        });
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { url, server, runtime, close };
}
