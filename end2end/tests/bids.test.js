// Issue #5 in the browser: three suppliers bid from their phones (one saves a draft first and
// finds it again), the clock passes the deadline, the officer opens, evaluates and awards, and
// a small firm wins on price after the SME deduction (R-SME-03) where it would have lost
// without it. Setting up the tender and the firms goes through the same server functions the
// forms post to (the officer's drafting is covered by tenders.test.js).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, assertNoHorizontalScroll, keptOnPost, launchBrowser, openPage, waitForHydration } from './browser.js';
import { startServer } from './server.js';
import { call, creditCode, DAY, deadlineInput, DEMO_PASSWORD, moveClock, PASSWORD, PHONE, signIn, TIMEOUT } from './flows.js';

describe('bids', () => {
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

  test('three firms bid, the officer opens, evaluates and awards; a small firm wins after the deduction', TIMEOUT, async () => {
    const url = server.url;
    const officer = await openPage(browser, PHONE);
    const firms = [];
    try {
      // The agency publishes a 3,000,000 services tender: not reserved, 10% deduction for
      // small and micro firms, comprehensive scoring with price weight 40.
      await signIn(officer.page, url, 'buyer@demo.fairtender.cn', DEMO_PASSWORD);
      const tender = await call(officer.context, url, 'agency/tenders/save', {
        id: '',
        'form[title]': '政务云平台运维服务',
        'form[description]': '三年政务云平台运维。',
        'form[category]': 'services',
        'form[method]': 'open_tender',
        'form[region]': '浙江省杭州市',
        'form[budget]': '3000000',
        'form[bid_deadline]': deadlineInput(),
        'form[evaluation]': 'comprehensive_scoring',
        'form[price_weight]': '40',
        'form[sme_required_share]': '30',
        'form[sme_small_micro_share]': '60',
        'form[sme_price_deduction]': '10',
        'form[lots][0][title]': '运维服务',
        'form[lots][0][budget]': '3000000',
        'form[lots][0][criteria][0][kind]': 'certification',
        'form[lots][0][criteria][0][requirement]': '具备 ISO 9001 质量管理体系认证',
        'form[lots][0][criteria][1][kind]': 'technical_approach',
        'form[lots][0][criteria][1][requirement]': '运维方案',
        'form[lots][0][criteria][1][weight]': '60',
      });
      await call(officer.context, url, 'agency/tenders/publish', { id: tender });

      // Three firms: two small (declared), one large (no declaration), each with ISO 9001.
      for (const [name, code, small, price] of [
        ['小微甲科技有限公司', '91330106MA2B00081', true, '2850000'],
        ['大型乙集团有限公司', '91330106MA2B00082', false, '2700000'],
        ['小微丙信息有限公司', '91330106MA2B00083', true, '2990000'],
      ]) {
        const firm = await openPage(browser, PHONE);
        firms.push({ ...firm, name, price, small });
        const email = `owner@${code.toLowerCase()}.example.cn`;
        await call(firm.context, url, 'register', {
          'form[organisation_name]': name,
          'form[credit_code]': creditCode(code),
          'form[contact_name]': '联系人',
          'form[email]': email,
          'form[password]': PASSWORD,
        });
        if (small) {
          await call(firm.context, url, 'profile/sme', {
            'form[industry]': 'software_and_it',
            'form[headcount]': '12',
            'form[annual_revenue]': '800000',
            'form[total_assets]': '2000000',
          });
        }
        await call(firm.context, url, 'profile/capabilities/add', {
          'form[kind]': 'certification',
          'form[title]': '质量管理体系认证',
          'form[number]': 'ISO 9001:2015',
        });
      }

      // Each firm bids from its phone: from the tender page to its bid page.
      for (const [i, firm] of firms.entries()) {
        const { page } = firm;
        await page.goto(`${url}/tenders/${tender}`);
        await waitForHydration(page);
        await page.getByTestId('bid-link').click();
        await page.waitForURL(/\/bid$/);
        await page.getByTestId('bid-form').waitFor();
        await waitForHydration(page);
        if (i === 0) {
          // The draft is saved as it is typed, and is there after a reload.
          await page.locator('#f-lots-0-price').fill('2999999');
          await page.locator('#f-proposal').click();
          await page.getByText('草稿已保存。').waitFor();
          await page.reload();
          await waitForHydration(page);
          assert.equal(await page.locator('#f-lots-0-price').inputValue(), '2999999');
          // A document is attached through the plain upload form and listed with the bid.
          await page.locator('#f-bid-file').setInputFiles({
            name: '技术方案.pdf',
            mimeType: 'application/pdf',
            buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
          });
          await page.getByTestId('bid-upload-form').getByRole('button', { name: '上传' }).click();
          await page.waitForURL(/\/bid#documents$/);
          await page.getByTestId('bid-documents').getByText('技术方案.pdf').waitFor();
          await waitForHydration(page);
          assert.equal(await page.locator('#f-lots-0-price').inputValue(), '2999999');
          await assertAccessible(page, 'bid form');
          await assertNoHorizontalScroll(page, 360);
        }
        await page.locator('#f-lots-0-include').check();
        await page.locator('#f-lots-0-price').fill(firm.price);
        await page.locator('#f-lots-0-answers-0').selectOption({ label: '质量管理体系认证 (ISO 9001:2015)' });
        await page.locator('#f-proposal').fill('7×24 小时运维，双人值守。');
        if (!firm.small) {
          // R-SME-02: the tender asks 30% for SMEs, 18% for small and micro firms; the large
          // firm names a small subcontractor with its declaration and share.
          await page.locator('#f-partners-0-role').selectOption('subcontractor');
          await page.locator('#f-partners-0-name').fill('小微分包科技有限公司');
          await page.locator('#f-partners-0-credit_code').fill(creditCode('91330106MA2B00089'));
          await page.locator('#f-partners-0-share').fill('30');
          await page.locator('#f-partners-0-industry').selectOption('software_and_it');
          await page.locator('#f-partners-0-headcount').fill('20');
          await page.locator('#f-partners-0-annual_revenue').fill('3000000');
          await page.locator('#f-partners-0-total_assets').fill('1000000');
        }
        if (i === 0) {
          // A sealed bid is never kept in the browser's storage as it posts (R-BID-01); its
          // draft is kept by the server.
          assert.equal(await keptOnPost(page, 'bids/submit', () => page.getByTestId('submit-bid').click()), null);
        }
        await page.getByTestId('submit-bid').click();
        await page.getByTestId('receipt').waitFor();
        await page.getByTestId('bid-status').getByText('已提交第 1 版').waitFor();
        assert.deepEqual(firm.problems, []);
        if (i === 0) {
          // The receipt checks out on the public verification page.
          const receipt = await page.locator('[data-testid="receipt"] textarea').inputValue();
          await page.goto(`${url}/receipts/verify`);
          await waitForHydration(page);
          await page.locator('#f-receipt').fill(receipt);
          await page.getByRole('button', { name: '核验' }).click();
          await page.locator('[data-testid="receipt-check"][data-valid="true"]').waitFor();
          await assertAccessible(page, 'receipt check');
        }
      }

      // Before the deadline the officer sees only that bids are sealed (R-BID-01).
      await officer.page.goto(`${url}/agency/tenders/${tender}/evaluation`);
      await waitForHydration(officer.page);
      await officer.page.getByTestId('sealed').waitFor();
      const sealedText = await officer.page.locator('main').innerText();
      for (const firm of firms) {
        assert.ok(!sealedText.includes(firm.name), `sealed page names ${firm.name}`);
      }

      // The clock passes the deadline (26 days).
      await moveClock(url, 26 * DAY);

      // Sessions last less than 26 days: the officer signs in again, opens and evaluates.
      await signIn(officer.page, url, 'buyer@demo.fairtender.cn', DEMO_PASSWORD);
      await officer.page.goto(`${url}/agency/tenders/${tender}/evaluation`);
      await waitForHydration(officer.page);
      await officer.page.getByTestId('open-form').getByRole('button').click();
      await officer.page.getByTestId('opened').waitFor();
      // The evaluators read the documents that went with the counted bid.
      await officer.page.getByTestId('eval-documents').getByText('技术方案.pdf').waitFor();
      await assertAccessible(officer.page, 'evaluation page');
      await assertNoHorizontalScroll(officer.page, 360);
      for (let i = 0; i < 3; i++) {
        const form = officer.page.getByTestId('marks-form').nth(i);
        await form.locator('select').first().selectOption('pass');
        await form.locator('input[name$="[score]"]').fill('50');
        const reasons = form.locator('input[name$="[reason]"]');
        await reasons.nth(0).fill('证书有效');
        await reasons.nth(1).fill('方案完整');
        // Saved marks come back as the page, loaded afresh with the scores.
        await Promise.all([officer.page.waitForEvent('load'), form.getByRole('button').click()]);
      }
      await officer.page.getByTestId('award-form').getByRole('button').click();
      await officer.page.getByTestId('awards').waitFor();
      const awarded = await officer.page.getByTestId('awards').innerText();
      assert.match(awarded, /小微甲科技有限公司/);
      assert.match(awarded, /¥2,850,000\.00/);
      assert.deepEqual(officer.problems, []);

      // The public tender page publishes the award with the winner's SME declaration.
      const visitor = await openPage(browser, PHONE);
      try {
        await visitor.page.goto(`${url}/tenders/${tender}`);
        await waitForHydration(visitor.page);
        const notice = await visitor.page.getByTestId('awards').innerText();
        assert.match(notice, /小微甲科技有限公司/);
        assert.match(notice, /微型|小型/);
        await assertAccessible(visitor.page, 'tender page with award');
      } finally {
        await visitor.context.close();
      }

      // The large firm, lowest by bid price, ranks third after the deduction and sees why.
      const large = firms[1];
      await signIn(large.page, url, 'owner@91330106ma2b00082.example.cn', PASSWORD);
      await large.page.goto(`${url}/tenders/${tender}/bid`);
      await waitForHydration(large.page);
      await large.page.getByTestId('own-results').waitFor();
      assert.equal((await large.page.getByTestId('rank').innerText()).trim(), '3');
      const record = await large.page.getByTestId('opening-record').innerText();
      for (const firm of firms) assert.ok(record.includes(firm.name), `opening record lists ${firm.name}`);
      await assertAccessible(large.page, 'bid page after award');
    } finally {
      await officer.context.close();
      for (const firm of firms) await firm.context.close();
    }
  });
});
