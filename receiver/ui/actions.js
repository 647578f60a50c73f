// The open channel's actions: copy its webhook URL, download its calls
// as HAR or JSON Lines (the export route), clear its calls.

import { CONTROL, api, download, enc } from './api.js';
import { $, copyText, flash } from './dom.js';
import { state } from './state.js';

const CONFIRM_MS = 4000; // how long "Clear" waits for the second click

let cleared = () => {}; // what the page does once the calls are cleared
let confirmTimer = null;

// initActions binds the buttons; onCleared runs after a clear with the
// last seq the channel had assigned.
export function initActions(onCleared) {
  cleared = onCleared;
  $('copy-url').addEventListener('click', async () => {
    const ok = await copyText($('channel-url').textContent, null);
    flash($('action-status'), ok ? 'URL copied' : 'copy refused: select the URL and copy it');
  });
  $('download-har').addEventListener('click', () => save('har'));
  $('download-jsonl').addEventListener('click', () => save('jsonl'));
  $('clear-calls').addEventListener('click', clearCalls);
}

// resetActions puts the buttons back, for another channel.
export function resetActions() {
  disarm();
  $('action-status').textContent = '';
}

async function save(format) {
  const id = state.current;
  try {
    await download(`${CONTROL}/channels/${enc(id)}/export?format=${format}`, `${id}.${format}`);
  } catch (err) {
    flash($('action-status'), `download failed: ${err.message}`);
  }
}

function disarm() {
  clearTimeout(confirmTimer);
  const b = $('clear-calls');
  b.dataset.armed = '';
  b.textContent = 'Clear calls';
}

// clearCalls asks for a second click, then has the receiver let go of the
// channel's calls.
async function clearCalls() {
  const b = $('clear-calls');
  if (!b.dataset.armed) {
    b.dataset.armed = 'yes';
    b.textContent = 'Click again to clear';
    confirmTimer = setTimeout(disarm, CONFIRM_MS);
    return;
  }
  disarm();
  const id = state.current;
  const gen = state.gen;
  try {
    const res = await api('DELETE', `${CONTROL}/channels/${enc(id)}/calls`);
    if (gen !== state.gen) return;
    cleared(res.last);
    flash($('action-status'), `${res.cleared} call${res.cleared === 1 ? '' : 's'} cleared`);
  } catch (err) {
    flash($('action-status'), `clear failed: ${err.message}`);
  }
}
