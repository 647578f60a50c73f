// The detail of one call, beside the calls table: what came in (headers
// as sent, body), its signature check explained, how the receiver
// answered, and what to do with it (copy as curl, replay).

import { CONTROL, api, enc } from './api.js';
import { curlCommand, headerFields } from './curl.js';
import { $, copyText, dlRows, el, flash, setText } from './dom.js';
import { bodyView, fmtClock, fmtDuration, parseTime, responseText } from './format.js';
import { resetReplay } from './replay.js';
import { state } from './state.js';

const VERDICTS = new Set(['valid', 'invalid', 'missing', 'unchecked']);
const sigCache = new Map(); // seq -> signature check (current channel)

// resetDetail hides the detail, for another channel.
export function resetDetail() {
  sigCache.clear();
  $('detail').hidden = true;
  $('detail-empty').hidden = false;
}

// forgetCall drops what the detail keeps of a call gone from the page.
export function forgetCall(seq) {
  sigCache.delete(seq);
}

// initDetail binds the detail's buttons.
export function initDetail() {
  $('curl-copy').addEventListener('click', async () => {
    const ok = await copyText($('curl-text').value, $('curl-text'));
    flash($('curl-status'), ok ? 'copied' : 'select the command and copy it');
  });
}

// renderDetail shows call c.
export function renderDetail(c) {
  const isOther = $('detail').dataset.seq !== String(c.seq);
  $('detail').hidden = false;
  $('detail').dataset.seq = String(c.seq);
  $('detail-empty').hidden = true;
  $('detail-title').replaceChildren(`Call #${c.seq} `, badge(c.signature));
  const size = `${c.bodySize} bytes${c.truncated ? ' (truncated at --max-body)' : ''}`;
  dlRows($('detail-meta'), [
    ['received', `${fmtClock(parseTime(c.receivedAt))}  (${c.receivedAt})`],
    ['request', `${c.method} ${c.path}${c.query ? `?${c.query}` : ''}`],
    ['protocol', `${c.proto}${c.tls ? ' over TLS' : ''}`],
    ['from', c.remoteAddr],
    ['event', c.event || '—'],
    ['EventId', c.eventId || '—'],
    ['retry', c.retry === null || c.retry === undefined ? '—' : String(c.retry)],
    ['body size', size],
  ]);

  const asSent = Array.isArray(c.rawHeaders) && c.rawHeaders.length > 0;
  setText('detail-headers-kind', asSent
    ? 'as sent: names in their case, in their order'
    : 'as Go reads them (canonical names, sorted): the bytes as sent are kept for plain HTTP/1.x calls only');
  $('detail-headers').dataset.form = asSent ? 'as-sent' : 'canonical';
  $('detail-headers').tBodies[0].replaceChildren(...headerFields(c).map((f) => el('tr', null, el('th', { scope: 'row' }, f.name), el('td', null, f.value))));

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
  $('curl-text').value = curlCommand(c);
  if (isOther) resetReplay();
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

// badge shows a signature verdict.
export function badge(verdict) {
  const v = VERDICTS.has(verdict) ? verdict : 'unknown';
  return el('span', { class: `badge sig-${v}`, dataset: { verdict: v }, title: `signature ${verdict || '?'}` }, verdict || '?');
}
