// The calls view: the current channel's calls, newest first, filtered;
// a click shows a call in the detail beside the table (detail.js).

import { badge, forgetCall, renderDetail, resetDetail } from './detail.js';
import { $, activateOnKey, dropOldest, el } from './dom.js';
import { matchesFilter, noteStatus, resetFilter, showFilterCount } from './filter.js';
import { failed, fmtClock, fmtDuration, parseTime, responseText, shortId } from './format.js';
import { state } from './state.js';
import { scheduleTimeline } from './timeline.js';

export const MAX_CALLS = 500; // calls kept on the page per channel (older ones drop off)

const rows = new Map(); // seq -> <tr>

// resetCalls empties the view, for another channel (or a cleared one).
export function resetCalls() {
  state.calls.clear();
  rows.clear();
  state.selected = null;
  $('calls-body').replaceChildren();
  resetDetail();
  resetFilter();
  renderCallsEmpty();
  scheduleTimeline();
}

// onCall shows a call of the stream, new or updated, and reports whether
// it is new.
export function onCall(c) {
  if (c.channel !== state.current) return false;
  const isNew = !state.calls.has(c.seq);
  state.calls.set(c.seq, c);
  noteStatus((c.response || {}).status);
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
  if (c.seq === state.selected) renderDetail(c);
  if (isNew) trimCalls();
  renderCallsEmpty();
  scheduleTimeline();
  return isNew;
}

function trimCalls() {
  for (const seq of dropOldest(state.calls, rows, MAX_CALLS)) forgetCall(seq);
}

// applyFilter shows the rows the filter lets through and hides the rest.
export function applyFilter() {
  for (const [seq, tr] of rows) tr.hidden = !matchesFilter(state.calls.get(seq));
  renderCallsEmpty();
}

export function renderCallsEmpty() {
  let shown = 0;
  for (const tr of rows.values()) if (!tr.hidden) shown++;
  $('calls-empty').hidden = state.calls.size > 0;
  $('calls-filtered').hidden = state.calls.size === 0 || shown > 0;
  showFilterCount(shown, state.calls.size);
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
  tr.hidden = !matchesFilter(c);
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
