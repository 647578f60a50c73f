// hookcheck inspector: follows the receiver's channels and captured e-mails
// live through the control API and its server-sent event streams.
//
// Rule for everyone editing this file: recorded data (bodies, headers,
// event names, e-mails ...) comes from whoever calls the receiver. It is
// only ever put into the page as text: el() and text nodes, textContent,
// setAttribute. Never innerHTML, outerHTML, insertAdjacentHTML or
// document.write (a Go test greps for them).

const CONTROL = '/_hookcheck';
const TOKEN_KEY = 'hookcheck.controlToken';
const MAX_CALLS = 500; // calls kept on the page per channel (older ones drop off)
const MAX_MAILS = 500;
const TIMELINE_GROUPS = 16; // EventIds shown on the timeline, newest last
const CHANNEL_POLL_MS = 2000;
const VERDICTS = new Set(['valid', 'invalid', 'missing', 'unchecked']);
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);

const state = {
  channels: new Map(), // id -> channel info
  current: null, // id of the selected channel
  gen: 0, // bumped on every channel switch, so late answers are dropped
  calls: new Map(), // seq -> call of the current channel
  rows: new Map(), // seq -> <tr>
  selected: null, // seq of the call shown in the detail
  sigCache: new Map(), // seq -> signature check (current channel)
  es: null,
  callConn: 'idle',
  mailES: null,
  mailConn: 'idle',
  mails: new Map(),
  mailRows: new Map(),
  mailSelected: null,
  tab: 'calls',
  needToken: false,
  timelineQueued: false,
  channelsTimer: null,
};

// ---------------------------------------------------------------- DOM helpers

// el builds an element; attrs may hold class, dataset, title and any
// attribute; children are nodes or strings (which become text nodes).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  setAttrs(e, attrs);
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function setAttrs(e, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) e.dataset[dk] = String(dv);
    } else if (k === 'class') {
      e.setAttribute('class', v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      e.addEventListener(k.slice(2), v);
    } else {
      e.setAttribute(k, String(v));
    }
  }
}

function setText(id, text) {
  $(id).textContent = text;
}

// ---------------------------------------------------------------- formatting

