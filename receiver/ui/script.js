// The fault-script editor: the current channel's rule list as JSON, saved
// through the control API, and each rule's uses left (a rule with times
// answers that many matching calls), refreshed as calls arrive.

import { CONTROL, api, enc } from './api.js';
import { $, el, setText } from './dom.js';
import { state } from './state.js';

let saved = () => {}; // what a saved script does besides showing it
let usesTimer = null;

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
  $('script-uses').replaceChildren();
}

// renderUses lists each rule's uses left.
function renderUses(res) {
  const rules = res.script || [];
  const left = res.usesLeft || [];
  $('script-uses').replaceChildren(...rules.map((r, i) => {
    const n = left[i];
    const what = r.fault ? `fault ${typeof r.fault === 'string' ? r.fault : r.fault.type}` : `status ${(r.respond && r.respond.status) || 200}`;
    const uses = n === null || n === undefined ? 'no limit' : `${n} of ${r.times} use${r.times === 1 ? '' : 's'} left`;
    return el('li', { dataset: { rule: i, left: n ?? 'forever' }, class: n === 0 ? 'used-up' : '' }, `rule ${i} (${what}): ${uses}`);
  }));
}

// refreshUsesSoon reloads the uses left shortly, once for a burst of calls.
export function refreshUsesSoon(gen) {
  if (usesTimer) return;
  usesTimer = setTimeout(async () => {
    usesTimer = null;
    try {
      const res = await api('GET', `${CONTROL}/channels/${enc(state.current)}/script`);
      if (gen === state.gen) renderUses(res);
    } catch {
      // the next call tries again
    }
  }, 150);
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
    renderUses(res);
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
    renderUses(res);
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
