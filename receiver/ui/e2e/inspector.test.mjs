// End-to-end test of the receiver's live inspector page in headless
// Chromium: a real `hookcheck receive` with a control token, real webhook
// calls and e-mail, and the page driven as a person would.
//
// Run: make e2e-ui (or: npm ci && npm test in this folder). Without
// Chromium or playwright-core it skips, unless CI is set, when it fails.
// Screenshots go to bin/artifacts/ at the module root.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  artifactsDir, control, ensureDir, hook, launchBrowser, missingPrerequisite, sendMail, sign, startReceiver,
} from './lib.mjs';

const TOKEN = 'e2e-control-token';
const SECRET = 'e2e-channel-secret-4711';
const HOSTILE_BODY = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const HOSTILE_HEADER = '<b id="injected-header">bold</b><script>alert(3)</script>';
const HOSTILE_EVENT = '<i id="injected-event">contact.created</i>';
const WAIT = 10_000; // deadline for anything the page must show; a failure bound, not a pause

const missing = await missingPrerequisite();
const inCI = /^(1|true|yes)$/i.test(process.env.CI || '');
if (missing && inCI) {
  test('inspector page in headless Chromium', () => {
    assert.fail(`CI is set but the browser test cannot run: ${missing}`);
  });
} else if (missing) {
  test('inspector page in headless Chromium', { skip: missing }, () => {});
} else {
  suite();
}

