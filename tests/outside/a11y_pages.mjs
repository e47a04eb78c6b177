// Accessibility checks by tools from outside the project, over pages of a served site.
//
//   node a11y_pages.mjs <base url> <chromium> <flags as JSON> <axe.min.js> <paths as JSON> <ready>
//
// Each page is opened four ways: light and dark palette, with a mouse and on a touch screen
// (no hover). axe-core runs every rule in each (violations of any impact), colour contrast
// with a mouse only (a touch screen changes no colour); pa11y runs
// HTML_CodeSniffer (WCAG2AA, errors) with a mouse, in both palettes (what a touch screen
// changes, focusable regions and controls shown without hover, is axe's to check, and
// the colours are the same). Prints one JSON object:
//   {"<path> <scheme> <pointer>": {"htmlcs": [...], "axe": [...], "outside": [...]}}
// where "outside" lists requests that tried to leave 127.0.0.1 (they are aborted). Each
// page is checked once <ready> (a JavaScript expression) holds after its load event.
import { readFile } from "node:fs/promises";
import pa11y from "pa11y";
import puppeteer from "puppeteer";

const [base, executablePath, flagsJson, axePath, pathsJson, ready] = process.argv.slice(2);
const paths = JSON.parse(pathsJson);
const axeSource = await readFile(axePath, "utf8");
const MODES = ["light", "dark"].flatMap((scheme) =>
  ["mouse", "touch"].map((pointer) => ({ scheme, pointer })),
);
const PARALLEL = 4;
const quiet = { debug() {}, info() {}, error: (m) => process.stderr.write(`${m}\n`) };

const browser = await puppeteer.launch({
  executablePath, args: JSON.parse(flagsJson), headless: true,
});
const results = {};

async function runPa11y(url, page, viewport) {
  const found = await pa11y(url, {
    browser,
    page,
    standard: "WCAG2AA",
    runners: ["htmlcs"],
    includeWarnings: false,
    includeNotices: false,
    timeout: 60000,
    viewport,
    log: quiet,
    ignoreUrl: true, // the page is already open and ready
  });
  return found.issues.map(({ code, message, selector, context }) => ({
    code, message, selector, context,
  }));
}

async function check(path, { scheme, pointer }) {
  const page = await browser.newPage();
  const outside = [];
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const { protocol, hostname } = new URL(request.url());
    if (hostname === "127.0.0.1" || protocol === "data:") return request.continue();
    outside.push(request.url());
    return request.abort();
  });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
  const viewport = { width: 1280, height: 1024, hasTouch: pointer === "touch" };
  await page.setViewport(viewport);
  await page.goto(base + path, { waitUntil: "load", timeout: 60000 });
  // polled on a timer: of the pages open at once, only one is shown, and a hidden page
  // draws no animation frames
  await page.waitForFunction(ready, { polling: 50, timeout: 60000 });
  const htmlcs = pointer === "touch" ? [] : await runPa11y(base + path, page, viewport);
  await page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
  await page.evaluate(axeSource);
  // A touch screen changes what is focusable, not a colour: the contrast of every text,
  // half of axe's time, is measured with a mouse in each palette.
  const rules = pointer === "touch" ? { "color-contrast": { enabled: false } } : {};
  const { violations } = await page.evaluate(
    (rules) => globalThis.axe.run(document, { resultTypes: ["violations"], rules }),
    rules,
  );
  const axe = violations.flatMap(({ id, impact, help, nodes }) =>
    nodes.map((node) => ({ code: id, impact, message: help, selector: node.target.join(" ") })),
  );
  await page.close();
  results[`${path} ${scheme} ${pointer}`] = { htmlcs, axe, outside };
}

const jobs = paths.flatMap((path) => MODES.map((mode) => [path, mode]));
async function worker() {
  for (let job = jobs.shift(); job; job = jobs.shift()) await check(...job);
}
try {
  await Promise.all(Array.from({ length: PARALLEL }, worker));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
