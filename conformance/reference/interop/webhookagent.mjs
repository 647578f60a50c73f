// Interop test: the official SuperOffice TypeScript client (@superoffice/webapi,
// pinned in package.json) drives the hookcheck reference service through its
// WebhookAgent (HTTP-RPC Agents, spec §2.4), and every check is on the values
// the client PARSES (camelCase objects, WebhookState enum, Date objects), not
// on raw JSON. Deliveries go to a hookcheck receiver.
//
// Run by interop_test.go (go test ./conformance/reference/interop/), or by hand:
//   make interop-deps        # npm ci in this folder
//   hookcheck receive --addr-file r.json &
//   hookcheck target --allow-http --time-scale 0.01 --addr-file t.json &
//   HOOKCHECK_TARGET=<t.json base> HOOKCHECK_RECEIVER=<r.json http> node webhookagent.mjs
//
// Env: HOOKCHECK_TARGET (service base URL, without /api), HOOKCHECK_RECEIVER
// (receiver HTTP URL), HOOKCHECK_USER / HOOKCHECK_PASSWORD (Basic auth,
// default hookcheck:hookcheck). The target needs --allow-http (the receiver
// URL is http://) and should use a small --time-scale so the failing hook
// reaches TooManyErrors quickly. Exits 1 when a check fails; the last line
// is "N passed, N failed".
//
// The time zone matters: the client reads the service's offset-less dates as
// local time and sends Dates back in UTC, so east of UTC the default entity's
// "0001-01-01T00:00:00" returns as a year-0 instant. interop_test.go runs the
// script with TZ=UTC and TZ=Europe/Oslo. Names and channels carry a per-run
// tag, so a target that already holds webhooks is fine: filters must return
// exactly this run's expected hooks, and every hook they return must match.
//
// The package's ESM build ("import") uses extension-less relative imports
// that only bundlers resolve, so plain Node loads its CommonJS build.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { WebhookAgent, WebhookState } = require("@superoffice/webapi");
const clientVersion = JSON.parse(readFileSync(new URL("node_modules/@superoffice/webapi/package.json", import.meta.url))).version;

const target = process.env.HOOKCHECK_TARGET;
const recv = process.env.HOOKCHECK_RECEIVER;
if (!target || !recv) {
  console.error("set HOOKCHECK_TARGET and HOOKCHECK_RECEIVER");
  process.exit(2);
}

// The package README's "configure the agents directly" form: the base URL
// (the client appends api/v1/Agents/Webhook/) and an axios config with Basic
// auth; proxy: false keeps axios off any HTTP(S)_PROXY (loopback only).
const agent = new WebhookAgent(target, {
  auth: { username: process.env.HOOKCHECK_USER ?? "hookcheck", password: process.env.HOOKCHECK_PASSWORD ?? "hookcheck" },
  timeout: 15000,
  proxy: false,
});

// --- receiver control API ---------------------------------------------------
async function control(method, path, body) {
  const res = await fetch(recv + "/_hookcheck" + path, { method, body: body && JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`receiver ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const channel = (id) => control("POST", "/channels", { id, secret: "s3cret-" + id });
const failWith = (id, status, body) => control("PUT", `/channels/${id}/script`, [{ respond: { status, body } }]);
const callsOf = (id, event, min = 1) =>
  control("GET", `/channels/${id}/calls?event=${event}&min=${min}&wait=5s`).then((r) => r.calls);

// --- a tiny runner: checks run in order, a failure does not stop the rest ---
// A failed check marked `needed` (later checks use what it made) ends the run.
let passed = 0;
let failed = 0;
function done() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
async function check(name, fn, needed = false) {
  const start = performance.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Math.round(performance.now() - start)} ms)`);
  } catch (err) {
    failed++;
    const detail = err?.response ? ` (HTTP ${err.response.status} ${JSON.stringify(err.response.data)})` : "";
    console.log(`FAIL ${name}\n     ${String(err?.message ?? err).split("\n").join("\n     ")}${detail}`);
    if (needed) {
      console.log("     (later checks need this one; stopping)");
      done();
    }
  }
}

