// The "new channel" form of the channel list: makes a channel through the
// control API (id and secret optional) and opens it.

import { CONTROL, api } from './api.js';
import { $ } from './dom.js';

let created = () => {}; // what the page does with the new channel's id

// initNewChannel binds the form; onCreated runs with the new channel's id.
export function initNewChannel(onCreated) {
  created = onCreated;
  $('new-channel-toggle').addEventListener('click', () => {
    const form = $('new-channel');
    form.hidden = !form.hidden;
    if (!form.hidden) $('new-channel-id').focus();
  });
  $('new-channel').addEventListener('submit', (ev) => {
    ev.preventDefault();
    create();
  });
}

async function create() {
  const req = {};
  const id = $('new-channel-id').value.trim();
  const secret = $('new-channel-secret').value;
  if (id) req.id = id;
  if (secret) req.secret = secret;
  const err = $('new-channel-error');
  err.hidden = true;
  $('new-channel-create').disabled = true;
  try {
    const ch = await api('POST', `${CONTROL}/channels`, JSON.stringify(req));
    $('new-channel-id').value = '';
    $('new-channel-secret').value = '';
    $('new-channel').hidden = true;
    created(ch.id);
  } catch (e) {
    err.textContent = e.status ? `${e.status}: ${e.message}` : e.message;
    err.hidden = false;
  } finally {
    $('new-channel-create').disabled = false;
  }
}
