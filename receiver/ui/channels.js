// The channel list and the open channel: the list is polled, and the
// selected channel's calls are followed live through its event stream.
// With exactly one channel and none open, that one opens by itself.

import { resetActions } from './actions.js';
import { CONTROL, api, enc, streamURL } from './api.js';
import { MAX_CALLS, onCall, resetCalls } from './calls.js';
import { $, el, setText } from './dom.js';
import { loadScript, refreshUsesSoon, resetScript } from './script.js';
import { setConn, state } from './state.js';

const CHANNEL_POLL_MS = 2000;

const channels = new Map(); // id -> channel info
let es = null; // the open channel's event stream
let channelsTimer = null;
let channelsSoon = null;

// refreshChannels reloads the channel list and polls it again later.
export async function refreshChannels() {
  clearTimeout(channelsTimer);
  try {
    const list = await api('GET', `${CONTROL}/channels`);
    renderChannels(list.channels || []);
    renderWarnings(list.warnings || []);
  } catch (err) {
    if (err.status === 401) return; // polling resumes once a token is given
  }
  clearTimeout(channelsTimer); // one poll pending at most
  channelsTimer = setTimeout(pollChannels, CHANNEL_POLL_MS);
}

function pollChannels() {
  if (document.hidden || state.needToken) {
    channelsTimer = setTimeout(pollChannels, CHANNEL_POLL_MS);
    return;
  }
  refreshChannels();
}

// refreshChannelsSoon refreshes the list shortly, once for a burst of
// changes.
export function refreshChannelsSoon() {
  if (channelsSoon) return;
  channelsSoon = setTimeout(() => {
    channelsSoon = null;
    refreshChannels();
  }, 250);
}

// renderWarnings shows the receiver's warnings (a data directory that
// fails to take writes: calls are then kept in memory only) above the page.
function renderWarnings(warnings) {
  const p = $('warnings');
  p.replaceChildren(...warnings.map((w) => el('span', null, w)));
  p.hidden = warnings.length === 0;
}

function renderChannels(list) {
  const ul = $('channel-list');
  const seen = new Set();
  for (const ch of list) {
    seen.add(ch.id);
    channels.set(ch.id, ch);
    let li = ul.querySelector(`li[data-channel="${CSS.escape(ch.id)}"]`);
    if (!li) {
      const btn = el('button', { type: 'button', class: 'channel-btn', onclick: () => selectChannel(ch.id) },
        el('span', { class: 'name' }, ch.id),
        el('span', { class: 'lock' }),
        el('span', { class: 'count' }));
      li = el('li', { dataset: { channel: ch.id } }, btn);
      // keep the list ordered by id
      const after = [...ul.children].find((x) => x.dataset.channel > ch.id);
      ul.insertBefore(li, after || null);
    }
    li.querySelector('.count').textContent = String(ch.calls);
    li.querySelector('.lock').textContent = ch.hasSecret ? 'signed' : '';
    li.querySelector('.lock').title = ch.hasSecret ? 'has a secret: signatures are checked' : '';
    li.classList.toggle('selected', ch.id === state.current);
  }
  for (const li of [...ul.children]) {
    if (!seen.has(li.dataset.channel)) {
      channels.delete(li.dataset.channel);
      li.remove();
    }
  }
  $('no-channels').hidden = list.length > 0;
  if (state.current && channels.has(state.current)) renderChannelStats();
  if (!state.current && list.length === 1) selectChannel(list[0].id);
}

// selectChannel opens channel id and puts it into the address.
export function selectChannel(id) {
  if (id === state.current && es) return;
  history.replaceState(null, '', `#/channels/${enc(id)}`);
  openChannel(id);
}

// openChannel shows channel id and follows its calls live.
export async function openChannel(id) {
  closeStream();
  const gen = ++state.gen;
  state.current = id;
  state.clearedUpTo = 0;
  resetCalls();
  resetActions();
  $('channel-empty').hidden = true;
  $('channel-main').hidden = false;
  resetScript();
  setText('script-status', '');
  setText('channel-title', id);
  for (const li of $('channel-list').children) li.classList.toggle('selected', li.dataset.channel === id);
  let info;
  try {
    info = await api('GET', `${CONTROL}/channels/${enc(id)}`);
  } catch (err) {
    if (gen !== state.gen) return;
    setText('channel-url', '');
    setText('channel-stats', err.message);
    setConn('calls', err.status === 401 ? 'unauthorised' : 'closed');
    return;
  }
  if (gen !== state.gen) return;
  channels.set(id, info);
  setText('channel-url', info.url);
  $('channel-url').title = info.tlsUrl ? `HTTPS: ${info.tlsUrl}` : '';
  const secret = $('channel-secret');
  secret.textContent = info.hasSecret ? 'secret set: signatures checked' : 'no secret: unchecked';
  secret.className = `pill ${info.hasSecret ? 'pill-on' : 'pill-off'}`;
  renderChannelStats();
  loadScript(gen);
  const after = Math.max(0, (info.last || 0) - MAX_CALLS);
  const stream = new EventSource(streamURL(`${CONTROL}/channels/${enc(id)}/stream`, { after }));
  es = stream;
  setConn('calls', 'connecting');
  const show = (ev) => {
    if (gen !== state.gen) return;
    const c = JSON.parse(ev.data);
    if (c.seq <= state.clearedUpTo) return; // an update of a call cleared meanwhile
    if (onCall(c)) refreshChannelsSoon();
    refreshUsesSoon(gen);
  };
  stream.addEventListener('open', () => gen === state.gen && setConn('calls', 'live'));
  stream.addEventListener('error', () => {
    if (gen !== state.gen) return;
    setConn('calls', stream.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  });
  stream.addEventListener('call', show);
  stream.addEventListener('update', show);
  stream.addEventListener('gone', () => {
    if (gen !== state.gen) return;
    stream.close();
    setConn('calls', 'channel deleted');
    setText('channel-stats', 'This channel was deleted.');
    refreshChannels();
  });
}

function closeStream() {
  if (es) {
    es.close();
    es = null;
  }
  setConn('calls', 'idle');
}

// channelCleared empties the open channel's view once the receiver let
// go of its calls up to seq last.
export function channelCleared(last) {
  state.clearedUpTo = last;
  resetCalls();
  refreshChannelsSoon();
}

function renderChannelStats() {
  const info = channels.get(state.current);
  if (!info) return;
  const parts = [`${info.calls} held`];
  if (info.evicted) parts.push(`${info.evicted} evicted`);
  parts.push(`${info.rules} rule${info.rules === 1 ? '' : 's'}`);
  setText('channel-stats', parts.join(' · '));
}
