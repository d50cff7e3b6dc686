/** Versions of everything that shaped the PDFs, for job.json and the PDF Producer. */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserHost } from './browser.ts';
import { PAGED_JS } from './render-document.ts';

const require = createRequire(import.meta.url);

function versionOf(packageJson: string): string {
  const parsed: unknown = JSON.parse(fs.readFileSync(packageJson, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed ? String(parsed.version) : 'unknown';
}

export async function toolVersions(browser: BrowserHost): Promise<Record<string, string>> {
  return {
    bantin: versionOf(fileURLToPath(new URL('../../package.json', import.meta.url))),
    node: process.version,
    chromium: await browser.version,
    pagedjs: versionOf(path.join(path.dirname(PAGED_JS), '..', 'package.json')),
    'pdf-lib': versionOf(path.join(path.dirname(require.resolve('pdf-lib')), '..', 'package.json')),
    puppeteer: versionOf(path.join(path.dirname(require.resolve('puppeteer')), '..', '..', '..', 'package.json')),
  };
}
