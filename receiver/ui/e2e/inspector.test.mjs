// End-to-end test of the receiver's live inspector page in headless
// Chromium: a real `hookcheck receive` with a control token, real webhook
// calls and e-mail, and the page driven as a person would.
//
// Run: make e2e-ui (or: npm ci && npm test in this folder). Without
// Chromium or playwright-core it skips, unless CI is set, when it fails.
// Screenshots go to bin/artifacts/ at the module root.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

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
  toolsSuite();
  dataDirSuite();
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

// rawHook sends one call over a plain TCP connection, header lines exactly
// as given (name case and order), and resolves with the answer's status.
function rawHook(rv, channel, lines, body) {
  const u = new URL(rv.base);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port) });
    let got = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { got += d; });
    sock.on('error', reject);
    sock.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] || 0)));
    sock.write([`POST /hooks/${channel} HTTP/1.1`, `Host: ${u.host}`, ...lines, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body].join('\r\n'));
  });
}

// toolsSuite drives the inspector's tools (issue 16, point 6), one test
// each, on a receiver of its own with a control token.
function toolsSuite() {
  describe('inspector tools', () => {
    let rv;
    let browser;
    let page;
    const pageErrors = [];
    const consoleErrors = [];
    const row = (seq) => page.locator(`#calls-body tr[data-seq="${seq}"]`);
    const shownSeqs = () => page.locator('#calls-body tr:not([hidden])').evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.seq)));
    const calls = async (id) => (await control(rv, 'GET', `/_hookcheck/channels/${id}/calls`)).calls;
    const openPage = async (hash = '') => {
      const p = await browser.context.newPage();
      p.setDefaultTimeout(WAIT);
      p.on('pageerror', (err) => pageErrors.push(String(err)));
      p.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        // the replay to a URL that is not http(s) is answered 400 on purpose
        if (/status of 400/.test(msg.text()) && /\/replay$/.test(msg.location().url)) return;
        consoleErrors.push(`${msg.text()} (${msg.location().url})`);
      });
      await p.goto(`${rv.base}/?token=${TOKEN}${hash}`);
      return p;
    };

    before(async () => {
      rv = await startReceiver({ token: TOKEN });
      browser = await launchBrowser();
      await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: rv.base });
    });

    after(async () => {
      if (browser) await browser.close();
      if (rv) await rv.stop();
    });

    test('opens the only channel by itself, and none when there are two', async () => {
      await control(rv, 'POST', '/_hookcheck/channels', { id: 'solo' });
      page = await openPage();
      await page.locator('#channel-title', { hasText: 'solo' }).waitFor();
      await page.locator('#conn[data-state="live"]').waitFor();
      assert.equal(new URL(page.url()).hash, '#/channels/solo');

      await control(rv, 'POST', '/_hookcheck/channels', { id: 'second' });
      const two = await openPage();
      await two.locator('#channel-list li[data-channel="second"]').waitFor();
      await two.locator('#channel-list li[data-channel="solo"]').waitFor();
      assert.equal(await two.locator('#channel-empty').isVisible(), true, 'with two channels none opens');
      assert.equal(await two.locator('#channel-main').isHidden(), true);
      await two.close();
    });

    test('makes a new channel from the page and copies its webhook URL', async () => {
      await page.locator('#new-channel-toggle').click();
      await page.locator('#new-channel-id').fill('made-here');
      await page.locator('#new-channel-secret').fill(SECRET);
      await page.locator('#new-channel-create').click();
      await page.locator('#channel-title', { hasText: 'made-here' }).waitFor();
      await page.locator('#channel-list li[data-channel="made-here"]').waitFor();
      const info = await control(rv, 'GET', '/_hookcheck/channels/made-here');
      assert.equal(info.hasSecret, true);
      await page.locator('#channel-url', { hasText: info.url }).waitFor();
      assert.match(await page.locator('#channel-secret').textContent(), /secret set/);
      assert.equal(await page.locator('#new-channel').isHidden(), true);

      await page.locator('#copy-url').click();
      await page.locator('#action-status', { hasText: 'URL copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), info.url);
    });

    test('filters the calls by event, by answer and by signature', async () => {
      await control(rv, 'PUT', '/_hookcheck/channels/made-here/script', [{ match: { event: 'sale.created' }, respond: { status: 503 } }]);
      const b1 = '{"n":1}';
      const b3 = '{"n":3}';
      assert.equal(await hook(rv, 'made-here', { body: b1, event: 'contact.created', eventId: 'f-1', signature: sign(SECRET, b1) }), 200);
      assert.equal(await hook(rv, 'made-here', { body: '{"n":2}', event: 'sale.created', eventId: 'f-2' }), 503);
      assert.equal(await hook(rv, 'made-here', { body: b3, event: 'contact.changed', eventId: 'f-3', signature: sign('wrong', b3) }), 200);
      await row(3).waitFor();
      assert.deepEqual(await shownSeqs(), [3, 2, 1]);

      await page.locator('#filter-event').fill('CONTACT');
      assert.deepEqual(await shownSeqs(), [3, 1]);
      assert.equal(await page.locator('#filter-count').textContent(), '2 of 3 shown');
      await page.locator('#filter-signature').selectOption('valid');
      assert.deepEqual(await shownSeqs(), [1]);
      await page.locator('#filter-event').fill('');
      await page.locator('#filter-signature').selectOption('invalid');
      assert.deepEqual(await shownSeqs(), [3]);
      await page.locator('#filter-signature').selectOption('');
      await page.locator('#filter-status').selectOption('fail');
      assert.deepEqual(await shownSeqs(), [2]);
      await page.locator('#filter-status').selectOption('503'); // offered once a call got it
      assert.deepEqual(await shownSeqs(), [2]);
      await page.locator('#filter-status').selectOption('ok');
      assert.deepEqual(await shownSeqs(), [3, 1]);

      // A call that arrives while filtered out stays hidden.
      assert.equal(await hook(rv, 'made-here', { body: '{"n":4}', event: 'sale.created', eventId: 'f-4' }), 503);
      await row(4).waitFor({ state: 'attached' });
      assert.equal(await row(4).isHidden(), true);
      await page.locator('#filter-reset').click();
      assert.deepEqual(await shownSeqs(), [4, 3, 2, 1]);
      assert.equal(await page.locator('#filter-count').textContent(), '');
    });

    test('shows a call\'s headers as sent: the sender\'s case and order', async () => {
      const lines = ['x-superoffice-event: contact.created', 'X-SuperOffice-EventId: raw-1', 'content-type: application/json', 'ACCEPT: */*', 'X-Custom-Thing: one', 'X-Custom-Thing: two'];
      assert.equal(await rawHook(rv, 'made-here', lines, '{"raw":true}'), 200);
      await row(5).click();
      await page.locator('#detail-title', { hasText: 'Call #5' }).waitFor();
      assert.equal(await page.locator('#detail-headers').getAttribute('data-form'), 'as-sent');
      const shown = await page.locator('#detail-headers tr').evaluateAll((trs) => trs.map((tr) => `${tr.cells[0].textContent}: ${tr.cells[1].textContent}`));
      const host = new URL(rv.base).host;
      assert.deepEqual(shown, [`Host: ${host}`, ...lines, 'Content-Length: 12', 'Connection: close']);
      assert.match(await page.locator('#detail-headers-kind').textContent(), /as sent/);
    });

    test('copies a call as a curl command that sends the same request again', async () => {
      const original = (await calls('made-here')).find((c) => c.seq === 5);
      const cmd = await page.locator('#curl-text').inputValue();
      assert.match(cmd, /^curl -X 'POST' 'http:\/\/127\.0\.0\.1:\d+\/hooks\/made-here'/);
      await page.locator('#curl-copy').click();
      await page.locator('#curl-status', { hasText: 'copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), cmd);

      // Run it: the receiver records the same request again.
      execFileSync('sh', ['-c', `${cmd} -s -o /dev/null`], { timeout: WAIT });
      await row(6).waitFor();
      const again = (await calls('made-here')).find((c) => c.seq === 6);
      const strip = (c) => c.rawHeaders.filter((f) => !/^(host|content-length)$/i.test(f.name)).map((f) => `${f.name}: ${f.value}`);
      assert.deepEqual(strip(again), strip(original), 'the headers as sent, in order');
      assert.equal(again.method, original.method);
      assert.equal(again.path, original.path);
      assert.equal(again.body, original.body);
      assert.equal(again.headers.Host[0], original.headers.Host[0]);

      // A body that is not UTF-8 goes through base64 -d and --data-binary @-.
      const binary = Buffer.from([0xff, 0x00, 0x27, 0x0a, 0xfe]);
      const res = await fetch(`${rv.base}/hooks/made-here`, { method: 'PUT', body: binary, headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(res.status, 200);
      await row(7).click();
      await page.locator('#detail-title', { hasText: 'Call #7' }).waitFor();
      const bin = await page.locator('#curl-text').inputValue();
      assert.match(bin, /\| base64 -d \| curl -X 'PUT'/);
      assert.match(bin, /--data-binary @-$/);
      execFileSync('sh', ['-c', `${bin} -s -o /dev/null`], { timeout: WAIT });
      await row(8).waitFor();
      const bins = (await calls('made-here')).filter((c) => c.seq === 7 || c.seq === 8);
      assert.equal(bins[1].bodyBase64, binary.toString('base64'));
      assert.equal(bins[1].method, 'PUT');
      assert.equal(bins[1].bodyBase64, bins[0].bodyBase64);
    });

    test('replays a call to a URL through the receiver and shows the answer', async () => {
      const got = [];
      const target = http.createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (d) => { body += d; });
        req.on('end', () => {
          got.push({ method: req.method, url: req.url, headers: req.rawHeaders, body });
          res.writeHead(202, { 'X-Target': 'yes' });
          res.end('queued for later');
        });
      });
      await new Promise((resolve) => target.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${target.address().port}/webhook`;
        await row(5).click();
        await page.locator('#detail-title', { hasText: 'Call #5' }).waitFor();
        await page.locator('#replay-url').fill(url);
        await page.locator('#replay-send').click();
        await page.locator('#replay-answer-status', { hasText: '202' }).waitFor();
        assert.equal(await page.locator('#replay-answer-body').textContent(), 'queued for later');
        assert.match(await page.locator('#replay-status').textContent(), /^answered 202 in /);
        assert.equal(got.length, 1);
        assert.equal(got[0].method, 'POST');
        assert.equal(got[0].url, '/webhook');
        assert.equal(got[0].body, '{"raw":true}');
        const names = got[0].headers.filter((_, i) => i % 2 === 0);
        assert.ok(names.includes('X-SuperOffice-EventId') && names.includes('x-superoffice-event'), `names as sent: ${names}`);

        await page.locator('#replay-url').fill('ftp://127.0.0.1/x');
        await page.locator('#replay-send').click();
        await page.locator('#replay-error', { hasText: 'only http and https' }).waitFor();
        assert.match(await page.locator('#replay-error').textContent(), /^400: /);
        assert.equal(await page.locator('#replay-result').isHidden(), true);
        assert.equal(got.length, 1);
      } finally {
        target.close();
      }
    });

    test('downloads the channel\'s calls as HAR and as JSON Lines', async () => {
      const held = await calls('made-here');
      const save = async (button) => {
        const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
        return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
      };
      const jsonl = await save('#download-jsonl');
      assert.equal(jsonl.name, 'made-here.jsonl');
      const lines = jsonl.text.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((c) => c.seq), held.map((c) => c.seq));
      assert.equal(lines[0].event, 'contact.created');
      const har = await save('#download-har');
      assert.equal(har.name, 'made-here.har');
      const doc = JSON.parse(har.text);
      assert.equal(doc.log.version, '1.2');
      assert.deepEqual(doc.log.entries.map((e) => e._seq), held.map((c) => c.seq));
      assert.equal(doc.log.entries[1].response.status, 503);
    });

    test('clears the channel\'s calls after a second click; new calls go on numbering', async () => {
      const before = (await calls('made-here')).length;
      assert.ok(before > 0);
      await page.locator('#clear-calls').click();
      await page.locator('#clear-calls', { hasText: 'Click again' }).waitFor();
      assert.equal((await calls('made-here')).length, before, 'one click clears nothing');
      await page.locator('#clear-calls').click();
      await page.locator('#action-status', { hasText: `${before} calls cleared` }).waitFor();
      await page.locator('#calls-empty').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#calls-body tr').count(), 0);
      assert.equal(await page.locator('#detail').isHidden(), true);
      assert.deepEqual(await calls('made-here'), []);
      await page.locator('#channel-list li[data-channel="made-here"] .count', { hasText: /^0$/ }).waitFor();

      assert.equal(await hook(rv, 'made-here', { body: '{}', event: 'after.clear' }), 200);
      await row(before + 1).waitFor();
      assert.equal(await page.locator('#calls-body tr').count(), 1);
      assert.equal((await control(rv, 'GET', '/_hookcheck/channels/made-here')).hasSecret, true, 'the channel keeps its secret');
    });

    test('shows each rule\'s uses left, counting down as calls use them', async () => {
      await page.locator('#script-text').fill('[{"times": 2, "respond": {"status": 429}}, {"respond": {"status": 200}}]');
      await page.locator('#script-save').click();
      await page.locator('#script-status', { hasText: 'saved' }).waitFor();
      const rule0 = page.locator('#script-uses li[data-rule="0"]');
      await rule0.filter({ hasText: '2 of 2 uses left' }).waitFor();
      assert.match(await page.locator('#script-uses li[data-rule="1"]').textContent(), /no limit/);
      assert.equal(await hook(rv, 'made-here', { body: '{}' }), 429);
      await rule0.filter({ hasText: '1 of 2 uses left' }).waitFor();
      assert.equal(await hook(rv, 'made-here', { body: '{}' }), 429);
      await rule0.filter({ hasText: '0 of 2 uses left' }).waitFor();
      assert.equal(await rule0.getAttribute('class'), 'used-up');
      assert.equal(await hook(rv, 'made-here', { body: '{}' }), 200);
    });

    test('shows the selected call beside the list on a wide screen, below it on a narrow one', async () => {
      const first = page.locator('#calls-body tr').first();
      await first.click();
      await page.locator('#detail').waitFor({ state: 'visible' });
      const box = async (sel) => page.locator(sel).boundingBox();
      let list = await box('.calls-card');
      let detail = await box('#detail');
      assert.ok(detail.x >= list.x + list.width, `detail (x ${detail.x}) right of the list (ends at ${list.x + list.width})`);
      assert.ok(detail.y < list.y + list.height && detail.y + 1 >= list.y - 1, 'detail level with the list');
      ensureDir(artifactsDir);
      await page.screenshot({ path: path.join(artifactsDir, 'inspector-two-panes.png') });
      await page.setViewportSize({ width: 900, height: 960 });
      list = await box('.calls-card');
      detail = await box('#detail');
      assert.ok(detail.y >= list.y + list.height, 'on a narrow screen the detail comes below the list');
      await page.setViewportSize({ width: 1440, height: 960 });
    });

    test('gives a call without an EventId a timeline row of its own', async () => {
      await control(rv, 'POST', '/_hookcheck/channels', { id: 'groups' });
      await page.locator('#channel-list li[data-channel="groups"] button').click();
      await page.locator('#conn[data-state="live"]').waitFor();
      await hook(rv, 'groups', { body: '{}', event: 'contact.created', eventId: 'g-1', retry: 0 });
      await hook(rv, 'groups', { body: '{}', event: 'sale.created' });
      await hook(rv, 'groups', { body: '{}', event: 'person.changed' });
      await hook(rv, 'groups', { body: '{}', event: 'contact.created', eventId: 'g-1', retry: 1 });
      await page.locator('#timeline circle[data-seq="4"]').waitFor();
      const groups = await page.locator('#timeline g.group').evaluateAll((gs) => gs.map((g) => ({
        eventId: g.dataset.eventid,
        label: [...g.querySelector('text.label').childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''),
        seqs: [...g.querySelectorAll('circle')].map((c) => Number(c.dataset.seq)),
      })));
      assert.deepEqual(groups, [
        { eventId: 'g-1', label: 'contact.created g-1', seqs: [1, 4] },
        { eventId: '', label: 'sale.created (no EventId)', seqs: [2] },
        { eventId: '', label: 'person.changed (no EventId)', seqs: [3] },
      ]);
      assert.match(await page.locator('#timeline-summary').textContent(), /^4 attempts · 1 EventId · 2 without · /);
    });

    test('had no script errors', () => {
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(consoleErrors, []);
    });
  });
}

// dataDirSuite: a receiver with --data-dir shows the calls from before a
// restart, and a banner while its database refuses writes.
function dataDirSuite() {
  describe('inspector with --data-dir', () => {
    let browser;
    let dir;
    before(async () => {
      browser = await launchBrowser();
      dir = mkdtempSync(path.join(os.tmpdir(), 'hookcheck-e2e-data-'));
    });
    after(async () => {
      if (browser) await browser.close();
      try { execFileSync('chattr', ['-i', path.join(dir, 'receiver.db')], { stdio: 'ignore' }); } catch { /* not set */ }
      rmSync(dir, { recursive: true, force: true });
    });
    const open = async (rv) => {
      const p = await browser.context.newPage();
      p.setDefaultTimeout(WAIT);
      await p.goto(`${rv.base}/?token=${TOKEN}#/channels/kept`);
      return p;
    };

    test('shows the calls recorded before a restart', async () => {
      let rv = await startReceiver({ token: TOKEN, extraArgs: ['--data-dir', dir] });
      await control(rv, 'POST', '/_hookcheck/channels', { id: 'kept', secret: SECRET });
      const body = '{"Event":"before.restart"}';
      assert.equal(await hook(rv, 'kept', { body, event: 'before.restart', signature: sign(SECRET, body) }), 200);
      await rv.stop();
      rv = await startReceiver({ token: TOKEN, extraArgs: ['--data-dir', dir] });
      try {
        const page = await open(rv);
        await page.locator('#calls-body tr[data-seq="1"]', { hasText: 'before.restart' }).waitFor();
        assert.match(await page.locator('#calls-body tr[data-seq="1"]').innerText(), /valid/);
        await page.close();
      } finally {
        await rv.stop();
      }
    });

    test('shows a banner while the database refuses writes, and takes it away after', { skip: process.getuid && process.getuid() !== 0 ? 'needs root for chattr +i (the Go tests cover the warning itself)' : false }, async () => {
      const rv = await startReceiver({ token: TOKEN, extraArgs: ['--data-dir', dir] });
      const db = path.join(dir, 'receiver.db');
      try {
        const page = await open(rv);
        await page.locator('#channel-title', { hasText: 'kept' }).waitFor();
        assert.equal(await page.locator('#warnings').isHidden(), true);
        execFileSync('chattr', ['+i', db]);
        assert.equal(await hook(rv, 'kept', { body: '{}' }), 200, 'answered while the disk refuses');
        await page.locator('#warnings', { hasText: 'in memory only' }).waitFor();
        execFileSync('chattr', ['-i', db]);
        await page.locator('#warnings').waitFor({ state: 'hidden' });
        await page.close();
      } finally {
        try { execFileSync('chattr', ['-i', db], { stdio: 'ignore' }); } catch { /* already */ }
        await rv.stop();
      }
    });
  });
}
