// Issue #4 in the browser: an officer drafts a tender with two lots, sees publication refused
// for a track-record requirement (R-BAR-02, written in traditional characters, issue #34),
// fixes it and publishes; a visitor then finds it by a Chinese search term and by filters.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, assertNoHorizontalScroll, launchBrowser, openPage, waitForHydration } from './browser.js';
import { startServer } from './server.js';

const TIMEOUT = { timeout: 120_000 };
const PHONE = { viewport: { width: 360, height: 740 }, bypassCSP: true };
const DEMO_PASSWORD = 'fairtender-demo-2026';
const TITLE = '古籍数字化扫描服务';

/** `YYYY-MM-DDTHH:MM`, 25 days from now, 17:00 Beijing time. */
function deadlineInput() {
  const beijing = new Date(Date.now() + 25 * 86_400_000 + 8 * 3_600_000);
  return `${beijing.toISOString().slice(0, 10)}T17:00`;
}

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

async function signIn(page, url, email, password) {
  await page.goto(url + '/login');
  await waitForHydration(page);
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(password);
  await page.getByRole('button', { name: '登录' }).last().click();
  await page.waitForURL(/\/account$/);
}

const expectedProblems = (problems) => problems.filter((p) => !/(status of |HTTP )422\b/.test(p));

describe('tenders', () => {
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

  test('an officer drafts two lots, is refused for a track record, fixes it and publishes', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    try {
      await page.goto(server.url + '/login');
      await waitForHydration(page);
      await page.locator('#f-email').fill('buyer@demo.fairtender.cn');
      await page.locator('#f-password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录' }).last().click();
      await page.waitForURL(/\/account$/);
      await page.getByRole('link', { name: '我的采购项目' }).click();
      await page.getByTestId('new-tender').click();
      await page.waitForURL(/\/agency\/tenders\/new$/);
      await page.getByTestId('draft-form').waitFor();
      await assertAccessible(page, 'new tender form');
      await assertNoHorizontalScroll(page, 360);

      await page.locator('#f-title').fill(TITLE);
      await page.locator('#f-description').fill('对馆藏明清古籍约 2 万页进行高精度扫描、图像处理与元数据著录。');
      await page.locator('#f-category').selectOption('services');
      await page.locator('#f-method').selectOption('open_tender');
      await page.locator('#f-region').fill('福建省福州市');
      await page.locator('#f-budget').fill('1200000');
      await page.locator('#f-bid_deadline').fill(deadlineInput());
      await page.locator('#f-evaluation').selectOption('comprehensive_scoring');
      await page.locator('#f-price_weight').fill('40');
      // Lot 1: a certification (pass/fail) and a scored approach.
      await page.locator('#f-lots-0-title').fill('第一包：扫描');
      await page.locator('#f-lots-0-budget').fill('700000');
      await page.locator('#f-lots-0-criteria-0-kind').selectOption('equipment_or_capacity');
      await page.locator('#f-lots-0-criteria-0-requirement').fill('具备 600 dpi 以上非接触式古籍扫描设备');
      await page.locator('#f-lots-0-criteria-1-kind').selectOption('technical_approach');
      await page.locator('#f-lots-0-criteria-1-requirement').fill('古籍保护与扫描方案');
      await page.locator('#f-lots-0-criteria-1-weight').fill('60');
      // Lot 2 asks for a track record: publication must refuse it.
      await page.locator('#f-lots-1-title').fill('第二包：著录');
      await page.locator('#f-lots-1-budget').fill('500000');
      await page.locator('#f-lots-1-criteria-0-kind').selectOption('staff_qualification');
      // In traditional characters, with an invisible character inside the word: still a track record.
      await page.locator('#f-lots-1-criteria-0-requirement').fill('近三年具有類似項目業\u200b績');
      await page.locator('#f-lots-1-criteria-1-kind').selectOption('delivery_plan');
      await page.locator('#f-lots-1-criteria-1-requirement').fill('著录质量控制计划');
      await page.locator('#f-lots-1-criteria-1-weight').fill('60');
      await page.getByRole('button', { name: '保存草稿' }).click();
      await page.waitForURL(/\/agency\/tenders\/[0-9a-f-]{36}$/);
      const editUrl = page.url();
      await page.getByTestId('publish-form').waitFor();

      // Tender documents, uploaded with a plain form post: a wrong type is refused on the field.
      const upload = page.getByTestId('tender-upload-form');
      await upload.locator('input[type="file"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('plain text') });
      await Promise.all([page.waitForURL(/__err=.*#documents$/), upload.getByRole('button', { name: '上传文件' }).click()]);
      await page.locator('#f-tender-file-error').filter({ hasText: 'PDF' }).waitFor();
      await waitForHydration(page);
      await page.waitForLoadState('networkidle');
      await upload.locator('input[type="file"]').setInputFiles({ name: '招标文件.pdf', mimeType: 'application/pdf', buffer: PDF });
      await Promise.all([page.waitForURL(/\/agency\/tenders\/[0-9a-f-]{36}#documents$/), upload.getByRole('button', { name: '上传文件' }).click()]);
      await page.getByTestId('draft-documents').filter({ hasText: '招标文件.pdf' }).waitFor();
      await waitForHydration(page);
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('#f-tender-file-error').innerText(), '');

      await page.getByTestId('publish-form').getByRole('button', { name: '发布' }).click();
      const refused = page.getByTestId('publish-problems');
      await refused.filter({ hasText: 'R-BAR-02' }).waitFor();
      assert.match(await refused.innerText(), /lots\[1\]\.criteria\[0\]\.requirement/);
      // The finding quotes the clause as written and says what to ask instead.
      assert.match(await refused.innerText(), /近三年具有類似項目業/);
      assert.match(await refused.innerText(), /技术方案/);
      await assertAccessible(page, 'publication refused');

      await page.locator('#f-lots-1-criteria-0-requirement').fill('两名具有古籍编目经验的著录人员');
      await page.getByRole('button', { name: '保存草稿' }).click();
      await page.getByTestId('draft-saved').waitFor();
      await page.getByTestId('publish-form').getByRole('button', { name: '发布' }).click();
      await page.waitForURL(/\/tenders\/[0-9a-f-]{36}$/);
      await page.locator('h1').filter({ hasText: TITLE }).waitFor();
      assert.equal(await page.getByTestId('lot').count(), 2);
      await page.getByTestId('tender-document').filter({ hasText: '招标文件.pdf' }).waitFor();
      await page.getByTestId('sme-policy').filter({ hasText: 'R-SME-01' }).waitFor();
      // The countdown ticks once the page has hydrated: 24 days and some hours are left.
      const countdown = page.getByTestId('countdown');
      await countdown.filter({ hasText: /距投标截止还有 2[45] 天/ }).waitFor();
      const before = await countdown.innerText();
      await page.waitForTimeout(1500);
      assert.notEqual(await countdown.innerText(), before, 'the countdown moves');

      // An answer to a question, published to everyone.
      await page.goto(editUrl);
      await waitForHydration(page);
      await page.locator('#f-body').fill('答疑：扫描须在馆内完成，不得带出古籍。');
      await page.getByRole('button', { name: '发布澄清' }).click();
      await page.getByTestId('clarified').waitFor();
      await assertAccessible(page, 'published tender, officer view');
      await page.goto(page.url().replace('/agency/tenders/', '/tenders/'));
      await page.getByTestId('clarifications').filter({ hasText: '不得带出古籍' }).waitFor();
      await assertAccessible(page, 'published tender');
      assert.deepEqual(expectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('a visitor finds it by a Chinese term and by filters, with and without JavaScript', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    try {
      await page.goto(server.url + '/');
      await waitForHydration(page);
      await page.locator('#s-q').fill('古籍');
      await page.getByRole('button', { name: '搜索' }).click();
      await page.waitForURL(/q=%E5%8F%A4%E7%B1%8D/);
      const results = page.getByTestId('tender-list').locator('li');
      await results.first().filter({ hasText: TITLE }).waitFor();
      assert.equal(await results.count(), 1);
      await assertAccessible(page, 'search results');

      // Filters: the right ones find it, another category does not.
      await page.goto(server.url + '/?category=services&province=350000&sme=1');
      await results.filter({ hasText: TITLE }).waitFor();
      await page.goto(server.url + '/?closes_within=30&sort=deadline');
      await results.filter({ hasText: TITLE }).waitFor();
      await page.goto(server.url + '/?q=古籍&closes_within=7');
      await page.getByTestId('tenders-empty').waitFor();
      await page.goto(server.url + '/?q=古籍&category=goods');
      await page.getByTestId('tenders-empty').filter({ hasText: '没有符合条件' }).waitFor();
      assert.deepEqual(expectedProblems(problems), []);
    } finally {
      await context.close();
    }
    const noJs = await openPage(browser, { javaScriptEnabled: false });
    try {
      await noJs.page.goto(server.url + '/');
      await noJs.page.locator('#s-q').fill('古籍数字化');
      await noJs.page.locator('#s-province').selectOption('350000');
      await Promise.all([noJs.page.waitForEvent('load'), noJs.page.getByRole('button', { name: '搜索' }).click()]);
      await noJs.page.getByTestId('tender-list').locator('li').filter({ hasText: TITLE }).waitFor();
      assert.match(noJs.page.url(), /province=350000/);
    } finally {
      await noJs.context.close();
    }
  });

  test('a supplier sees its fit, watches the tender, saves a search and hears of a clarification', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    const officer = await openPage(browser, PHONE);
    try {
      await page.goto(server.url + '/register');
      await waitForHydration(page);
      await page.locator('#f-organisation_name').fill('福州古籍数字科技有限公司');
      await page.locator('#f-credit_code').fill('91350102MA2B000083');
      await page.locator('#f-contact_name').fill('郑书');
      await page.locator('#f-email').fill('zheng@guji.example.cn');
      await page.locator('#f-password').fill('ancient books, modern scanners');
      await page.getByRole('button', { name: '注册' }).click();
      await page.waitForURL(/\/account$/);

      // A search worth keeping.
      await page.goto(server.url + '/?q=古籍');
      await waitForHydration(page);
      await page.getByText('保存此搜索').click();
      await page.locator('#f-name').fill('古籍项目');
      await page.getByRole('button', { name: '保存搜索' }).click();
      await page.getByTestId('search-saved').waitFor();
      // The result says how the firm's (empty) profile fits: no lot yet.
      await page.getByTestId('list-fit').filter({ hasText: '满足 2 个包中 0 个包' }).waitFor();
      await assertAccessible(page, 'search with the save form');

      // The tender page tells the firm what its profile lacks, lot by lot.
      await page.getByTestId('tender-list').getByRole('link', { name: TITLE }).click();
      await page.waitForURL(/\/tenders\/[0-9a-f-]{36}$/);
      const fit = page.getByTestId('fit');
      const first = fit.getByTestId('lot-fit').first();
      await first.filter({ hasText: '您满足 1 项资格要求中的 0 项' }).waitFor();
      await first.getByTestId('fit-missing').filter({ hasText: '600 dpi' }).waitFor();
      await fit.getByRole('button', { name: '关注此项目' }).click();
      await fit.getByTestId('watching').waitFor();
      await assertAccessible(page, 'tender page with the fit');
      await assertNoHorizontalScroll(page, 360);
      const tenderUrl = page.url();

      // The officer publishes an answer; the watching firm is told.
      await signIn(officer.page, server.url, 'buyer@demo.fairtender.cn', DEMO_PASSWORD);
      await officer.page.goto(tenderUrl.replace('/tenders/', '/agency/tenders/'));
      await waitForHydration(officer.page);
      await officer.page.locator('#f-body').fill('答疑：扫描设备可由供应商自带进馆。');
      await officer.page.getByRole('button', { name: '发布澄清' }).click();
      await officer.page.getByTestId('clarified').waitFor();

      await page.goto(server.url + '/watchlist');
      await waitForHydration(page);
      await page.getByTestId('notifications').filter({ hasText: '澄清' }).waitFor();
      await page.getByTestId('watched').filter({ hasText: TITLE }).waitFor();
      await page.getByTestId('saved-searches').filter({ hasText: '古籍项目' }).waitFor();
      await assertAccessible(page, 'watch list');
      await assertNoHorizontalScroll(page, 360);
      await page.getByRole('button', { name: '全部标为已读' }).click();
      await page.getByRole('button', { name: '全部标为已读' }).waitFor({ state: 'detached' });
      assert.deepEqual(expectedProblems(problems), []);
      assert.deepEqual(expectedProblems(officer.problems), []);
    } finally {
      await officer.context.close();
      await context.close();
    }
  });
});
