// Time to first byte and to hydrated for pages in Debian's Chromium (issue #8), run by
// `bench run` when it is given a Chromium (not part of `npm test`).
//
//   node page-timing.js <runs> <url>...
//
// Each URL is loaded <runs> times "cold" (a fresh browser context: empty cache, no cookies),
// then <runs> times "warm" (one context, so the wasm, script and CSS come from the HTTP
// cache). Times are milliseconds from the start of navigation (the page's performance
// timeOrigin): first byte = responseStart of the navigation entry, DOMContentLoaded, load,
// and hydrated = the moment the wasm sets body[data-hydrated="true"] (observed by a
// MutationObserver installed before any page script runs). A page that does not answer 200,
// logs an error or does not hydrate within 30 s fails the run (exit code 1). Prints one JSON
// object on stdout.

import { launchBrowser, openPage } from './tests/browser.js';

const HYDRATION_TIMEOUT_MS = 30_000;

// Installed in every page before its own scripts: records performance.now() when the body
// gets data-hydrated="true".
function watchHydration() {
  const record = () => {
    if (window.__ftHydratedAt === undefined && document.body?.dataset.hydrated === 'true') {
      window.__ftHydratedAt = performance.now();
    }
  };
  new MutationObserver(record).observe(document, {
    attributes: true,
    attributeFilter: ['data-hydrated'],
    subtree: true,
    childList: true,
  });
}

async function loadOnce(page, problems, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || response.status() !== 200) {
    throw new Error(`${url} answered ${response ? response.status() : 'nothing'}`);
  }
  await page.waitForFunction(() => window.__ftHydratedAt !== undefined, null, {
    timeout: HYDRATION_TIMEOUT_MS,
  });
  if (problems.length > 0) throw new Error(`${url}: ${problems.join('; ')}`);
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      first_byte_ms: nav.responseStart,
      dom_content_loaded_ms: nav.domContentLoadedEventEnd,
      load_ms: nav.loadEventEnd,
      hydrated_ms: window.__ftHydratedAt,
      transferred_kb: performance
        .getEntriesByType('resource')
        .concat([nav])
        .reduce((sum, e) => sum + (e.transferSize || 0), 0) / 1024,
    };
  });
}

function summarise(samples) {
  const keys = Object.keys(samples[0]);
  const out = { loads: samples.length };
  for (const key of keys) {
    const values = samples.map((s) => s[key]).sort((a, b) => a - b);
    out[key] = {
      median: values[Math.floor((values.length - 1) / 2)],
      max: values[values.length - 1],
    };
  }
  return out;
}

async function main() {
  const [runsArg, ...urls] = process.argv.slice(2);
  const runs = Number.parseInt(runsArg, 10);
  if (!(runs > 0) || urls.length === 0) {
    throw new Error('usage: node page-timing.js <runs> <url>...');
  }
  const browser = await launchBrowser();
  try {
    const cold = [];
    for (let i = 0; i < runs; i += 1) {
      for (const url of urls) {
        const { context, page, problems } = await openPage(browser);
        await page.addInitScript(watchHydration);
        cold.push(await loadOnce(page, problems, url));
        await context.close();
      }
    }
    const warm = [];
    const { context, page, problems } = await openPage(browser);
    await page.addInitScript(watchHydration);
    for (const url of urls) await loadOnce(page, problems, url); // fills the cache
    for (let i = 0; i < runs; i += 1) {
      for (const url of urls) warm.push(await loadOnce(page, problems, url));
    }
    await context.close();
    console.log(
      JSON.stringify({
        browser: browser.version(),
        urls: urls.length,
        cold: summarise(cold),
        warm: summarise(warm),
      }),
    );
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`page-timing: ${error.message}`);
  process.exit(1);
});
