// The fault-script editor: the current channel's rule list as JSON, saved
// through the control API.

import { CONTROL, api, enc } from './api.js';
import { $, el, setText } from './dom.js';
import { state } from './state.js';

let saved = () => {}; // what a saved script does besides showing it

// initScriptEditor binds the editor's buttons and keys; onSaved runs after
// each save the receiver accepts.
export function initScriptEditor(onSaved) {
  saved = onSaved;
  $('script-save').addEventListener('click', saveScript);
  $('script-reload').addEventListener('click', () => {
    resetScript();
    loadScript(state.gen);
  });
  $('script-text').addEventListener('keydown', (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === 'Enter') saveScript();
  });
}

// resetScript clears the editor's error and warnings.
export function resetScript() {
  $('script-error').hidden = true;
  $('script-warnings').replaceChildren();
}

// formatScript shows a rule list one rule per line.
function formatScript(rules) {
  if (!rules || rules.length === 0) return '[]';
  return `[\n${rules.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]`;
}

// loadScript shows the current channel's fault script.
export async function loadScript(gen) {
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

// saveScript saves the edited script and shows it as the receiver runs it.
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
    saved();
  } catch (e) {
    if (gen !== state.gen) return;
    setText('script-status', 'not saved');
    err.textContent = e.status ? `${e.status}: ${e.message}` : e.message;
    err.hidden = false;
  } finally {
    $('script-save').disabled = false;
  }
}
