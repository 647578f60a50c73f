// The calls view: the current channel's calls, newest first, and the
// detail of the selected one with its signature check.

import { CONTROL, api, enc } from './api.js';
import { $, activateOnKey, dlRows, dropOldest, el, setText } from './dom.js';
import { bodyView, failed, fmtClock, fmtDuration, parseTime, responseText, shortId } from './format.js';
import { state } from './state.js';
import { scheduleTimeline } from './timeline.js';

export const MAX_CALLS = 500; // calls kept on the page per channel (older ones drop off)
const VERDICTS = new Set(['valid', 'invalid', 'missing', 'unchecked']);

const rows = new Map(); // seq -> <tr>
const sigCache = new Map(); // seq -> signature check (current channel)

// resetCalls empties the view for another channel.
export function resetCalls() {
  state.calls.clear();
  rows.clear();
  sigCache.clear();
  state.selected = null;
  $('calls-body').replaceChildren();
  $('detail').hidden = true;
}

// onCall shows a call of the stream, new or updated, and reports whether
// it is new.
export function onCall(c) {
  if (c.channel !== state.current) return;
  const isNew = !state.calls.has(c.seq);
  state.calls.set(c.seq, c);
  const row = callRow(c);
  const old = rows.get(c.seq);
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
  rows.set(c.seq, row);
  if (c.seq === state.selected) {
    row.classList.add('selected');
    renderDetail(c);
  }
  if (isNew) trimCalls();
  renderCallsEmpty();
  scheduleTimeline();
  return isNew;
}

function trimCalls() {
  for (const seq of dropOldest(state.calls, rows, MAX_CALLS)) sigCache.delete(seq);
}

export function renderCallsEmpty() {
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
    onkeydown: activateOnKey(() => selectCall(c.seq)),
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

// selectCall shows call seq in the detail and marks it in the table and
// on the timeline.
export function selectCall(seq) {
  const prev = rows.get(state.selected);
  if (prev) prev.classList.remove('selected');
  state.selected = seq;
  const row = rows.get(seq);
  if (row) row.classList.add('selected');
  const c = state.calls.get(seq);
  if (c) renderDetail(c);
  scheduleTimeline();
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
  const cached = sigCache.get(c.seq);
  if (cached) {
    drawSignature(box, cached);
    return;
  }
  box.replaceChildren(el('p', { class: 'hint' }, 'checking…'));
  const gen = state.gen;
  try {
    const sc = await api('GET', `${CONTROL}/channels/${enc(state.current)}/calls/${c.seq}/signature`);
    if (gen !== state.gen) return;
    sigCache.set(c.seq, sc);
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

function verdictClass(v) {
  return VERDICTS.has(v) ? v : 'unknown';
}

function badge(verdict) {
  const v = verdictClass(verdict);
  return el('span', { class: `badge sig-${v}`, dataset: { verdict: v }, title: `signature ${verdict || '?'}` }, verdict || '?');
}