function suite() {
  let rv;
  let browser;
  let page;
  const dialogs = [];
  const pageErrors = [];
  const consoleErrors = [];

  const shot = async (name) => {
    ensureDir(artifactsDir);
    await page.screenshot({ path: path.join(artifactsDir, `inspector-${name}.png`), fullPage: true });
  };
  const row = (seq) => page.locator(`#calls-body tr[data-seq="${seq}"]`);

  before(async () => {
    rv = await startReceiver({ token: TOKEN });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      // The bad scripts this test saves on purpose are answered 400.
      if (/status of 400/.test(msg.text()) && /\/_hookcheck\/channels\/demo\/script$/.test(msg.location().url)) return;
      consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (rv) await rv.stop();
  });

  test('takes the control token once from ?token= and keeps it out of the address bar', async () => {
    await control(rv, 'POST', '/_hookcheck/channels', { id: 'demo', secret: SECRET });
    await page.goto(`${rv.base}/?token=${TOKEN}`);
    await page.locator('#channel-list li[data-channel="demo"]').waitFor();
    assert.equal(new URL(page.url()).searchParams.has('token'), false, 'token left in the URL');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('hookcheck.controlToken')), TOKEN);
    assert.equal(await page.locator('#auth').isHidden(), true);

    // A tab without the token asks for it instead of showing data.
    const other = await browser.context.newPage();
    await other.goto(`${rv.base}/_hookcheck/ui`);
    await other.locator('#auth').waitFor({ state: 'visible' });
    await other.close();
  });

  test('shows calls live, newest first, with the right signature badges', async () => {
    await page.locator('#channel-list li[data-channel="demo"] button').click();
    await page.locator('#conn[data-state="live"]').waitFor();

    const body = (n) => JSON.stringify({ EventId: `4b5ce038-0000-4000-8000-00000000000${n}`, Event: 'contact.created', PrimaryKey: n });
    const send = (n, signature) => hook(rv, 'demo', {
      body: body(n), event: 'contact.created', eventId: `4b5ce038-0000-4000-8000-00000000000${n}`, retry: 0, signature,
    });
    assert.equal(await send(1, sign(SECRET, body(1))), 200); // valid
    assert.equal(await send(2, sign('not the secret', body(2))), 200); // invalid
    assert.equal(await send(3, undefined), 200); // missing
    // an open channel, made on the fly, has no secret: unchecked
    assert.equal(await hook(rv, 'open', { body: '{"x":1}', event: 'sale.created', signature: 'anything' }), 200);

    await row(3).waitFor();
    const seqs = await page.locator('#calls-body tr').evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.seq)));
    assert.deepEqual(seqs, [3, 2, 1], 'newest first');

    const expectBadge = async (seq, verdict, rgb) => {
      const b = row(seq).locator('.badge');
      assert.equal((await b.textContent()).trim(), verdict);
      assert.equal(await b.getAttribute('data-verdict'), verdict);
      assert.equal(await b.evaluate((e) => getComputedStyle(e).backgroundColor), rgb, `${verdict} badge colour`);
    };
    await expectBadge(1, 'valid', 'rgb(26, 127, 55)'); // green
    await expectBadge(2, 'invalid', 'rgb(207, 34, 46)'); // red
    await expectBadge(3, 'missing', 'rgb(219, 109, 40)'); // orange
    assert.match(await row(1).locator('td.response').textContent(), /^200/);
    assert.equal((await row(1).locator('td.retry').textContent()).trim(), '0');

    // The invalid call's detail explains it with the expected signature,
    // computed by the receiver; the secret never reaches the page.
    await row(2).click();
    await page.locator('#sig-expected').waitFor();
    assert.equal(await page.locator('#sig-expected').textContent(), sign(SECRET, body(2)));
    assert.equal(await page.locator('#sig-received').textContent(), sign('not the secret', body(2)));
    assert.match(await page.locator('#sig-reason').textContent(), /another secret/);
    assert.match(await page.locator('#detail-body-kind').textContent(), /JSON/);
    assert.equal(await page.locator('#detail-body').textContent(), JSON.stringify(JSON.parse(body(2)), null, 2));
    assert.equal((await page.content()).includes(SECRET), false, 'the secret is in the page');

    await page.locator('#timeline svg circle[data-seq="3"]').waitFor();
    assert.equal(await page.locator('#timeline svg circle[data-seq]').count(), 3);

    // A click on an attempt on the timeline, or Enter on a row, shows that call.
    await page.locator('#timeline svg circle[data-seq="1"]').click();
    await page.locator('#detail-title', { hasText: 'Call #1' }).waitFor();
    await page.locator('#timeline svg circle[data-seq="1"].dot-selected').waitFor();
    assert.match(await row(1).getAttribute('class'), /\bselected\b/);
    await row(3).press('Enter');
    await page.locator('#detail-title', { hasText: 'Call #3' }).waitFor();
    await shot('calls');

    await page.locator('#channel-list li[data-channel="open"] button').click();
    await page.locator('#calls-body tr[data-seq="1"] .badge[data-verdict="unchecked"]').waitFor();
    const grey = await page.locator('#calls-body tr[data-seq="1"] .badge').evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(grey, 'rgb(110, 119, 129)');
    await page.locator('#channel-list li[data-channel="demo"] button').click();
    await row(3).waitFor();
  });

  test('shows a hostile body and headers as text: nothing injected, no dialog', async () => {
    const status = await hook(rv, 'demo', {
      body: HOSTILE_BODY,
      event: HOSTILE_EVENT,
      eventId: 'evil-1',
      signature: sign(SECRET, HOSTILE_BODY),
      headers: { 'Content-Type': 'text/html', 'X-Evil': HOSTILE_HEADER },
    });
    assert.equal(status, 200);
    await row(4).waitFor();
    assert.equal((await row(4).locator('td.event').textContent()), HOSTILE_EVENT);
    assert.equal(await row(4).locator('.badge').getAttribute('data-verdict'), 'valid');
    await row(4).click();
    await page.locator('#detail-title', { hasText: 'Call #4' }).waitFor();

    assert.equal(await page.locator('#detail-body').textContent(), HOSTILE_BODY);
    assert.match(await page.locator('#detail-body-kind').textContent(), /raw/);
    await page.getByText(HOSTILE_BODY, { exact: true }).waitFor({ state: 'visible' });
    await page.locator('#detail-headers td', { hasText: HOSTILE_HEADER }).waitFor({ state: 'visible' });

    const injected = await page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      scripts: [...document.scripts].map((s) => s.src),
      bold: document.querySelectorAll('#injected-header, #injected-event, b, i').length,
    }));
    assert.equal(injected.img, 0, 'an <img> element was injected');
    assert.equal(injected.bold, 0, 'markup from a header was injected');
    assert.deepEqual(injected.scripts, [`${rv.base}/_hookcheck/ui/app.js`], 'a <script> element was injected');
    assert.deepEqual(dialogs, [], 'a dialog fired');
    await shot('hostile');
  });

  test('edits the fault script from the page: the next call gets the new answer', async () => {
    await page.locator('#script-text').fill('[{"respond": {"status": 503, "body": "down for maintenance"}}]');
    await page.locator('#script-save').click();
    await page.locator('#script-status', { hasText: 'saved' }).waitFor();
    assert.equal(await page.locator('#script-error').isHidden(), true);
    assert.match(await page.locator('#script-text').inputValue(), /"status":503/);
    await page.locator('#channel-stats', { hasText: /· 1 rule$/ }).waitFor();

    assert.equal(await hook(rv, 'demo', { body: '{"n":5}', event: 'contact.changed', eventId: 'e-5' }), 503);
    await row(5).waitFor();
    assert.match(await row(5).locator('td.response').textContent(), /^503/);
    assert.equal(await row(5).getAttribute('class'), 'fail');
    await page.locator('#timeline svg circle[data-seq="5"][data-outcome="fail"]').waitFor();
    assert.match(await page.locator('#fail-streak').textContent(), /^[1-9]/);
  });

  test('shows a bad script\'s validation error inline and keeps the old script', async () => {
    await page.locator('#script-text').fill('[{"fault": "explode"}]');
    await page.locator('#script-save').click();
    const err = page.locator('#script-error');
    await err.waitFor({ state: 'visible' });
    const text = await err.textContent();
    assert.match(text, /^400: /);
    assert.match(text, /explode/);
    assert.match(await page.locator('#script-status').textContent(), /not saved/);
    await shot('script-error');

    assert.equal(await hook(rv, 'demo', { body: '{"n":6}' }), 503, 'the old script should still run');

    await page.locator('#script-text').fill('[{"respond": {"status": 503}');
    await page.locator('#script-save').click();
    await page.locator('#script-error', { hasText: 'malformed' }).waitFor();

    // Reload drops the edit and the error and shows the script that runs.
    await page.locator('#script-reload').click();
    await err.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => /"status":503/.test(document.getElementById('script-text').value));

    await page.locator('#script-text').fill('[]');
    await page.locator('#script-text').press('Control+Enter');
    await page.locator('#script-status', { hasText: 'saved' }).waitFor();
    assert.equal(await err.isHidden(), true);
    assert.equal(await hook(rv, 'demo', { body: '{"n":7}' }), 200);
    await row(7).waitFor();
  });

  test('shows captured e-mails live in their own tab, as text', async () => {
    await page.locator('#tab-mail').click();
    await page.locator('#conn[data-state="live"]').waitFor();
    const subject = 'Webhook <b id="injected-mail">demo</b> stopped: TooManyErrors';
    await sendMail(rv.smtp, { from: 'netserver@example.com', to: 'ops@example.com', subject, text: 'Your webhook was set to TooManyErrors.\n<script>alert(4)</script>' });
    const mailRow = page.locator('#mail-body tr[data-seq="1"]');
    await mailRow.waitFor();
    assert.equal(await mailRow.locator('td.subject').textContent(), subject);
    assert.equal((await page.locator('#mail-count').textContent()).trim(), '1');
    await mailRow.click();
    await page.locator('#mail-text', { hasText: '<script>alert(4)</script>' }).waitFor();
    assert.equal(await page.locator('#injected-mail').count(), 0);
    assert.deepEqual(dialogs, []);
    await shot('mail');
    await page.locator('#tab-calls').click();
  });

  test('had no script errors', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
  });
}
