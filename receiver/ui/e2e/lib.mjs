// Shared helpers of the inspector's browser test and screenshot script:
// start a real `hookcheck receive`, launch Debian's Chromium through
// playwright-core (never a downloaded browser), send signed webhook calls
// and SMTP mail.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// moduleRoot is the Go module's root (receiver/ui/e2e is three below).
export const moduleRoot = path.resolve(here, '..', '..', '..');

// artifactsDir is where screenshots go (bin/ is git-ignored).
export const artifactsDir = process.env.ARTIFACTS_DIR || path.join(moduleRoot, 'bin', 'artifacts');

// chromiumPath is Debian's Chromium, or $CHROMIUM_PATH.
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// chromiumArgs keep Chromium quiet on a machine without a network.
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// missingPrerequisite returns why the browser test cannot run here, or ''.
export async function missingPrerequisite() {
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath} (apt-get install chromium, or make chromium)`;
  try {
    await import('playwright-core');
  } catch {
    return `playwright-core is not installed (npm ci in ${here})`;
  }
  return '';
}

// hookcheckBinary returns $HOOKCHECK_BIN, or builds bin/hookcheck.
export function hookcheckBinary() {
  if (process.env.HOOKCHECK_BIN) return path.resolve(process.env.HOOKCHECK_BIN);
  const bin = path.join(moduleRoot, 'bin', 'hookcheck');
  const r = spawnSync('go', ['build', '-o', bin, './cmd/hookcheck'], { cwd: moduleRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`go build ./cmd/hookcheck failed (status ${r.status})`);
  return bin;
}

// startReceiver runs `hookcheck receive` on loopback port 0 and resolves
// once it has printed that it is ready, with its addresses from
// --addr-file.
export async function startReceiver({ token = '', extraArgs = [] } = {}) {
  const bin = hookcheckBinary();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hookcheck-e2e-'));
  const addrFile = path.join(dir, 'addr.json');
  const env = { ...process.env };
  delete env.HOOKCHECK_CONTROL_TOKEN;
  if (token) env.HOOKCHECK_CONTROL_TOKEN = token; // not on the command line
  const child = spawn(bin, [
    'receive', '--listen', '127.0.0.1:0', '--tls-listen', 'off', '--smtp-listen', '127.0.0.1:0',
    '--addr-file', addrFile, ...extraArgs,
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('hookcheck receiver ready')) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    exited.then(({ code, signal }) => reject(new Error(`hookcheck receive exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
  const addrs = JSON.parse(readFileSync(addrFile, 'utf8'));
  return {
    base: addrs.http,
    smtp: addrs.smtp,
    token,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const r = await exited;
      rmSync(dir, { recursive: true, force: true });
      return r;
    },
  };
}

// launchBrowser starts headless Chromium with a fresh profile.
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'hookcheck-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1440, height: 960 },
    deviceScaleFactor: 1,
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// sign returns base64(HMAC-SHA256(secret, body)), as NetServer signs.
export function sign(secret, body) {
  return createHmac('sha256', secret).update(body).digest('base64');
}

// control calls the control API and returns {status, data}.
export async function control(rv, method, route, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (rv.token) headers.Authorization = `Bearer ${rv.token}`;
  const res = await fetch(rv.base + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { data = text; }
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return data;
}

// hook sends one webhook call and returns the status it got.
export async function hook(rv, channel, { body = '{}', event, eventId, retry, signature, headers = {} } = {}) {
  const h = { 'Content-Type': 'application/json', ...headers };
  if (event !== undefined) h['X-SuperOffice-Event'] = event;
  if (eventId !== undefined) h['X-SuperOffice-EventId'] = eventId;
  if (retry !== undefined) h['X-SuperOffice-Retry'] = String(retry);
  if (signature !== undefined) h['X-SuperOffice-Signature'] = signature;
  const res = await fetch(`${rv.base}/hooks/${channel}`, { method: 'POST', headers: h, body });
  await res.arrayBuffer();
  return res.status;
}

// sendMail delivers one message over SMTP, reading each reply before the
// next command.
export async function sendMail(addr, { from, to, subject, text }) {
  const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
  const sock = net.connect({ host, port });
  sock.setEncoding('utf8');
  let buf = '';
  const waiters = [];
  sock.on('data', (d) => {
    buf += d;
    for (;;) {
      // a reply ends with a line "NNN text" (not "NNN-text")
      const m = /^(\d{3}) .*\r\n/m.exec(buf);
      if (!m) break;
      const end = m.index + m[0].length;
      const reply = buf.slice(0, end);
      buf = buf.slice(end);
      const w = waiters.shift();
      if (w) w.resolve(reply);
    }
  });
  sock.on('error', (err) => { for (const w of waiters.splice(0)) w.reject(err); });
  const reply = () => new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  const expect = async (code, cmd) => {
    const p = reply();
    if (cmd !== undefined) sock.write(cmd + '\r\n');
    const r = await p;
    if (!r.startsWith(String(code))) throw new Error(`SMTP ${cmd ?? 'greeting'}: want ${code}, got ${r.trim()}`);
  };
  await expect(220);
  await expect(250, 'EHLO e2e.test');
  await expect(250, `MAIL FROM:<${from}>`);
  await expect(250, `RCPT TO:<${to}>`);
  await expect(354, 'DATA');
  const msg = [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, 'Content-Type: text/plain; charset=utf-8', '', text]
    .join('\r\n').replace(/\r\n\./g, '\r\n..');
  await expect(250, `${msg}\r\n.`);
  await expect(221, 'QUIT');
  sock.end();
}

// ensureDir makes a directory and its parents.
export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}
