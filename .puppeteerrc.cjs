// Puppeteer's own Chrome download cannot work on closed networks (and the office server usually has
// Debian's chromium). Skip it when a system browser is present or the user asked for one; otherwise
// let Puppeteer download as usual. src/typeset/browser.ts decides at run time which one to use.
const fs = require('node:fs');
const systemBrowsers = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
module.exports = {
  skipDownload:
    Boolean(process.env.PUPPETEER_SKIP_DOWNLOAD) ||
    Boolean(process.env.BANTIN_CHROMIUM) ||
    systemBrowsers.some((p) => fs.existsSync(p)),
};