// parseTime reads an RFC 3339 time with up to nanoseconds into ms.
function parseTime(s) {
  if (!s) return NaN;
  return Date.parse(String(s).replace(/(\.\d{3})\d+/, '$1'));
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

function fmtClock(ms) {
  if (!Number.isFinite(ms)) return '?';
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function fmtDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${trimZero((ms / 1000).toFixed(1))} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

// fmtOffset labels an attempt relative to the first attempt of its event.
function fmtOffset(ms) {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `+${Math.round(ms)}ms`;
  if (ms < 60000) return `+${trimZero((ms / 1000).toFixed(1))}s`;
  return `+${Math.floor(ms / 60000)}m${Math.round((ms % 60000) / 1000)}s`;
}

function trimZero(s) {
  return s.replace(/\.0$/, '');
}

// fmtTick labels a time-axis tick at ms from the first attempt, as finely
// as the tick step needs.
function fmtTick(ms, step) {
  if (ms <= 0) return '0s';
  if (step < 1000) return `+${String(Number((ms / 1000).toFixed(2)))}s`;
  if (ms < 60000) return `+${Math.round(ms / 1000)}s`;
  const s = Math.round((ms % 60000) / 1000);
  return `+${Math.floor(ms / 60000)}m${s ? `${s}s` : ''}`;
}

// clip shortens text to n characters with an ellipsis.
function clip(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function shortId(id) {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

function verdictClass(v) {
  return VERDICTS.has(v) ? v : 'unknown';
}

function badge(verdict) {
  const v = verdictClass(verdict);
  return el('span', { class: `badge sig-${v}`, dataset: { verdict: v }, title: `signature ${verdict || '?'}` }, verdict || '?');
}

// failed: what a sender counts as a failed attempt (not 200, or a fault).
function failed(c) {
  const r = c.response || {};
  return r.status !== 200 || !!r.fault;
}

function responseText(r) {
  r = r || {};
  if (r.fault) return r.status ? `fault ${r.fault} (${r.status})` : `fault ${r.fault}`;
  if (r.status) return String(r.status);
  return 'no answer';
}

// prettyJSON re-indents JSON text token by token, keeping every string and
// number exactly as sent (JSON.parse would round large numbers).
function prettyJSON(text) {
  let out = '';
  let indent = 0;
  let inString = false;
  let escaped = false;
  const nl = () => '\n' + '  '.repeat(indent);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    switch (ch) {
      case '"':
        inString = true;
        out += ch;
        break;
      case '{':
      case '[': {
        // Keep empty containers on one line.
        let j = i + 1;
        while (j < text.length && /\s/.test(text[j])) j++;
        if (text[j] === (ch === '{' ? '}' : ']')) {
          out += ch + text[j];
          i = j;
        } else {
          indent++;
          out += ch + nl();
        }
        break;
      }
      case '}':
      case ']':
        indent = Math.max(0, indent - 1);
        out += nl() + ch;
        break;
      case ',':
        out += ',' + nl();
        break;
      case ':':
        out += ': ';
        break;
      default:
        if (!/\s/.test(ch)) out += ch;
    }
  }
  return out;
}

// bodyView decides how to show a recorded body.
function bodyView(c) {
  if (c.bodyBase64) return { kind: `binary, ${c.bodySize} bytes, shown as base64`, text: c.bodyBase64 };
  const body = c.body || '';
  if (body === '') return { kind: 'empty', text: '' };
  const t = body.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      JSON.parse(t);
      return { kind: 'JSON, pretty-printed', text: prettyJSON(t) };
    } catch {
      // not JSON: shown raw below
    }
  }
  return { kind: 'raw', text: body };
}

// ---------------------------------------------------------------- control API

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

// takeTokenFromURL keeps a ?token= given once and removes it from the
// address bar (and history).
function takeTokenFromURL() {
  const u = new URL(location.href);
  if (!u.searchParams.has('token')) return;
  const t = u.searchParams.get('token');
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  u.searchParams.delete('token');
  history.replaceState(null, '', u.pathname + u.search + u.hash);
}

class APIError extends Error {
  constructor(status, message, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'same-origin' });
  } catch (err) {
    throw new APIError(0, `receiver unreachable: ${err.message}`, null);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const msg = data && typeof data.error === 'string' ? data.error : `${res.status} ${res.statusText}`;
    if (res.status === 401) askForToken();
    throw new APIError(res.status, msg, data);
  }
  return data;
}

function streamURL(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) q.set(k, String(v));
  const t = token();
  if (t) q.set('token', t); // EventSource cannot send headers
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

function enc(id) {
  return encodeURIComponent(id);
}

// ---------------------------------------------------------------- token prompt

function askForToken() {
  if (state.needToken) return;
  state.needToken = true;
  $('auth').hidden = false;
  $('auth-token').focus();
  setConn('calls', 'unauthorised');
}

function onTokenSubmit(ev) {
  ev.preventDefault();
  const t = $('auth-token').value.trim();
  if (!t) return;
  sessionStorage.setItem(TOKEN_KEY, t);
  $('auth-token').value = '';
  $('auth').hidden = true;
  state.needToken = false;
  refreshChannels();
  startMail();
  if (state.current) openChannel(state.current);
}

// ---------------------------------------------------------------- connection state

function setConn(which, s) {
  if (which === 'calls') state.callConn = s;
  else state.mailConn = s;
  const shown = state.tab === 'calls' ? state.callConn : state.mailConn;
  const c = $('conn');
  c.dataset.state = shown;
  c.textContent = shown;
}

// ---------------------------------------------------------------- channels

async function refreshChannels() {
  clearTimeout(state.channelsTimer);
  try {
    const list = await api('GET', `${CONTROL}/channels`);
    renderChannels(list.channels || []);
  } catch (err) {
    if (err.status === 401) return; // polling resumes once a token is given
  }
  clearTimeout(state.channelsTimer); // one poll pending at most
  state.channelsTimer = setTimeout(pollChannels, CHANNEL_POLL_MS);
}

