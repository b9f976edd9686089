// Steps the bid and contract tests share: making firms, calling server functions as a form
// would, signing in, and moving the server's test clock.

import assert from 'node:assert/strict';
import { waitForHydration } from './browser.js';

export const DAY = 86_400;
// The shared settings of the long flows: a phone-sized page, the demo and firms' passwords.
export const TIMEOUT = { timeout: 240_000 };
export const PHONE = { viewport: { width: 360, height: 740 }, bypassCSP: true };
export const DEMO_PASSWORD = 'fairtender-demo-2026';
export const PASSWORD = 'green procurement for small firms';

/** `YYYY-MM-DDTHH:MM`, `days` from now, 17:00 Beijing time (a deadline field's value). */
export function deadlineInput(days = 25) {
  const beijing = new Date(Date.now() + days * DAY * 1000 + 8 * 3_600_000);
  return `${beijing.toISOString().slice(0, 10)}T17:00`;
}

/** The 18th character of a unified social credit code (GB 32100-2015). */
export function creditCode(first17) {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + chars.indexOf(c) * weights[i], 0);
  return first17 + chars[(31 - (sum % 31)) % 31];
}

/** Calls a server function with the context's cookies, as a same-origin form post. */
export async function call(context, url, endpoint, form) {
  const response = await context.request.post(`${url}/api/${endpoint}`, {
    form,
    headers: { origin: url },
  });
  const body = await response.text();
  assert.equal(response.status(), 200, `${endpoint}: ${body}`);
  return JSON.parse(body);
}

export async function signIn(page, url, email, password) {
  await page.goto(url + '/login');
  await waitForHydration(page);
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(password);
  await page.getByRole('button', { name: '登录' }).last().click();
  await page.waitForURL(/\/account$/);
}

/** Moves the server's clock forward (FAIRTENDER_TEST_CLOCK). */
export async function moveClock(url, seconds) {
  const moved = await fetch(`${url}/__test/clock`, { method: 'POST', body: String(seconds) });
  assert.equal(moved.status, 200);
}
