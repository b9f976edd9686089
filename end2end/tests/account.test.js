// Issue #3 in the browser: a supplier registers, declares its size (R-SME-04), signs out and
// back in. Every page passes axe-core; refused input keeps what was typed.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, keptOnPost, launchBrowser, openPage, waitForHydration } from './browser.js';
import { startServer } from './server.js';

const TIMEOUT = { timeout: 120_000 };
const PHONE = { viewport: { width: 360, height: 740 }, bypassCSP: true };
// A real, valid unified social credit code (check character included).
const CREDIT_CODE = '91350100M000100Y43';
const PASSWORD = 'green procurement for small firms';
// The demo administrator (server seed-demo) and a valid agency credit code.
const ADMIN_EMAIL = 'admin@demo.fairtender.cn';
const DEMO_PASSWORD = 'fairtender-demo-2026';
const AGENCY_CODE = '11350100MB00000012';

describe('supplier account', () => {
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

  test('a supplier registers, declares its size, signs out and signs in again', TIMEOUT, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    try {
      await page.goto(server.url + '/register');
      await waitForHydration(page);
      await assertAccessible(page, 'register page');

      // A weak password is refused on its field; everything typed stays.
      await page.locator('#f-organisation_name').fill('福州小微科技有限公司');
      await page.locator('#f-credit_code').fill(CREDIT_CODE);
      await page.locator('#f-contact_name').fill('林小微');
      await page.locator('#f-email').fill('lin@xiaowei.example.cn');
      await page.locator('#f-password').fill('short');
      await page.getByRole('button', { name: '注册' }).click();
      await page.locator('#f-password-error').filter({ hasText: '10' }).waitFor();
      // The refused post came back as a new page: once it has hydrated, what was typed is back.
      await waitForHydration(page);
      assert.equal(await page.locator('#f-organisation_name').inputValue(), '福州小微科技有限公司');
      await assertAccessible(page, 'register page with an error');

      await page.locator('#f-password').fill(PASSWORD);
      await page.getByRole('button', { name: '注册' }).click();
      await page.waitForURL(/\/account$/);
      await page.getByTestId('signed-in').filter({ hasText: '林小微' }).waitFor();

      // R-SME-04: four facts in, the size class computed by the platform.
      await page.locator('#f-industry').selectOption('software_and_it');
      await page.locator('#f-headcount').fill('-3');
      await page.locator('#f-annual_revenue').fill('800000');
      await page.locator('#f-total_assets').fill('2000000');
      await page.getByRole('button', { name: '提交声明' }).click();
      await page.locator('#f-headcount-error').filter({ hasText: '负' }).waitFor();
      // The refused post came back as a new page: once it has hydrated, what was typed is back.
      await waitForHydration(page);
      assert.equal(await page.locator('#f-annual_revenue').inputValue(), '800000');
      await page.locator('#f-headcount').fill('12');
      await page.getByRole('button', { name: '提交声明' }).click();
      await page.getByTestId('size-class').filter({ hasText: '小型企业' }).waitFor();

      // Capability records: entered once for every bid. A certificate needs its number.
      await page.locator('#f-kind').selectOption('quality_system');
      await page.locator('#f-title').fill('ISO 9001 质量管理体系认证');
      await page.locator('#f-valid_until').fill('2029-06-30');
      await page.getByRole('button', { name: '添加记录' }).click();
      await page.locator('#f-number-error').filter({ hasText: '编号' }).waitFor();
      // The refused post came back as a new page: once it has hydrated, what was typed is back.
      await waitForHydration(page);
      assert.equal(await page.locator('#f-title').inputValue(), 'ISO 9001 质量管理体系认证');
      await page.locator('#f-number').fill('00124Q31234R0S');
      await page.getByRole('button', { name: '添加记录' }).click();
      const record = page.getByTestId('capability').filter({ hasText: 'ISO 9001' });
      await record.getByTestId('validity').filter({ hasText: '有效' }).waitFor();
      await assertAccessible(page, 'account page');

      // Its certificate, uploaded with a plain form post (the same with or without JavaScript).
      await record.locator('input[type="file"]').setInputFiles({
        name: 'ISO9001证书.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
      });
      await Promise.all([page.waitForURL(/\/account#cap-/), record.getByRole('button', { name: '上传文件' }).click()]);
      await waitForHydration(page);
      await record.getByTestId('document-link').filter({ hasText: 'ISO9001证书.pdf' }).waitFor();
      const href = await record.getByTestId('document-link').getAttribute('href');
      const download = await page.request.get(server.url + href);
      assert.equal(download.status(), 200);
      assert.equal(download.headers()['content-type'], 'application/pdf');

      // The page was loaded afresh by the upload: let its hydration settle before clicking.
      await page.waitForLoadState('networkidle');
      await page.getByTestId('sign-out').click();
      await page.getByRole('link', { name: '登录' }).first().waitFor().catch(async (e) => {
        await page.screenshot({ path: '/tmp/signout.png', fullPage: true });
        throw new Error(`${e.message}\nproblems: ${JSON.stringify(problems)}\nbody: ${(await page.locator('main').innerText()).slice(0, 500)}`);
      });
      await page.goto(server.url + '/login');
      await waitForHydration(page);
      await assertAccessible(page, 'sign-in page');
      await page.locator('#f-email').fill('lin@xiaowei.example.cn');
      await page.locator('#f-password').fill(PASSWORD);
      // As a form posts, what was typed is kept for the page that may come back refused: the
      // e-mail, never the password.
      const kept = await keptOnPost(page, 'login', () => page.getByRole('button', { name: '登录' }).last().click());
      assert.deepEqual(kept, [['__action', '/api/login'], ['email', 'lin@xiaowei.example.cn']]);
      await page.getByRole('button', { name: '登录' }).last().click();
      await page.waitForURL(/\/account$/);
      await page.getByTestId('size-class').filter({ hasText: '小型企业' }).waitFor();
      await page.getByTestId('capability').filter({ hasText: 'ISO9001证书.pdf' }).waitFor();
      // The refused submissions above answered 422, which the browser logs; nothing else may.
      assert.deepEqual(problems.filter((p) => !/(status of |HTTP )422\b/.test(p)), []);
    } finally {
      await context.close();
    }
  });

  test('sign-in works without JavaScript and a wrong password says so', TIMEOUT, async () => {
    const { context, page } = await openPage(browser, { javaScriptEnabled: false });
    try {
      await page.goto(server.url + '/login');
      await page.locator('#f-email').fill('lin@xiaowei.example.cn');
      await page.locator('#f-password').fill('not the right password');
      await Promise.all([page.waitForEvent('load'), page.locator('[data-testid="login-form"] button').click()]);
      await page.getByTestId('form-error').filter({ hasText: '邮箱或密码不正确' }).waitFor();

      await page.locator('#f-email').fill('lin@xiaowei.example.cn');
      await page.locator('#f-password').fill(PASSWORD);
      await Promise.all([page.waitForEvent('load'), page.locator('[data-testid="login-form"] button').click()]);
      await page.getByTestId('signed-in').waitFor();
      await page.goto(server.url + '/account');
      await page.getByTestId('signed-in').filter({ hasText: '林小微' }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('an administrator creates an agency and invites an officer, who signs in', TIMEOUT, async () => {
    const admin = await openPage(browser, PHONE);
    const officer = await openPage(browser, PHONE);
    try {
      const { page } = admin;
      await page.goto(server.url + '/login');
      await waitForHydration(page);
      await page.locator('#f-email').fill(ADMIN_EMAIL);
      await page.locator('#f-password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录' }).last().click();
      await page.waitForURL(/\/account$/);
      await page.getByRole('link', { name: '平台管理' }).click();
      await page.waitForURL(/\/admin$/);

      // A malformed credit code is refused on its field, and what was typed stays.
      await page.locator('#f-name').fill('福州市示范区教育局');
      await page.locator('#f-credit_code').fill('11350100MB00000019');
      await page.getByRole('button', { name: '创建采购人' }).click();
      await page.locator('#f-credit_code-error').filter({ hasText: /\S/ }).waitFor();
      // The refused post came back as a new page: once it has hydrated, what was typed is back.
      await waitForHydration(page);
      assert.equal(await page.locator('#f-name').inputValue(), '福州市示范区教育局');
      await page.locator('#f-credit_code').fill(AGENCY_CODE);
      await page.getByRole('button', { name: '创建采购人' }).click();
      await page.getByTestId('agencies').filter({ hasText: '福州市示范区教育局' }).waitFor();
      await assertAccessible(page, 'admin page');

      await page.locator('#f-agency').selectOption({ label: '福州市示范区教育局' });
      await page.locator('#f-email').fill('zhou@jyj.example.cn');
      await page.locator('#f-role').selectOption('agency_procurement');
      await page.getByRole('button', { name: '生成邀请链接' }).click();
      const link = await page.getByTestId('invitation-link').locator('a').getAttribute('href');
      assert.match(link, /^\/invite\/[0-9a-f]{64}$/);
      assert.deepEqual(admin.problems.filter((p) => !/(status of |HTTP )422\b/.test(p)), []);

      // The officer opens the link on their own phone.
      const o = officer.page;
      await o.goto(server.url + link);
      await waitForHydration(o);
      await assertAccessible(o, 'invitation page');
      await o.locator('#f-display_name').fill('周采购');
      await o.locator('#f-password').fill(PASSWORD);
      await o.getByRole('button', { name: '接受邀请并登录' }).click();
      await o.waitForURL(/\/account$/);
      await o.getByTestId('signed-in').filter({ hasText: '周采购' }).waitFor();
      await o.getByTestId('signed-in').filter({ hasText: '采购经办人' }).waitFor();
      // The link works once.
      await o.goto(server.url + link);
      await waitForHydration(o);
      await o.locator('#f-display_name').fill('又一个');
      await o.locator('#f-password').fill(PASSWORD);
      await o.getByRole('button', { name: '接受邀请并登录' }).click();
      await o.getByTestId('form-error').filter({ hasText: '邀请链接无效' }).waitFor();
      assert.deepEqual(officer.problems.filter((p) => !/(status of |HTTP )422\b/.test(p)), []);
    } finally {
      await admin.context.close();
      await officer.context.close();
    }
  });
});