function pollChannels() {
  if (document.hidden || state.needToken) {
    state.channelsTimer = setTimeout(pollChannels, CHANNEL_POLL_MS);
    return;
  }
  refreshChannels();
}

let channelsSoon = null;
function refreshChannelsSoon() {
  if (channelsSoon) return;
  channelsSoon = setTimeout(() => {
    channelsSoon = null;
    refreshChannels();
  }, 250);
}

function renderChannels(list) {
  const ul = $('channel-list');
  const seen = new Set();
  for (const ch of list) {
    seen.add(ch.id);
    state.channels.set(ch.id, ch);
    let li = ul.querySelector(`li[data-channel="${CSS.escape(ch.id)}"]`);
    if (!li) {
      const btn = el('button', { type: 'button', class: 'channel-btn', onclick: () => selectChannel(ch.id) },
        el('span', { class: 'name' }, ch.id),
        el('span', { class: 'lock' }),
        el('span', { class: 'count' }));
      li = el('li', { dataset: { channel: ch.id } }, btn);
      // keep the list ordered by id
      const after = [...ul.children].find((x) => x.dataset.channel > ch.id);
      ul.insertBefore(li, after || null);
    }
    li.querySelector('.count').textContent = String(ch.calls);
    li.querySelector('.lock').textContent = ch.hasSecret ? 'signed' : '';
    li.querySelector('.lock').title = ch.hasSecret ? 'has a secret: signatures are checked' : '';
    li.classList.toggle('selected', ch.id === state.current);
  }
  for (const li of [...ul.children]) {
    if (!seen.has(li.dataset.channel)) {
      state.channels.delete(li.dataset.channel);
      li.remove();
    }
  }
  $('no-channels').hidden = list.length > 0;
  if (state.current && state.channels.has(state.current)) renderChannelStats();
}

function selectChannel(id) {
  if (id === state.current && state.es) return;
  history.replaceState(null, '', `#/channels/${enc(id)}`);
  openChannel(id);
}

