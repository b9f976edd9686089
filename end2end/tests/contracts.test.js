// Issue #6 in the browser: an award becomes a contract on the officer's page, the supplier
// marks the milestone delivered from its phone, the finance officer accepts it in part with a
// reason and the disputed part is settled by re-delivery (R-PAY-10, issue #33), the clock passes
// the due date, late interest appears on the supplier's receivables (R-PAY-05), and the finance
// officer pays it and then the interest as a payable of its own, and the public payment page
// counts one late payment (R-PAY-07), read without signing in. The award itself is set up through the server functions the bid and evaluation
// forms post to (bids.test.js covers those pages).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, assertNoHorizontalScroll, launchBrowser, openPage, waitForHydration } from './browser.js';
import { startServer } from './server.js';
import { call, creditCode, DAY, deadlineInput, DEMO_PASSWORD, moveClock, PASSWORD, PHONE, signIn, TIMEOUT } from './flows.js';

describe('contracts', () => {
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

  test('award to contract, delivery, acceptance, late interest and payment', TIMEOUT, async () => {
    const url = server.url;
    const officer = await openPage(browser, PHONE);
    const supplier = await openPage(browser, PHONE);
    const finance = await openPage(browser, PHONE);
    const others = [];
    try {
      // The award: three firms bid 2,850,000 / 2,900,000 / 2,950,000 on a lowest-price tender.
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
        'form[evaluation]': 'lowest_evaluated_price',
        'form[sme_required_share]': '30',
        'form[sme_small_micro_share]': '60',
        'form[sme_price_deduction]': '10',
        'form[lots][0][title]': '运维服务',
        'form[lots][0][budget]': '3000000',
      });
      await call(officer.context, url, 'agency/tenders/publish', { id: tender });
      const firms = [
        [supplier, '小微甲科技有限公司', '91330106MA2B00091', '2850000'],
        [await openPage(browser, PHONE), '乙信息有限公司', '91330106MA2B00092', '2900000'],
        [await openPage(browser, PHONE), '丙服务有限公司', '91330106MA2B00093', '2950000'],
      ];
      others.push(firms[1][0], firms[2][0]);
      for (const [firm, name, code, price] of firms) {
        await call(firm.context, url, 'register', {
          'form[organisation_name]': name,
          'form[credit_code]': creditCode(code),
          'form[contact_name]': '联系人',
          'form[email]': `owner@${code.toLowerCase()}.example.cn`,
          'form[password]': PASSWORD,
        });
        await call(firm.context, url, 'bids/submit', {
          tender,
          intent: 'submit',
          seen_versions: '0',
          'form[lots][0][include]': 'on',
          'form[lots][0][price]': price,
          'form[proposal]': '按要求运维。',
          // R-SME-02: the tender asks 30% for SMEs, 18% for small and micro firms; these
          // firms declared no size, so a small subcontractor performs 30%.
          'form[partners][0][role]': 'subcontractor',
          'form[partners][0][name]': '小微分包科技有限公司',
          'form[partners][0][credit_code]': creditCode('91330106MA2B00099'),
          'form[partners][0][share]': '30',
          'form[partners][0][industry]': 'software_and_it',
          'form[partners][0][headcount]': '20',
          'form[partners][0][annual_revenue]': '3000000',
          'form[partners][0][total_assets]': '1000000',
        });
      }
      await moveClock(url, 26 * DAY);
      await signIn(officer.page, url, 'buyer@demo.fairtender.cn', DEMO_PASSWORD);
      await call(officer.context, url, 'agency/open', { tender });
      const evaluation = await call(officer.context, url, 'agency/evaluation', { tender });
      const lot = evaluation.stage.Opened.lots[0];
      await call(officer.context, url, 'agency/award', { tender, lot: lot.lot_id });

      // The officer signs the contract on its page: 30-day term, one milestone for the price.
      await officer.page.goto(`${url}/agency/contracts`);
      await waitForHydration(officer.page);
      const form = officer.page.getByTestId('contract-form');
      await form.getByLabel('付款期限', { exact: false }).fill('30');
      await form.getByLabel('验收期', { exact: false }).fill('5');
      await form.locator('input[name="form[milestones][0][deliverable]"]').fill('运维服务第一年');
      await form.locator('input[name="form[milestones][0][amount]"]').fill('2850000');
      await form.locator('input[name="form[milestones][0][planned_date]"]').fill('2027-12-31');
      await assertAccessible(officer.page, 'contract form');
      await assertNoHorizontalScroll(officer.page, 360);
      await form.getByRole('button', { name: '签订合同' }).click();
      await officer.page.getByRole('link', { name: '查看合同' }).waitFor();
      await officer.page.getByRole('link', { name: '查看合同' }).click();
      await officer.page.waitForURL(/\/contracts\//);
      const contractUrl = officer.page.url();
      await waitForHydration(officer.page);

      // The officer publishes it (R-AWARD-01) and amends the planned date with a reason: the
      // contract becomes version 2 and lists the change.
      assert.match(await officer.page.getByTestId('publication').innerText(), /尚未公开/);
      await officer.page.getByTestId('publish-form').getByRole('button').click();
      await officer.page.getByTestId('publish-form').waitFor({ state: 'detached' });
      assert.doesNotMatch(await officer.page.getByTestId('publication').innerText(), /尚未公开/);
      await officer.page.getByText('修改合同（生成新版本）').click();
      const amend = officer.page.getByTestId('amend-form');
      await amend.locator('input[type="date"]').first().fill('2028-01-31');
      await amend.getByLabel('修改原因（必填）').fill('机房搬迁，顺延一个月。');
      await assertAccessible(officer.page, 'contract page (officer, amending)');
      await assertNoHorizontalScroll(officer.page, 360);
      await amend.getByRole('button', { name: '保存修改' }).click();
      await officer.page.getByTestId('amendments').waitFor();
      assert.match(await officer.page.getByTestId('amendments').innerText(), /2027-12-31 → 2028-01-31/);

      // The supplier marks it delivered from its phone.
      await signIn(supplier.page, url, 'owner@91330106ma2b00091.example.cn', PASSWORD);
      await supplier.page.goto(contractUrl);
      await waitForHydration(supplier.page);
      await supplier.page.getByTestId('deliver-form').locator('textarea').fill('第一年服务报告已提交。');
      await supplier.page.getByTestId('deliver-form').getByRole('button').click();
      await supplier.page.getByText('已交付，待验收').waitFor();
      await assertAccessible(supplier.page, 'contract page (supplier)');

      // The finance officer accepts 50,000 less: a partial rejection, refused until it has an
      // allowed reason and an explanation (R-PAY-10, R-PAY-03).
      await signIn(finance.page, url, 'finance@demo.fairtender.cn', DEMO_PASSWORD);
      await finance.page.goto(contractUrl);
      await waitForHydration(finance.page);
      await assertAccessible(finance.page, 'contract page (finance, delivered)');
      const accept = finance.page.getByTestId('accept-form');
      await accept.getByLabel('验收金额', { exact: false }).fill('2800000');
      await accept.getByRole('button').click();
      await finance.page.getByTestId('field-errors').waitFor();
      assert.match(await finance.page.getByTestId('field-errors').innerText(), /R-PAY-10/);
      await accept.getByLabel('部分拒收理由', { exact: false }).selectOption('incomplete_delivery');
      await accept.getByLabel('书面说明').fill('缺少第四季度巡检报告。');
      await accept.getByRole('button').click();
      await finance.page.getByTestId('dispute').waitFor();
      assert.match(await finance.page.getByTestId('dispute').innerText(), /¥50,000\.00/);
      assert.match(await finance.page.getByTestId('dispute-state').innerText(), /争议未结束/);
      await assertAccessible(finance.page, 'contract page (finance, accepted in part)');
      await assertNoHorizontalScroll(finance.page, 360);

      // The supplier delivers the disputed part again; the finance officer accepts it the same
      // day, so the 50,000 falls due with the rest.
      await signIn(supplier.page, url, 'owner@91330106ma2b00091.example.cn', PASSWORD);
      await supplier.page.goto(contractUrl);
      await waitForHydration(supplier.page);
      const redeliver = supplier.page.getByTestId('redeliver-disputed-form');
      await redeliver.locator('textarea').fill('已补交第四季度巡检报告。');
      await assertAccessible(supplier.page, 'contract page (supplier, in dispute)');
      await redeliver.getByRole('button').click();
      await supplier.page.getByTestId('dispute-state').filter({ hasText: '已重新交付' }).waitFor();
      await signIn(finance.page, url, 'finance@demo.fairtender.cn', DEMO_PASSWORD);
      await finance.page.goto(contractUrl);
      await waitForHydration(finance.page);
      await assertAccessible(finance.page, 'contract page (finance, delivered again)');
      await finance.page.getByTestId('accept-redelivery-form').getByRole('button').click();
      await finance.page.getByTestId('dispute-state').filter({ hasText: '争议已于' }).waitFor();
      assert.match(await finance.page.getByTestId('dispute-state').innerText(), /应付 ¥50,000\.00/);
      await finance.page.getByTestId('pay-form').waitFor();

      // 31 days later both parts are a day overdue: (2,800,000 + 50,000) x 0.05% = 1,425.00.
      await moveClock(url, 31 * DAY);
      await signIn(supplier.page, url, 'owner@91330106ma2b00091.example.cn', PASSWORD);
      await supplier.page.goto(`${url}/receivables`);
      await waitForHydration(supplier.page);
      const receivables = await supplier.page.getByTestId('receivables').innerText();
      assert.match(receivables, /已逾期 1 天/);
      assert.match(receivables, /¥1,425\.00/);
      // The reminder written when the due date passed, with no job running.
      assert.match(await supplier.page.getByTestId('payment-notices').innerText(), /现已逾期/);
      await assertAccessible(supplier.page, 'receivables');
      await assertNoHorizontalScroll(supplier.page, 360);

      // The finance officer sees it overdue on the dashboard and pays it.
      await signIn(finance.page, url, 'finance@demo.fairtender.cn', DEMO_PASSWORD);
      await finance.page.goto(`${url}/agency/contracts`);
      await waitForHydration(finance.page);
      assert.match(await finance.page.getByTestId('due-list').innerText(), /已逾期 1 天/);
      await assertAccessible(finance.page, 'finance dashboard');
      await finance.page.goto(contractUrl);
      await waitForHydration(finance.page);
      const pay = finance.page.getByTestId('pay-form');
      await pay.getByLabel('银行流水号').fill('ICBC-2027-0001');
      await pay.getByRole('button').click();
      // Both parts were paid a day late: the milestone's status, and the disputed part's own.
      await finance.page.getByTestId('payable-status').filter({ hasText: '已支付（逾期 1 天）' }).waitFor();
      assert.match(await finance.page.getByTestId('dispute-payable-status').innerText(), /已支付（逾期 1 天）/);
      assert.match(await finance.page.getByTestId('interest').innerText(), /¥1,425\.00/);

      // The interest is a payable of its own: the finance officer pays it too.
      const interest = finance.page.getByTestId('pay-interest-form');
      assert.equal(await interest.locator('input[name="amount"]').inputValue(), '1425');
      await interest.getByLabel('利息银行流水号').fill('ICBC-2027-0002');
      await assertAccessible(finance.page, 'contract page (finance, interest owed)');
      await interest.getByRole('button').click();
      await finance.page.getByTestId('pay-interest-form').waitFor({ state: 'detached' });
      assert.match(await finance.page.getByTestId('interest-outstanding').innerText(), /¥0\.00/);
      assert.match(await finance.page.getByTestId('payments').innerText(), /逾期利息/);

      // Anyone can see that the agency paid late once, without signing in.
      const visitor = await openPage(browser, PHONE);
      others.push(visitor);
      await visitor.page.goto(`${url}/payments`);
      await waitForHydration(visitor.page);
      const overall = visitor.page.getByTestId('overall');
      assert.equal(await overall.getByTestId('paid-late').innerText(), '1');
      assert.match(await overall.getByTestId('on-time-rate').innerText(), /^0%/);
      assert.match(await overall.getByTestId('overdue').innerText(), /^0 笔/);
      await visitor.page.getByTestId('rate-chart').waitFor();
      await assertAccessible(visitor.page, 'public payment timeliness');
      await assertNoHorizontalScroll(visitor.page, 360);
      const csv = await visitor.context.request.get(`${url}/payments.csv`);
      assert.equal(csv.status(), 200);
      assert.match(await csv.text(), /"全部 \/ All",[-0-9]+,,1,1,0,1,0,/);

      // The open-data page, from the footer, lists what machines can read; the award is there.
      await visitor.page.locator('footer').getByRole('link', { name: '开放数据与接口' }).click();
      await visitor.page.waitForURL(/\/open-data$/);
      await visitor.page.getByRole('heading', { name: '开放数据', exact: true }).waitFor();
      await assertAccessible(visitor.page, 'open data');
      await assertNoHorizontalScroll(visitor.page, 360);
      const awardsHref = await visitor.page.getByRole('link', { name: /中标结果（/ }).getAttribute('href');
      const awards = await visitor.context.request.get(`${url}${awardsHref}`);
      assert.equal(awards.status(), 200);
      const award = (await awards.json()).data[0];
      assert.equal(award.price.amount, '2850000.00');
      assert.equal(award.supplier.name, '小微甲科技有限公司');
      const openapi = await visitor.context.request.get(`${url}/api/v1/openapi.json`);
      assert.equal((await openapi.json()).openapi, '3.1.0');
      assert.deepEqual(visitor.problems, []);
      for (const p of [officer, supplier, finance]) assert.deepEqual(p.problems, []);
    } finally {
      for (const p of [officer, supplier, finance, ...others]) await p.context.close();
    }
  });
});
