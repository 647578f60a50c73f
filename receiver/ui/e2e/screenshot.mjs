// Regenerates the README screenshot of the inspector (receiver/ui/inspector.png,
// or the path given as the first argument): a channel whose sender runs into
// TooManyErrors, the 0 s / +1 s / +4 s retry cycles on the timeline, and the
// detail of a call with an invalid signature.
//
// Run: make screenshot (or: node screenshot.mjs [out.png] in this folder).
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';

import { control, ensureDir, hook, launchBrowser, missingPrerequisite, moduleRoot, sendMail, sign, startReceiver } from './lib.mjs';

const out = path.resolve(process.argv[2] || path.join(moduleRoot, 'receiver', 'ui', 'inspector.png'));
const SECRET = 'demo-secret';
const CHANNEL = 'crm-prod';

const missing = await missingPrerequisite();
if (missing) {
  console.error(`screenshot: ${missing}`);
  process.exit(1);
}

const rv = await startReceiver();
const browser = await launchBrowser();
try {
  // Calls 4 to 12 fail: three delivery cycles of three attempts each.
  await control(rv, 'POST', '/_hookcheck/channels', {
    id: CHANNEL,
    secret: SECRET,
    script: [{ match: { nth: '4-12' }, respond: { status: 500, body: 'database unavailable' } }],
  });
  await control(rv, 'POST', '/_hookcheck/channels', { id: 'staging' });
  await hook(rv, 'staging', { body: '{"Event":"sale.created"}', event: 'sale.created' });

  const page = await browser.context.newPage();
  await page.goto(`${rv.base}/#/channels/${CHANNEL}`);
  await page.locator('#conn[data-state="live"]').waitFor();

  let n = 0;
  const event = (name, pk) => {
    n++;
    const id = `${(0x4b5ce038 + n * 0x2f1b3d7).toString(16).slice(-8)}-7c1e-4f0a-9d2b-00000000${String(n).padStart(4, '0')}`;
    const body = JSON.stringify({
      EventId: id, Timestamp: new Date().toISOString(), Changes: ['name', 'updated'], Event: name,
      PrimaryKey: pk, Entity: name.split('.')[0], ContextIdentifier: 'Cust12345', ChangedByAssociateId: 5, WebhookName: 'crm sync',
    });
    return { id, name, body };
  };
  const attempt = (ev, retry, signature = sign(SECRET, ev.body)) =>
    hook(rv, CHANNEL, { body: ev.body, event: ev.name, eventId: ev.id, retry, signature });

  // Two good deliveries and one from a sender that signs with the wrong secret.
  await attempt(event('contact.created', 18), 0);
  await attempt(event('person.changed', 4711), 0);
  const forged = event('sale.created', 93);
  await attempt(forged, 0, sign('an old secret', forged.body));

  // Then the target starts failing: each event is retried at +1 s and +4 s,
  // the NetServer cycle. The pauses pace this simulated sender; they are
  // not waits for the receiver.
  const cycle = async (ev) => {
    await attempt(ev, 0);
    await pause(1000);
    await attempt(ev, 1);
    await pause(3000);
    await attempt(ev, 2);
  };
  const cycles = [cycle(event('contact.changed', 18))];
  await pause(400);
  cycles.push(cycle(event('project.created', 7)));
  await pause(400);
  cycles.push(cycle(event('person.created', 4712)));
  await Promise.all(cycles);
  await sendMail(rv.smtp, {
    from: 'netserver@example.com',
    to: 'ops@example.com',
    subject: 'Webhook "crm sync" set to TooManyErrors',
    text: 'The webhook "crm sync" failed 9 times in a row and has been stopped.',
  });

  await page.locator('#calls-body tr[data-seq="12"]').waitFor();
  await page.locator('#mail-count', { hasText: '1' }).waitFor();
  await page.locator(`#channel-list li[data-channel="${CHANNEL}"] .count`, { hasText: '12' }).waitFor();
  await page.locator('#channel-stats', { hasText: '12 held' }).waitFor();
  await page.locator('#calls-body tr[data-seq="3"]').click();
  await page.locator('#sig-expected').waitFor();
  ensureDir(path.dirname(out));
  await page.screenshot({ path: out, fullPage: false });
  console.log(`screenshot: wrote ${path.relative(process.cwd(), out) || out}`);
} finally {
  await browser.close();
  await rv.stop();
}
