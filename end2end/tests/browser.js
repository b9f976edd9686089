// Browser helpers shared by the tests: Debian's Chromium driven by playwright-core, the
// hydration signal, console-error collection and axe-core.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFile(
  path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'),
  'utf8',
);

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh context (own cookies) and page. The browser asks for Chinese like the site's
 * main audience, so the default language holds whether or not the server reads
 * Accept-Language. `problems` collects console errors, uncaught exceptions and failed
 * responses.
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return { context, page, problems };
}

/** Waits until the wasm has hydrated the page (an Effect sets body[data-hydrated]). */
export async function waitForHydration(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { state: 'attached' });
}

export const langSwitch = (page) => page.getByTestId('lang-switch');

/**
 * What the page keeps of a form as it posts (app/src/ui/keeper.rs), read by posting it to an
 * answer that leaves the page where it is (204 No Content), so the storage can be read before
 * any next page takes it. Returns the kept fields as [name, value] pairs, or null.
 */
export async function keptOnPost(page, endpoint, submit) {
  const url = `**/api/${endpoint}`;
  await page.route(url, (route) => route.fulfill({ status: 204 }));
  try {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/api/${endpoint}`)), submit()]);
    const kept = await page.evaluate(() => sessionStorage.getItem('fairtender.refused-form'));
    return kept === null ? null : [...new URLSearchParams(kept)];
  } finally {
    await page.unroute(url);
  }
}

export async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

/** Fails unless the document is at most `width` CSS pixels wide (no horizontal scroll). */
export async function assertNoHorizontalScroll(page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth}px wide in a ${width}px viewport`);
}

/** Runs axe-core on the page and fails with a readable list of any violations. */
export async function assertAccessible(page, label) {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
  // govern (an injected <script> tag would be refused, as any inline script without the nonce).
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`),
    }));
  });
  const report = violations
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n}`).join('\n')}`)
    .join('\n');
  assert.equal(violations.length, 0, `axe-core found violations (${label}):\n${report}`);
}
