// The home page: tender list, hydration, language switch (with and without JavaScript),
// narrow screens and accessibility. Run by `cargo xtask test` (see server.js for the env).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  htmlLang,
  langSwitch,
  launchBrowser,
  openPage,
  waitForHydration,
} from './browser.js';
import { startServer } from './server.js';

const TIMEOUT = { timeout: 90_000 };
const PHONE = { viewport: { width: 360, height: 740 } };

const heading = (page) => page.locator('h1');
const tenderItems = (page) => page.getByTestId('tender-list').locator('li');

/** Clicks the language switch and waits until the document says `lang`. */
async function switchLanguage(page, lang) {
  await langSwitch(page).click();
  await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
}

async function assertChinese(page) {
  assert.equal(await htmlLang(page), 'zh-CN');
  assert.match(await heading(page).innerText(), /采购项目/);
  assert.equal((await langSwitch(page).innerText()).trim(), 'English');
}

async function assertEnglish(page) {
  assert.equal(await htmlLang(page), 'en');
  assert.match(await heading(page).innerText(), /tenders/i);
  assert.equal((await langSwitch(page).innerText()).trim(), '中文');
}

describe('with an empty database', () => {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('health checks and the favicon answer 200', async () => {
    for (const path of ['/healthz', '/readyz', '/favicon.ico']) {
      const response = await fetch(server.url + path);
      assert.equal(response.status, 200, `GET ${path}`);
    }
  });

  test('the server HTML is not marked as hydrated', async () => {
    const html = await (await fetch(server.url + '/')).text();
    assert.doesNotMatch(html, /data-hydrated/);
  });

  test('home shows the empty state, hydrates and logs no errors', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(server.url);
      await waitForHydration(page);
      await assertChinese(page);
      await page.getByTestId('tenders-empty').waitFor();
      assert.equal(await page.getByTestId('tender-list').count(), 0);
      await assertAccessible(page, 'empty list, Chinese');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('with the demo data', () => {
  let server;
  let browser;
  before(async () => {
    server = await startServer({ seed: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('home lists at least 3 published tenders, each with a link', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(server.url);
      await waitForHydration(page);
      const items = await tenderItems(page).all();
      assert.ok(items.length >= 3, `${items.length} tenders listed`);
      for (const item of items) {
        assert.ok((await item.locator('a[href]').count()) >= 1, 'a tender without a link');
      }
      assert.equal(await page.getByTestId('tenders-empty').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the page renders and the language switch posts', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser, { javaScriptEnabled: false });
    try {
      await page.goto(server.url);
      await assertChinese(page);
      assert.ok((await tenderItems(page).count()) >= 3);

      // A plain form post: the server sets the cookie and redirects back to the page.
      const reloaded = page.waitForEvent('load');
      await langSwitch(page).click();
      await reloaded;
      assert.equal(new URL(page.url()).pathname, '/');
      await assertEnglish(page);
      assert.ok((await tenderItems(page).count()) >= 3);

      await page.reload();
      await assertEnglish(page);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('with JavaScript the language switch comes back to the same page, hydrated, and sticks', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(server.url + '/?q=' + encodeURIComponent('运维'));
      await waitForHydration(page);
      await assertChinese(page);
      const chineseHeading = await heading(page).innerText();

      // The switch is a plain form post (the pages are islands: nothing but the islands
      // re-renders in the browser); the server sends the browser back to the same search.
      await switchLanguage(page, 'en');
      await langSwitch(page).filter({ hasText: '中文' }).waitFor();
      await heading(page).filter({ hasText: /tenders/i }).waitFor();
      await waitForHydration(page);
      await assertEnglish(page);
      assert.notEqual(await heading(page).innerText(), chineseHeading);
      assert.equal(new URL(page.url()).searchParams.get('q'), '运维');

      await page.reload();
      await waitForHydration(page);
      await assertEnglish(page);

      await switchLanguage(page, 'zh-CN');
      await heading(page).filter({ hasText: /采购项目/ }).waitFor();
      await assertChinese(page);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a tender page opens from the list, in both languages, and passes axe-core', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser, { ...PHONE, bypassCSP: true });
    try {
      await page.goto(server.url);
      await waitForHydration(page);
      const first = tenderItems(page).first().locator('a[href^="/tenders/"]');
      const title = (await first.innerText()).trim();
      await first.click();
      await page.waitForURL(/\/tenders\//);
      await heading(page).filter({ hasText: title }).waitFor();
      await assertNoHorizontalScroll(page, 360);
      await assertAccessible(page, 'tender page, Chinese');
      await switchLanguage(page, 'en');
      await page.getByText('Bid deadline').first().waitFor();
      await assertAccessible(page, 'tender page, English');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('an unknown page is a 404 with a way home, and passes axe-core', TIMEOUT, async () => {
    const { context, page } = await openPage(browser, { bypassCSP: true });
    try {
      const response = await page.goto(server.url + '/no/such/page');
      assert.equal(response.status(), 404);
      await waitForHydration(page);
      assert.match(await heading(page).innerText(), /页面不存在/);
      await assertAccessible(page, '404 page');
      await page.locator('main a[href="/"]').click();
      await page.getByTestId('tender-list').waitFor();
    } finally {
      await context.close();
    }
  });

  test('a 360 px wide screen needs no horizontal scrolling', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    try {
      await page.goto(server.url);
      await waitForHydration(page);
      await assertNoHorizontalScroll(page, 360);
      await switchLanguage(page, 'en');
      await assertNoHorizontalScroll(page, 360);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const [label, options] of [
    ['desktop', {}],
    ['360 px', PHONE],
  ]) {
    test(`axe-core finds no violations (${label}, both languages)`, TIMEOUT, async () => {
      // bypassCSP: the page's Content-Security-Policy may forbid the injected axe script.
      const { context, page } = await openPage(browser, { ...options, bypassCSP: true });
      try {
        await page.goto(server.url);
        await waitForHydration(page);
        await assertAccessible(page, `${label}, Chinese`);
        await switchLanguage(page, 'en');
        await heading(page).filter({ hasText: /tenders/i }).waitFor();
        await assertAccessible(page, `${label}, English`);
      } finally {
        await context.close();
      }
    });
  }
});