async function openChannel(id) {
  closeStream();
  const gen = ++state.gen;
  state.current = id;
  state.calls.clear();
  state.rows.clear();
  state.sigCache.clear();
  state.selected = null;
  $('calls-body').replaceChildren();
  $('detail').hidden = true;
  $('channel-empty').hidden = true;
  $('channel-main').hidden = false;
  $('script-error').hidden = true;
  $('script-warnings').replaceChildren();
  setText('script-status', '');
  setText('channel-title', id);
  for (const li of $('channel-list').children) li.classList.toggle('selected', li.dataset.channel === id);
  renderCallsEmpty();
  scheduleTimeline();
  let info;
  try {
    info = await api('GET', `${CONTROL}/channels/${enc(id)}`);
  } catch (err) {
    if (gen !== state.gen) return;
    setText('channel-url', '');
    setText('channel-stats', err.message);
    setConn('calls', err.status === 401 ? 'unauthorised' : 'closed');
    return;
  }
  if (gen !== state.gen) return;
  state.channels.set(id, info);
  setText('channel-url', info.url);
  $('channel-url').title = info.tlsUrl ? `HTTPS: ${info.tlsUrl}` : '';
  const secret = $('channel-secret');
  secret.textContent = info.hasSecret ? 'secret set: signatures checked' : 'no secret: unchecked';
  secret.className = `pill ${info.hasSecret ? 'pill-on' : 'pill-off'}`;
  renderChannelStats();
  loadScript(gen);
  const after = Math.max(0, (info.last || 0) - MAX_CALLS);
  const es = new EventSource(streamURL(`${CONTROL}/channels/${enc(id)}/stream`, { after }));
  state.es = es;
  setConn('calls', 'connecting');
  es.addEventListener('open', () => gen === state.gen && setConn('calls', 'live'));
  es.addEventListener('error', () => {
    if (gen !== state.gen) return;
    setConn('calls', es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  });
  es.addEventListener('call', (ev) => gen === state.gen && onCall(JSON.parse(ev.data)));
  es.addEventListener('update', (ev) => gen === state.gen && onCall(JSON.parse(ev.data)));
  es.addEventListener('gone', () => {
    if (gen !== state.gen) return;
    es.close();
    setConn('calls', 'channel deleted');
    setText('channel-stats', 'This channel was deleted.');
    refreshChannels();
  });
}

function closeStream() {
  if (state.es) {
    state.es.close();
    state.es = null;
  }
  setConn('calls', 'idle');
}

function renderChannelStats() {
  const info = state.channels.get(state.current);
  if (!info) return;
  const parts = [`${info.calls} held`];
  if (info.evicted) parts.push(`${info.evicted} evicted`);
  parts.push(`${info.rules} rule${info.rules === 1 ? '' : 's'}`);
  setText('channel-stats', parts.join(' · '));
}

// ---------------------------------------------------------------- calls

function onCall(c) {
  if (c.channel !== state.current) return;
  const isNew = !state.calls.has(c.seq);
  state.calls.set(c.seq, c);
  const row = callRow(c);
  const old = state.rows.get(c.seq);
  if (old) {
    old.replaceWith(row);
  } else {
    // newest first: before the first row with a smaller seq
    const body = $('calls-body');
    let before = null;
    for (const tr of body.children) {
      if (Number(tr.dataset.seq) < c.seq) {
        before = tr;
        break;
      }
    }
    body.insertBefore(row, before);
  }
  state.rows.set(c.seq, row);
  if (c.seq === state.selected) {
    row.classList.add('selected');
    renderDetail(c);
  }
  if (isNew) {
    trimCalls();
    refreshChannelsSoon();
  }
  renderCallsEmpty();
  scheduleTimeline();
}

function trimCalls() {
  while (state.calls.size > MAX_CALLS) {
    const oldest = Math.min(...state.calls.keys());
    state.calls.delete(oldest);
    const tr = state.rows.get(oldest);
    if (tr) tr.remove();
    state.rows.delete(oldest);
    state.sigCache.delete(oldest);
  }
}

function renderCallsEmpty() {
  $('calls-empty').hidden = state.calls.size > 0;
}

function callRow(c) {
  const r = c.response || {};
  const fail = failed(c);
  const eventId = c.eventId || '';
  const resp = el('td', { class: 'response' }, el('span', { class: `resp ${fail ? 'resp-fail' : 'resp-ok'}` }, responseText(r)));
  if (r.delayMs > 0) resp.append(el('span', { class: 'delay' }, ` · ${fmtDuration(r.delayMs)}`));
  const tr = el('tr', {
    class: fail ? 'fail' : 'ok',
    tabindex: '0',
    dataset: { seq: c.seq },
    onclick: () => selectCall(c.seq),
    onkeydown: (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        selectCall(c.seq);
      }
    },
  },
  el('td', { class: 'seq' }, `#${c.seq}`),
  el('td', { class: 'time', title: c.receivedAt }, fmtClock(parseTime(c.receivedAt))),
  el('td', { class: 'event' }, c.event || '—'),
  el('td', { class: 'eventid', title: eventId }, eventId ? shortId(eventId) : '—'),
  el('td', { class: 'retry' }, c.retry === null || c.retry === undefined ? '—' : String(c.retry)),
  el('td', { class: 'sig' }, badge(c.signature)),
  resp);
  if (c.seq === state.selected) tr.classList.add('selected');
  return tr;
}

function selectCall(seq) {
  const prev = state.rows.get(state.selected);
  if (prev) prev.classList.remove('selected');
  state.selected = seq;
  const row = state.rows.get(seq);
  if (row) row.classList.add('selected');
  const c = state.calls.get(seq);
  if (c) renderDetail(c);
  scheduleTimeline();
}

function dlRows(dl, pairs) {
  dl.replaceChildren();
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    dl.append(el('dt', null, k), el('dd', null, v));
  }
}

