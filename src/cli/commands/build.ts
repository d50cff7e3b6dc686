/**
 * `bantin build <issue-dir> --out <dir> [--profile print|screen|all] [--json] [--html] [--thumbnails] [--allow-expired-licence]`
 * Exit 0 = built, preflight clean; 1 = built with preflight errors (files written, errors listed);
 * 2 = bad input (thrown as BadInputError before anything is written). Progress goes to stderr.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config.ts';
import { BadInputError } from '../../domain/errors.ts';
import { BrowserHost } from '../../typeset/browser.ts';
import type { BuildOutcome } from '../../typeset/build.ts';
import type { Finding } from '../../typeset/model.ts';
import type { ProgressEvent } from '../../typeset/paginate.ts';
import type { Profile } from '../../typeset/postprocess.ts';
import { THUMBNAILS_DIR } from '../../typeset/write-outputs.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';

const USAGE = 'build <issue-dir> --out <dir> [--profile print|screen|all] [--json] [--html] [--thumbnails] [--allow-expired-licence]';
const PROFILES: Profile[] = ['print', 'screen', 'all'];
const LAYOUTS_DIR = fileURLToPath(new URL('../../../layouts/', import.meta.url));
const FONTS_DIR = fileURLToPath(new URL('../../../fonts/', import.meta.url));

const build: Command = async (ctx) => {
  const { values, positionals } = parseCommandArgs(
    ctx.argv,
    {
      out: { type: 'string', short: 'o' },
      profile: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
      html: { type: 'boolean', default: false },
      thumbnails: { type: 'boolean', default: false },
      'allow-expired-licence': { type: 'boolean', default: false },
    },
    USAGE,
  );
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new BadInputError(`expected exactly one issue directory\nusage: bantin ${USAGE}`, { field: '<issue-dir>' });
  if (!values.out) throw new BadInputError(`--out is required\nusage: bantin ${USAGE}`, { field: '--out', expected: 'an output directory' });
  const profile = PROFILES.find((p) => p === values.profile);
  if (!profile) throw new BadInputError(`unknown profile "${values.profile}"`, { field: '--profile', expected: PROFILES.join(', ') });

  // An --out that names a file would only fail after the whole build, at the write: refuse it first (exit 2, nothing built).
  if (fs.statSync(values.out, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new BadInputError(`--out ${values.out} is an existing file`, { field: '--out', expected: 'a directory (new or existing)' });
  }

  const config = loadConfig(ctx.env);
  const started = Date.now();
  // Chromium starts while the issue loads (it takes about as long); bad input still writes nothing.
  const host = BrowserHost.launch({ executablePath: config.chromiumPath, timeoutMs: config.renderTimeoutMs });
  host.catch(() => {}); // a launch failure surfaces when the build asks for the browser
  // Chromium is closed as soon as pagination is done, so its shutdown overlaps post-processing and writing.
  let closing: Promise<void> | undefined;
  const closeBrowser = (): Promise<void> => {
    closing ??= host.then((h) => h.close(), () => undefined);
    closing.catch(() => {}); // a failed close is reported by the await in `finally`
    return closing;
  };
  try {
    // The pipeline's modules (loader, layout, PDF tools) load while Chromium starts in its own process.
    const { buildIssue } = await import('../../typeset/build.ts');
    const result = await buildIssue(
      dir,
      { out: values.out, profile, html: values.html, thumbnails: values.thumbnails, allowExpiredLicence: values['allow-expired-licence'], onProgress: progressPrinter(ctx.stderr, started) },
      { browser: () => host, releaseBrowser: () => void closeBrowser(), layouts: { layoutsDir: LAYOUTS_DIR, fontsDir: FONTS_DIR } },
    );
    ctx.stderr.write(summary(result, Date.now() - started));
    if (values.json) {
      const { paginated: _pageMap, ...json } = result;
      // job.json carries the hashes of the other files, so the engine cannot list it; the CLI lists it here.
      const ticket = fs.readFileSync(path.join(values.out, 'job.json'));
      const files = [...json.files, { name: 'job.json', bytes: ticket.length, sha256: crypto.createHash('sha256').update(ticket).digest('hex') }];
      ctx.stdout.write(JSON.stringify({ ...json, files }, null, 2) + '\n');
    }
    return result.exitCode;
  } finally {
    await closeBrowser();
  }
};
export default build;

function progressPrinter(stderr: NodeJS.WritableStream, started: number): (e: ProgressEvent) => void {
  return (e) => {
    const secs = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    stderr.write(`[${secs}s] ${e.stage.padEnd(11)} ${e.message}\n`);
  };
}

function findingLine(f: Finding): string {
  const where = [f.article ? `"${f.article}"` : '', f.file ?? '', f.page ? `page ${f.page}` : ''].filter(Boolean).join(', ');
  return `  ${f.severity.toUpperCase().padEnd(7)} ${f.code}: ${f.message}${where ? ` [${where}]` : ''}${f.fix ? `\n          fix: ${f.fix}` : ''}`;
}

function summary(result: BuildOutcome, ms: number): string {
  const lines = result.findings.filter((f) => f.severity !== 'info' || f.code === 'pages-added').map(findingLine);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  const thumbnails = result.files.filter((f) => f.name.startsWith(`${THUMBNAILS_DIR}/`));
  const files = result.files
    .filter((f) => !thumbnails.includes(f))
    .map((f) => `  ${result.outDir}/${f.name} (${f.bytes} bytes${f.pages ? `, ${f.pages} pages` : ''})`)
    .concat(thumbnails.length > 0 ? [`  ${result.outDir}/${THUMBNAILS_DIR}/ (${thumbnails.length} page thumbnails)`] : []);
  return [
    ...lines,
    `built ${result.pages} pages in ${(ms / 1000).toFixed(1)} s: ${errors} error(s), ${warnings} warning(s)`,
    ...files,
    errors > 0 ? 'preflight FAILED (exit 1): fix the errors above and build again' : 'preflight passed',
    '',
  ].join('\n');
}