const isDate = (d) => d instanceof Date && !Number.isNaN(d.getTime());
const HOUR = 3600e3;
const ids = (list) => list.map((h) => h.webhookId).sort((a, b) => a - b);
const tag = Date.now().toString(36);
const hooks = {}; // a: healthy, b: stopped, c: turns failing

console.log(`@superoffice/webapi ${clientVersion} against ${target} (TZ=${Intl.DateTimeFormat().resolvedOptions().timeZone})`);
const ok = await channel("ok-" + tag);
const bad = await channel("bad-" + tag);

await check("CreateDefaultWebhook parses the §1.2 defaults", async () => {
  const d = await agent.createDefaultWebhookAsync();
  assert.equal(d.webhookId, 0);
  assert.equal(d.state, WebhookState.Active);
  assert.equal(d.type, "webhook");
  assert.deepEqual(d.events, ["contact.created", "contact.deleted"]);
  assert.equal(d.name, null);
  assert.ok(isDate(d.registered) && d.registered.getFullYear() === 1, `registered ${d.registered} is not DateTime.MinValue`);
  assert.ok(isDate(d.updated) && d.updated.getFullYear() === 1, `updated ${d.updated}`);
  hooks.default = d;
}, true);

await check("SaveWebhook creates from the default entity (client round-trips its Date objects)", async () => {
  const w = { ...hooks.default, name: "a-" + tag, events: ["contact.created"], targetUrl: ok.url,
    secret: "s3cret-ok-" + tag, headers: { "X-Interop": tag }, properties: { source: "interop", n: 7 } };
  const a = await agent.saveWebhookAsync(w);
  assert.ok(Number.isInteger(a.webhookId) && a.webhookId > 0, `webhookId ${a.webhookId}`);
  assert.equal(a.state, WebhookState.Active);
  assert.deepEqual(a.events, ["contact.created"]);
  assert.equal(a.targetUrl, ok.url);
  assert.deepEqual(a.headers, { "X-Interop": tag });
  assert.deepEqual(a.properties, { source: "interop", n: 7 });
  assert.ok(isDate(a.registered) && a.registered.getFullYear() > 2000, `registered ${a.registered}`);
  // The wire date has no offset (UTC) and the client reads it as local time.
  assert.ok(Math.abs(a.registered - Date.now()) < 15 * HOUR, `registered ${a.registered.toISOString()} is not now`);
  assert.equal(a.registeredAssociate?.associateId > 0, true, "registeredAssociate parsed");
  assert.equal(a.registeredAssociate.type, "InternalAssociate");
  hooks.a = a;
}, true);

await check("SaveWebhook creates a Stopped hook and one that will fail", async () => {
  hooks.b = await agent.saveWebhookAsync({ name: "b-" + tag, events: ["sale.created"], targetUrl: ok.url,
    state: WebhookState.Stopped, type: "webhook" });
  assert.ok(hooks.b.webhookId > hooks.a.webhookId);
  assert.equal(hooks.b.state, WebhookState.Stopped);
  hooks.c = await agent.saveWebhookAsync({ name: "c-" + tag, events: ["contact.created", "sale.created"],
    targetUrl: bad.url, secret: "s3cret-bad-" + tag, type: "webhook" });
  assert.equal(hooks.c.state, WebhookState.Active);
  assert.equal(hooks.c.secret, "s3cret-bad-" + tag);
}, true);

await check("GetWebhook parses what SaveWebhook stored", async () => {
  const g = await agent.getWebhookAsync(hooks.a.webhookId);
  for (const k of ["webhookId", "name", "events", "targetUrl", "secret", "state", "type", "headers", "properties", "errorsEmail"]) {
    assert.deepEqual(g[k], hooks.a[k], k);
  }
  assert.equal(g.registered.getTime(), hooks.a.registered.getTime());
});

await check("SaveWebhook updates (WebhookId != 0) and sets Updated", async () => {
  const u = await agent.saveWebhookAsync({ ...hooks.a, name: "a2-" + tag });
  assert.equal(u.webhookId, hooks.a.webhookId);
  assert.equal(u.name, "a2-" + tag);
  assert.equal(u.registered.getTime(), hooks.a.registered.getTime());
  assert.ok(isDate(u.updated) && u.updated >= u.registered, `updated ${u.updated}`);
  hooks.a = u;
});

