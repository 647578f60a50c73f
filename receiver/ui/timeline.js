// The timeline view: the current channel's attempts over time, one row
// per EventId (and one per call without an EventId), with a summary of
// the run-up to TooManyErrors.

import { $, el, svg } from './dom.js';
import { clip, failed, fmtDuration, fmtOffset, fmtTick, parseTime, responseText, shortId } from './format.js';
import { state } from './state.js';

const TIMELINE_GROUPS = 16; // EventIds shown on the timeline, newest last

let queued = false; // a redraw is pending
let selectCall = () => {}; // what a click on an attempt does

// onSelectAttempt sets what a click on an attempt does (show that call).
export function onSelectAttempt(fn) {
  selectCall = fn;
}

// scheduleTimeline redraws the timeline at the next frame, once however
// often it is asked.
export function scheduleTimeline() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    renderTimeline();
  });
}

const TICKS = [100, 250, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5];

// renderTimeline draws the current channel's attempts, one row per EventId.
function renderTimeline() {
  const box = $('timeline');
  const calls = [...state.calls.values()].sort((a, b) => a.seq - b.seq);
  renderSummary(calls);
  if (calls.length === 0) {
    box.replaceChildren(el('p', { class: 'placeholder small' }, 'Attempts will be drawn here, one row per EventId.'));
    return;
  }
  // group by EventId, ordered by first attempt; keep the newest groups.
  // A call without an EventId cannot be told to belong to any other: it
  // has a row of its own.
  const groups = new Map();
  for (const c of calls) {
    const key = c.eventId ? `id:${c.eventId}` : `seq:${c.seq}`;
    if (!groups.has(key)) groups.set(key, { key, eventId: c.eventId || '', event: c.event, calls: [] });
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
    const row = svg('g', { class: 'group', dataset: { eventid: g.eventId, group: g.key } });
    if (i % 2 === 0) row.append(svg('rect', { x: 0, y: y - rowH / 2, width, height: rowH, class: 'band' }));
    const label = clip(g.eventId ? `${clip(g.event || '?', 18)} ${shortId(g.eventId)}` : `${clip(g.event || '?', 18)} (no EventId)`, 29);
    const fails = g.calls.filter(failed).length;
    row.append(svg('text', { x: 8, y: y + 4, class: 'label' }, svg('title', null, g.eventId || `call #${g.calls[0].seq}, without X-SuperOffice-EventId`), label));
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
  if (hidden) parts.push(el('p', { class: 'hint' }, `${hidden} older row${hidden === 1 ? '' : 's'} not drawn.`));
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
  const events = new Set(calls.filter((c) => c.eventId).map((c) => c.eventId)).size;
  const noId = calls.filter((c) => !c.eventId).length;
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
    `${calls.length} attempt${calls.length === 1 ? '' : 's'} · ${events} EventId${events === 1 ? '' : 's'}${noId ? ` · ${noId} without` : ''} · `,
    el('span', { class: fails ? 'n-fail' : '' }, `${fails} failed`),
    ' · consecutive failures now ',
    el('strong', { id: 'fail-streak', class: streak ? 'n-fail' : 'n-ok' }, String(streak)),
    ` (longest ${longest})`,
  );
}
