// The calls filter: by event name, by answer (ok, failed or one status)
// and by signature verdict. It hides the rows of the calls table that do
// not match and says how many are shown.

import { $, el } from './dom.js';
import { failed } from './format.js';

let changed = () => {}; // what a change of the filter does
const statuses = new Set(); // statuses seen, offered in the select

// initFilter binds the filter's fields; onChange runs after each change.
export function initFilter(onChange) {
  changed = onChange;
  for (const id of ['filter-event', 'filter-status', 'filter-signature']) {
    $(id).addEventListener('input', () => changed());
  }
  $('filter-reset').addEventListener('click', () => {
    $('filter-event').value = '';
    $('filter-status').value = '';
    $('filter-signature').value = '';
    changed();
  });
}

// resetFilter forgets the statuses seen, for another channel; the filter
// itself stays.
export function resetFilter() {
  statuses.clear();
  for (const o of [...$('filter-status').options]) if (o.dataset.status) o.remove();
}

// noteStatus offers a status seen on a call in the status select.
export function noteStatus(status) {
  if (!status || statuses.has(status)) return;
  statuses.add(status);
  const select = $('filter-status');
  const option = el('option', { value: String(status), dataset: { status } }, `status ${status}`);
  const after = [...select.options].find((o) => o.dataset.status && Number(o.dataset.status) > status);
  select.insertBefore(option, after || null);
}

// filterActive reports whether any part of the filter is set.
export function filterActive() {
  return !!($('filter-event').value.trim() || $('filter-status').value || $('filter-signature').value);
}

// matchesFilter reports whether call c passes the filter.
export function matchesFilter(c) {
  const event = $('filter-event').value.trim().toLowerCase();
  if (event && !(c.event || '').toLowerCase().includes(event)) return false;
  const status = $('filter-status').value;
  const r = c.response || {};
  if (status === 'ok' && failed(c)) return false;
  if (status === 'fail' && !failed(c)) return false;
  if (/^\d+$/.test(status) && r.status !== Number(status)) return false;
  const sig = $('filter-signature').value;
  return !sig || c.signature === sig;
}

// showFilterCount says how many of the held calls the filter shows.
export function showFilterCount(shown, total) {
  $('filter-count').textContent = filterActive() ? `${shown} of ${total} shown` : '';
  $('filter-reset').hidden = !filterActive();
}
