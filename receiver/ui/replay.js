// Replay: the call shown in the detail, sent again by the receiver to a
// URL the user gives (a browser may not send it to another origin
// itself); the answer is shown below the form.

import { CONTROL, api, enc } from './api.js';
import { $, dlRows, el, setText } from './dom.js';
import { fmtDuration } from './format.js';
import { state } from './state.js';

const URL_KEY = 'hookcheck.replayURL';

// initReplay binds the replay form.
export function initReplay() {
  $('replay-url').value = sessionStorage.getItem(URL_KEY) || '';
  $('replay-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    replay();
  });
}

// resetReplay clears the last answer, for another call.
export function resetReplay() {
  setText('replay-status', '');
  $('replay-error').hidden = true;
  $('replay-result').hidden = true;
}

async function replay() {
  const seq = state.selected;
  const url = $('replay-url').value.trim();
  if (!seq || !url) return;
  sessionStorage.setItem(URL_KEY, url);
  const gen = state.gen;
  resetReplay();
  setText('replay-status', 'sending…');
  $('replay-send').disabled = true;
  try {
    const res = await api('POST', `${CONTROL}/channels/${enc(state.current)}/calls/${seq}/replay`, JSON.stringify({ url }));
    if (gen !== state.gen || seq !== state.selected) return;
    setText('replay-status', `answered ${res.status} in ${fmtDuration(res.durationMs)}`);
    const headers = Object.entries(res.headers || {}).map(([k, vs]) => `${k}: ${(vs || []).join(', ')}`).join('\n');
    const body = res.bodyBase64 ? `(not UTF-8; base64)\n${res.bodyBase64}` : res.body;
    dlRows($('replay-answer'), [
      ['status', el('span', { id: 'replay-answer-status' }, String(res.status))],
      ['headers', headers ? el('pre', { class: 'inline' }, headers) : ''],
      ['body', body ? el('pre', { id: 'replay-answer-body', class: 'inline' }, body) : ''],
      ['', res.truncated ? 'body cut off at 1 MiB' : ''],
    ]);
    $('replay-result').hidden = false;
  } catch (err) {
    if (gen !== state.gen || seq !== state.selected) return;
    setText('replay-status', 'not replayed');
    $('replay-error').textContent = err.status ? `${err.status}: ${err.message}` : err.message;
    $('replay-error').hidden = false;
  } finally {
    $('replay-send').disabled = false;
  }
}
