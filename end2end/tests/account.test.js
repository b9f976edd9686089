// Issue #3 in the browser: a supplier registers, declares its size (R-SME-04), signs out and
// back in. Every page passes axe-core; refused input keeps what was typed.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, launchBrowser, openPage, waitForHydration } from './browser.js';
import { startServer } from './server.js';

const TIMEOUT = { timeout: 120_000 };
const PHONE = { viewport: { width: 360, height: 740 }, bypassCSP: true };
// A real, valid unified social credit code (check character included).
const CREDIT_CODE = '91350100M000100Y43';
const PASSWORD = 'green procurement for small firms';

describe('supplier account', () => {
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
      assert.equal(await page.locator('#f-annual_revenue').inputValue(), '800000');
      await page.locator('#f-headcount').fill('12');
      await page.getByRole('button', { name: '提交声明' }).click();
      await page.getByTestId('size-class').filter({ hasText: '小型企业' }).waitFor();
      await assertAccessible(page, 'account page');

      await page.getByTestId('sign-out').click();
      await page.getByRole('link', { name: '登录' }).first().waitFor();
      await page.goto(server.url + '/login');
      await waitForHydration(page);
      await assertAccessible(page, 'sign-in page');
      await page.locator('#f-email').fill('lin@xiaowei.example.cn');
      await page.locator('#f-password').fill(PASSWORD);
      await page.getByRole('button', { name: '登录' }).last().click();
      await page.waitForURL(/\/account$/);
      await page.getByTestId('size-class').filter({ hasText: '小型企业' }).waitFor();
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
});
