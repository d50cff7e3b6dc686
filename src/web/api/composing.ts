/** Everything the composing / publishing features add to the app, in one place for the composition root. */
import type { Router } from 'express';
import type { Services } from '../../workflow/index.ts';
import type { ApiRoute } from './route.ts';
import { issueRoutes } from './issues.ts';
import { jobEventsRouter, jobRoutes } from './jobs.ts';
import { publishedRoutes } from './published.ts';
import { downloadLinkRoutes } from './download-links.ts';
import { fileRouter } from './files.ts';
import { publicLinkRouter } from './public-links.ts';
import { feedApiRoutes, feedPublicRouter } from './feeds.ts';
import { articlePreviewRouter, articlePreviewRoutes } from './issue-article-preview.ts';

export interface ComposingWeb {
  /** JSON routes under /api/v1 */
  routes: ApiRoute[];
  /** Streaming routes under /api/v1 (files, export zip, SSE); authenticated like the rest of the API */
  apiRouters: Router[];
  /** Routes outside /api (download links opened without login) */
  publicRouters: Router[];
}

export function composingWeb(s: Services, opts: { publicBaseUrl?: string }): ComposingWeb {
  return {
    routes: [...issueRoutes(s), ...jobRoutes(s), ...publishedRoutes(s), ...downloadLinkRoutes(s, opts), ...feedApiRoutes(s, opts), ...articlePreviewRoutes(s)],
    apiRouters: [fileRouter(s), jobEventsRouter(s), articlePreviewRouter(s)],
    publicRouters: [publicLinkRouter(s), feedPublicRouter(s, opts)],
  };
}
