/**
 * Where Puppeteer's own downloaded Chrome would be (`npx puppeteer browsers install chrome`), worked out
 * without loading Puppeteer: importing it costs ~21 MiB and ~0.4 s, which /readyz and the admin's system
 * page must not pay just to look for a file. The rule is Puppeteer's own (its getConfiguration and
 * @puppeteer/browsers' computeExecutablePath): PUPPETEER_EXECUTABLE_PATH if set, else
 * `<PUPPETEER_CACHE_DIR or ~/.cache/puppeteer>/chrome/<platform>-<build>/<folder>/chrome`, where the
 * build is PUPPETEER_CHROME_VERSION or the one this Puppeteer release pins (read from its one-line
 * revisions module). A `.puppeteerrc` file is not read: BANTIN_CHROMIUM is the documented way to choose.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** The Chrome build this Puppeteer release pins, e.g. "148.0.7778.97"; undefined if it cannot be read. */
export function pinnedChromeBuild(): string | undefined {
  try {
    // Resolved from puppeteer's own location: puppeteer-core is its dependency, not ours.
    const fromPuppeteer = createRequire(createRequire(import.meta.url).resolve('puppeteer'));
    const { PUPPETEER_REVISIONS } = fromPuppeteer('puppeteer-core/internal/revisions.js') as { PUPPETEER_REVISIONS: { chrome?: string } };
    return PUPPETEER_REVISIONS.chrome;
  } catch (err) {
    // Puppeteer not installed (a trimmed deployment using BANTIN_CHROMIUM): there is no download to find.
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' || (err as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw err;
  }
}

/** The executable inside one Chrome for Testing download, per platform (as @puppeteer/browsers lays it out). */
function chromeInCache(cacheDir: string, build: string, platform: NodeJS.Platform, arch: string): string | undefined {
  const base = path.join(cacheDir, 'chrome');
  switch (platform) {
    case 'linux':
      return path.join(base, `${arch === 'arm64' ? 'linux_arm' : 'linux'}-${build}`, 'chrome-linux64', 'chrome');
    case 'darwin': {
      const [dir, folder] = arch === 'arm64' ? ['mac_arm', 'mac-arm64'] : ['mac', 'mac-x64'];
      return path.join(base, `${dir}-${build}`, `chrome-${folder}`, 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing');
    }
    case 'win32':
      return path.join(base, `win64-${build}`, 'chrome-win64', 'chrome.exe');
    default:
      return undefined;
  }
}

/**
 * The path Puppeteer would launch by default (whether or not it exists; the caller checks), or undefined
 * when there is none to compute. `env` is Puppeteer's environment variables, as Puppeteer itself reads them.
 */
export function puppeteerChromePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  if (env.PUPPETEER_EXECUTABLE_PATH) return env.PUPPETEER_EXECUTABLE_PATH;
  const build = env.PUPPETEER_CHROME_VERSION ?? pinnedChromeBuild();
  if (!build) return undefined;
  const cacheDir = env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');
  return chromeInCache(cacheDir, build, platform, arch);
}
