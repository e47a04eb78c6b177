// pa11y drives Chromium through Puppeteer. The tests use Debian's Chromium (see
// tools/services/chromium.py), so npm ci must not download a browser of its own.
module.exports = { skipDownload: true };