function renderDetail(c) {
  $('detail').hidden = false;
  const title = $('detail-title');
  title.replaceChildren(`Call #${c.seq} `, badge(c.signature));
  const when = parseTime(c.receivedAt);
  const size = `${c.bodySize} bytes${c.truncated ? ' (truncated at --max-body)' : ''}`;
  dlRows($('detail-meta'), [
    ['received', `${fmtClock(when)}  (${c.receivedAt})`],
    ['request', `${c.method} ${c.path}${c.query ? `?${c.query}` : ''}`],
    ['protocol', `${c.proto}${c.tls ? ' over TLS' : ''}`],
    ['from', c.remoteAddr],
    ['event', c.event || '—'],
    ['EventId', c.eventId || '—'],
    ['retry', c.retry === null || c.retry === undefined ? '—' : String(c.retry)],
    ['body size', size],
  ]);

  const hb = $('detail-headers').tBodies[0];
  hb.replaceChildren();
  const names = Object.keys(c.headers || {}).sort((a, b) => a.localeCompare(b));
  for (const name of names) {
    for (const v of c.headers[name] || []) {
      hb.append(el('tr', null, el('th', { scope: 'row' }, name), el('td', null, v)));
    }
  }

  const view = bodyView(c);
  setText('detail-body-kind', view.kind);
  setText('detail-body', view.text);

  const r = c.response || {};
  const rh = Object.entries(r.headers || {}).map(([k, vs]) => `${k}: ${(vs || []).join(', ')}`).join('\n');
  dlRows($('detail-response'), [
    ['answer', responseText(r)],
    ['delay', r.delayMs ? fmtDuration(r.delayMs) : '0'],
    ['rule', r.rule === -1 || r.rule === undefined ? 'default (no rule matched)' : `rule ${r.rule}`],
    ['headers', rh ? el('pre', { class: 'inline' }, rh) : ''],
    ['body', r.body ? el('pre', { class: 'inline' }, r.body) : ''],
  ]);
  renderSignature(c);
}

// renderSignature shows the verdict explained; the expected signature is
// asked from the receiver only for the call shown, and never the secret.
async function renderSignature(c) {
  const box = $('detail-signature');
  const cached = state.sigCache.get(c.seq);
  if (cached) {
    drawSignature(box, cached);
    return;
  }
  box.replaceChildren(el('p', { class: 'hint' }, 'checking…'));
  const gen = state.gen;
  try {
    const sc = await api('GET', `${CONTROL}/channels/${enc(state.current)}/calls/${c.seq}/signature`);
    if (gen !== state.gen) return;
    state.sigCache.set(c.seq, sc);
    if (state.selected === c.seq) drawSignature(box, sc);
  } catch (err) {
    if (gen !== state.gen || state.selected !== c.seq) return;
    box.replaceChildren(el('p', { class: 'error' }, `signature check unavailable: ${err.message}`));
  }
}

function drawSignature(box, sc) {
  const rows = [el('p', { id: 'sig-reason', class: 'reason' }, badge(sc.verdict), ' ', sc.reason)];
  const dl = el('dl', { class: 'meta sigvals' });
  dl.append(el('dt', null, 'received'),
    el('dd', null, sc.present ? el('code', { id: 'sig-received', class: sc.verdict === 'invalid' ? 'mismatch' : '' }, sc.received || '(empty)') : el('span', { id: 'sig-received', class: 'hint' }, `no ${sc.header} header`)));
  if (sc.expected) {
    dl.append(el('dt', null, 'expected'), el('dd', null, el('code', { id: 'sig-expected' }, sc.expected)));
  }
  rows.push(dl);
  box.replaceChildren(...rows);
}

// ---------------------------------------------------------------- timeline

function scheduleTimeline() {
  if (state.timelineQueued) return;
  state.timelineQueued = true;
  requestAnimationFrame(() => {
    state.timelineQueued = false;
    renderTimeline();
  });
}

const TICKS = [100, 250, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5];