await check("TestWebhook: Success true against a 200 target", async () => {
  const r = await agent.testWebhookAsync(hooks.a);
  assert.equal(r.success, true);
  assert.match(r.message, /200/);
});

await check("TestWebhook: Success false with the response in Message against a 500 target", async () => {
  await failWith(bad.id, 500, "boom-" + tag);
  const r = await agent.testWebhookAsync(hooks.c);
  assert.equal(r.success, false);
  assert.match(r.message, /500/);
  assert.match(r.message, new RegExp("boom-" + tag));
});

await check("SignalEvent delivers a signed call with the hook's header", async () => {
  assert.equal(await agent.signalEventAsync("contact.created", 42, { name: "Acme" }), "");
  const [call] = await callsOf(ok.id, "contact.created");
  assert.ok(call, "no contact.created call on the 200 channel");
  assert.equal(call.signature, "valid");
  assert.deepEqual(call.headers["X-Interop"], [tag]);
  const body = JSON.parse(call.body);
  assert.equal(body.PrimaryKey, 42);
  assert.equal(body.WebhookName, hooks.a.name);
});

await check("the failing hook turns TooManyErrors, parsed as the enum", async () => {
  let state;
  for (let i = 0; i < 100 && state !== WebhookState.TooManyErrors; i++) {
    state = (await agent.getWebhookAsync(hooks.c.webhookId)).state;
    if (state !== WebhookState.TooManyErrors) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(state, WebhookState.TooManyErrors);
});

await check("GetLastError: the failed response text; \"\" for a hook without errors", async () => {
  const msg = await agent.getLastErrorAsync(hooks.c.webhookId);
  assert.equal(typeof msg, "string");
  assert.match(msg, /500/);
  assert.match(msg, new RegExp("boom-" + tag));
  assert.equal(await agent.getLastErrorAsync(hooks.a.webhookId), "");
});

// Filters: among this run's hooks exactly the expected ones, and every hook
// returned (a reused target may hold others) passes the filter.
const mine = () => new Set(["a", "b", "c"].map((k) => hooks[k]?.webhookId));
async function filtered(args, want, pred) {
  const list = await agent.getAllWebhooksAsync(...args);
  assert.ok(Array.isArray(list), "not an array");
  for (const h of list) assert.ok(pred(h), `hook ${h.webhookId} (${h.name}) does not pass the filter`);
  assert.deepEqual(ids(list.filter((h) => mine().has(h.webhookId))), ids(want.map((k) => hooks[k])));
  return list;
}
await check("GetAllWebhooks nameFilter", () => filtered([hooks.a.name, null, WebhookState.Unknown], ["a"], (h) => h.name === hooks.a.name));
await check("GetAllWebhooks eventFilter", () => filtered([null, "sale.created", WebhookState.Unknown], ["b", "c"], (h) => h.events.includes("sale.created")));
await check("GetAllWebhooks statusFilter Stopped", () => filtered([null, null, WebhookState.Stopped], ["b"], (h) => h.state === WebhookState.Stopped));
await check("GetAllWebhooks statusFilter TooManyErrors", () => filtered([null, null, WebhookState.TooManyErrors], ["c"], (h) => h.state === WebhookState.TooManyErrors));
await check("GetAllWebhooks statusFilter Active (request-object form)", () =>
  filtered([{ nameFilter: null, eventFilter: null, statusFilter: WebhookState.Active }], ["a"], (h) => h.state === WebhookState.Active));
await check("GetAllWebhooks without filters parses Date objects", async () => {
  const list = await filtered([null, null, WebhookState.Unknown], ["a", "b", "c"], () => true);
  for (const h of list) assert.ok(isDate(h.registered) && h.registered.getFullYear() > 2000, `hook ${h.webhookId} registered ${h.registered}`);
});

await check("DeleteWebhook, then GetWebhook is null and GetLastError null", async () => {
  for (const k of ["a", "b", "c"]) assert.equal(await agent.deleteWebhookAsync(hooks[k].webhookId), "");
  assert.equal(await agent.getWebhookAsync(hooks.a.webhookId), null);
  assert.equal(await agent.getLastErrorAsync(hooks.a.webhookId), null);
  assert.deepEqual(await agent.getAllWebhooksAsync(hooks.a.name, null, WebhookState.Unknown), []);
});

done();