function renderTimeline() {
  const box = $('timeline');
  const calls = [...state.calls.values()].sort((a, b) => a.seq - b.seq);
  renderSummary(calls);
  if (calls.length === 0) {
    box.replaceChildren(el('p', { class: 'placeholder small' }, 'Attempts will be drawn here, one row per EventId.'));
    return;
  }
  // group by EventId, ordered by first attempt; keep the newest groups
  const groups = new Map();
  for (const c of calls) {
    const key = c.eventId || '';
    if (!groups.has(key)) groups.set(key, { key, event: c.event, calls: [] });
    groups.get(key).calls.push(c);
  }
  let list = [...groups.values()];
  const hidden = Math.max(0, list.length - TIMELINE_GROUPS);
  list = list.slice(hidden);
  const shownCalls = list.flatMap((g) => g.calls);
  const times = shownCalls.map((c) => parseTime(c.receivedAt)).filter(Number.isFinite);
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  const span = Math.max(t1 - t0, 1000);
  t1 = t0 + span;
  const padT = span * 0.03;
  t0 -= padT;
  t1 += padT;

  const width = Math.max(box.clientWidth || 800, 480);
  const labelW = 230;
  const right = 16;
  const top = 26;
  const rowH = 28;
  const height = top + list.length * rowH + 8;
  const plotW = width - labelW - right;
  const x = (t) => labelW + ((t - t0) / (t1 - t0)) * plotW;

  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'attempts over time by EventId', class: 'timeline-svg' });
  root.append(svg('title', null, 'Attempts over time, one row per EventId; red marks a failed attempt (not 200, or a fault).'));

  // time axis, relative to the first shown attempt
  const first = Math.min(...times);
  const step = TICKS.find((s) => (t1 - t0) / s <= 8) || TICKS[TICKS.length - 1];
  const axis = svg('g', { class: 'axis' });
  for (let t = first; t <= t1; t += step) {
    const xx = x(t);
    axis.append(svg('line', { x1: xx, x2: xx, y1: top - 6, y2: height - 4, class: 'grid' }));
    axis.append(svg('text', { x: xx, y: top - 10, 'text-anchor': 'middle' }, fmtTick(t - first, step)));
  }
  root.append(axis);

  list.forEach((g, i) => {
    const y = top + i * rowH + rowH / 2;
    const row = svg('g', { class: 'group', dataset: { eventid: g.key } });
    if (i % 2 === 0) row.append(svg('rect', { x: 0, y: y - rowH / 2, width, height: rowH, class: 'band' }));
    const label = clip(g.key ? `${clip(g.event || '?', 18)} ${shortId(g.key)}` : `${clip(g.event || '?', 18)} (no EventId)`, 29);
    const fails = g.calls.filter(failed).length;
    row.append(svg('text', { x: 8, y: y + 4, class: 'label' }, svg('title', null, g.key || 'calls without X-SuperOffice-EventId'), label));
    row.append(svg('text', { x: labelW - 8, y: y + 4, 'text-anchor': 'end', class: fails ? 'tally tally-fail' : 'tally' }, `${g.calls.length - fails}/${g.calls.length}`));
    const xs = g.calls.map((c) => x(parseTime(c.receivedAt)));
    if (xs.length > 1) row.append(svg('line', { x1: Math.min(...xs), x2: Math.max(...xs), y1: y, y2: y, class: 'link' }));
    const g0 = parseTime(g.calls[0].receivedAt);
    let lastLabelX = -Infinity;
    g.calls.forEach((c, j) => {
      const xx = xs[j];
      const fail = failed(c);
      const off = parseTime(c.receivedAt) - g0;
      const tip = `#${c.seq} ${fmtOffset(off)} retry ${c.retry ?? '—'} → ${responseText(c.response)}${c.response && c.response.delayMs ? ` after ${fmtDuration(c.response.delayMs)}` : ''}; signature ${c.signature}`;
      const dot = svg('circle', {
        cx: xx, cy: y, r: c.seq === state.selected ? 7.5 : 6,
        class: `dot ${fail ? 'dot-fail' : 'dot-ok'}${c.seq === state.selected ? ' dot-selected' : ''}`,
        dataset: { seq: c.seq, outcome: fail ? 'fail' : 'ok' },
        tabindex: '0',
      }, svg('title', null, tip));
      dot.addEventListener('click', () => selectCall(c.seq));
      row.append(dot);
      if (fail) row.append(svg('path', { d: `M${xx - 3} ${y - 3} L${xx + 3} ${y + 3} M${xx + 3} ${y - 3} L${xx - 3} ${y + 3}`, class: 'cross' }));
      if (xx - lastLabelX >= 34) {
        row.append(svg('text', { x: xx, y: y - 9, 'text-anchor': 'middle', class: 'offset' }, fmtOffset(off)));
        lastLabelX = xx;
      }
    });
    root.append(row);
  });
  const parts = [root];
  if (hidden) parts.push(el('p', { class: 'hint' }, `${hidden} older EventId${hidden === 1 ? '' : 's'} not drawn.`));
  box.replaceChildren(...parts);
}

// renderSummary counts attempts and the current run of failures, the
// run-up to TooManyErrors.
function renderSummary(calls) {
  const p = $('timeline-summary');
  if (calls.length === 0) {
    p.replaceChildren();
    return;
  }
  const events = new Set(calls.map((c) => c.eventId || '')).size;
  const fails = calls.filter(failed).length;
  let streak = 0;
  for (let i = calls.length - 1; i >= 0 && failed(calls[i]); i--) streak++;
  let longest = 0;
  let run = 0;
  for (const c of calls) {
    run = failed(c) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  p.replaceChildren(
    `${calls.length} attempt${calls.length === 1 ? '' : 's'} · ${events} EventId${events === 1 ? '' : 's'} · `,
    el('span', { class: fails ? 'n-fail' : '' }, `${fails} failed`),
    ' · consecutive failures now ',
    el('strong', { id: 'fail-streak', class: streak ? 'n-fail' : 'n-ok' }, String(streak)),
    ` (longest ${longest})`,
  );
}

// ---------------------------------------------------------------- fault script

// formatScript shows a rule list one rule per line.
function formatScript(rules) {
  if (!rules || rules.length === 0) return '[]';
  return `[\n${rules.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]`;
}

async function loadScript(gen) {
  const id = state.current;
  setText('script-status', 'loading…');
  try {
    const res = await api('GET', `${CONTROL}/channels/${enc(id)}/script`);
    if (gen !== state.gen) return;
    $('script-text').value = formatScript(res.script);
    setText('script-status', '');
  } catch (err) {
    if (gen !== state.gen) return;
    setText('script-status', `could not load: ${err.message}`);
  }
}

async function saveScript() {
  const id = state.current;
  if (!id) return;
  const gen = state.gen;
  const err = $('script-error');
  const warnings = $('script-warnings');
  err.hidden = true;
  warnings.replaceChildren();
  setText('script-status', 'saving…');
  $('script-save').disabled = true;
  try {
    const res = await api('PUT', `${CONTROL}/channels/${enc(id)}/script`, $('script-text').value);
    if (gen !== state.gen) return;
    $('script-text').value = formatScript(res.script);
    setText('script-status', 'saved: the script as it runs now');
    for (const w of res.warnings || []) warnings.append(el('li', null, w));
    refreshChannelsSoon();
  } catch (e) {
    if (gen !== state.gen) return;
    setText('script-status', 'not saved');
    err.textContent = e.status ? `${e.status}: ${e.message}` : e.message;
    err.hidden = false;
  } finally {
    $('script-save').disabled = false;
  }
}

// ---------------------------------------------------------------- e-mail

async function startMail() {
  if (state.mailES) {
    state.mailES.close();
    state.mailES = null;
  }
  state.mails.clear();
  state.mailRows.clear();
  $('mail-body').replaceChildren();
  try {
    // cheap probe: is there an SMTP sink, and may we read it?
    await api('GET', `${CONTROL}/mail?after=18446744073709551615`);
  } catch (err) {
    const p = $('mail-unavailable');
    p.textContent = err.status === 404 ? 'This receiver has no SMTP listener (--smtp-listen off).' : `E-mails unavailable: ${err.message}`;
    p.hidden = false;
    setConn('mail', 'closed');
    return;
  }
  $('mail-unavailable').hidden = true;
  const es = new EventSource(streamURL(`${CONTROL}/mail/stream`, {}));
  state.mailES = es;
  setConn('mail', 'connecting');
  es.addEventListener('open', () => setConn('mail', 'live'));
  es.addEventListener('error', () => setConn('mail', es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  es.addEventListener('mail', (ev) => onMail(JSON.parse(ev.data)));
}

function onMail(m) {
  if (state.mails.has(m.seq)) return;
  state.mails.set(m.seq, m);
  const tr = el('tr', {
    tabindex: '0',
    dataset: { seq: m.seq },
    onclick: () => selectMail(m.seq),
    onkeydown: (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        selectMail(m.seq);
      }
    },
  },
  el('td', { class: 'seq' }, `#${m.seq}`),
  el('td', { class: 'time', title: m.receivedAt }, fmtClock(parseTime(m.receivedAt))),
  el('td', null, m.from || '—'),
  el('td', null, (m.to || []).join(', ')),
  el('td', { class: 'subject' }, m.subject || '(no subject)'));
  $('mail-body').prepend(tr);
  state.mailRows.set(m.seq, tr);
  while (state.mails.size > MAX_MAILS) {
    const oldest = Math.min(...state.mails.keys());
    state.mails.delete(oldest);
    const r = state.mailRows.get(oldest);
    if (r) r.remove();
    state.mailRows.delete(oldest);
  }
  setText('mail-count', String(state.mails.size));
  $('mail-empty').hidden = true;
}

function selectMail(seq) {
  const prev = state.mailRows.get(state.mailSelected);
  if (prev) prev.classList.remove('selected');
  state.mailSelected = seq;
  const m = state.mails.get(seq);
  if (!m) return;
  state.mailRows.get(seq).classList.add('selected');
  $('mail-detail').hidden = false;
  setText('mail-title', m.subject || '(no subject)');
  dlRows($('mail-meta'), [
    ['received', `${fmtClock(parseTime(m.receivedAt))}  (${m.receivedAt})`],
    ['from', m.from],
    ['to', (m.to || []).join(', ')],
    ['client', m.remoteAddr],
  ]);
  setText('mail-text', m.body || '');
  setText('mail-raw', m.raw || (m.rawBase64 ? `(not UTF-8; base64)\n${m.rawBase64}` : ''));
}

// ---------------------------------------------------------------- tabs

function showTab(tab) {
  state.tab = tab;
  $('tab-calls').setAttribute('aria-selected', String(tab === 'calls'));
  $('tab-mail').setAttribute('aria-selected', String(tab === 'mail'));
  $('calls-view').hidden = tab !== 'calls';
  $('mail-view').hidden = tab !== 'mail';
  setConn(tab, tab === 'calls' ? state.callConn : state.mailConn);
  if (tab === 'calls') scheduleTimeline();
}

// ---------------------------------------------------------------- start

function channelFromHash() {
  const m = /^#\/channels\/(.+)$/.exec(location.hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

function start() {
  takeTokenFromURL();
  $('auth').addEventListener('submit', onTokenSubmit);
  $('tab-calls').addEventListener('click', () => showTab('calls'));
  $('tab-mail').addEventListener('click', () => showTab('mail'));
  $('script-save').addEventListener('click', saveScript);
  $('script-reload').addEventListener('click', () => {
    $('script-error').hidden = true;
    $('script-warnings').replaceChildren();
    loadScript(state.gen);
  });
  $('script-text').addEventListener('keydown', (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === 'Enter') saveScript();
  });
  window.addEventListener('resize', scheduleTimeline);
  window.addEventListener('hashchange', () => {
    const id = channelFromHash();
    if (id && id !== state.current) openChannel(id);
  });
  refreshChannels();
  startMail();
  const id = channelFromHash();
  if (id) openChannel(id);
}

start();
