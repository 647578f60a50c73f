// hookcheck inspector: follows the receiver's channels and captured e-mails
// live through the control API and its server-sent event streams. This
// module starts the page; each view is a module of its own:
//
//   channels.js   the channel list and the open channel's live stream
//   newchannel.js the "new channel" form
//   actions.js    copy URL, download HAR / JSONL, clear the calls
//   filter.js     the calls filter (event, status, signature)
//   calls.js      the calls table
//   detail.js     the detail of one call, beside the table
//   curl.js       a call as a curl command
//   replay.js     a call sent again to a URL, by the receiver
//   timeline.js   attempts over time by EventId
//   script.js     the fault-script editor and each rule's uses left
//   mail.js       captured e-mails
//   api.js, dom.js, format.js, state.js  shared control API, DOM helpers,
//                 formatting and view state
//
// Rule for everyone editing these files: recorded data (bodies, headers,
// event names, e-mails ...) comes from whoever calls the receiver. It is
// only ever put into the page as text: el() and text nodes, textContent,
// setAttribute. Never innerHTML, outerHTML, insertAdjacentHTML or
// document.write (a Go test greps every module for them).

import { initActions } from './actions.js';
import { onUnauthorised, setToken, takeTokenFromURL } from './api.js';
import { applyFilter, selectCall } from './calls.js';
import { channelCleared, openChannel, refreshChannels, refreshChannelsSoon, selectChannel } from './channels.js';
import { initDetail } from './detail.js';
import { $ } from './dom.js';
import { initFilter } from './filter.js';
import { startMail } from './mail.js';
import { initNewChannel } from './newchannel.js';
import { initReplay } from './replay.js';
import { initScriptEditor } from './script.js';
import { setConn, state } from './state.js';
import { onSelectAttempt, scheduleTimeline } from './timeline.js';

// ---------------------------------------------------------------- token prompt

function askForToken() {
  if (state.needToken) return;
  state.needToken = true;
  $('auth').hidden = false;
  $('auth-token').focus();
  setConn('calls', 'unauthorised');
}

function onTokenSubmit(ev) {
  ev.preventDefault();
  const t = $('auth-token').value.trim();
  if (!t) return;
  setToken(t);
  $('auth-token').value = '';
  $('auth').hidden = true;
  state.needToken = false;
  refreshChannels();
  startMail();
  if (state.current) openChannel(state.current);
}

// ---------------------------------------------------------------- tabs

function showTab(tab) {
  state.tab = tab;
  $('tab-calls').setAttribute('aria-selected', String(tab === 'calls'));
  $('tab-mail').setAttribute('aria-selected', String(tab === 'mail'));
  $('calls-view').hidden = tab !== 'calls';
  $('mail-view').hidden = tab !== 'mail';
  setConn(tab, tab === 'calls' ? state.callConn : state.mailConn);
  if (tab === 'calls') scheduleTimeline();
}

// ---------------------------------------------------------------- start

function channelFromHash() {
  const m = /^#\/channels\/(.+)$/.exec(location.hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

function start() {
  takeTokenFromURL();
  onUnauthorised(askForToken);
  onSelectAttempt(selectCall);
  initScriptEditor(refreshChannelsSoon);
  initNewChannel((id) => {
    refreshChannels();
    selectChannel(id);
  });
  initActions(channelCleared);
  initFilter(applyFilter);
  initDetail();
  initReplay();
  $('auth').addEventListener('submit', onTokenSubmit);
  $('tab-calls').addEventListener('click', () => showTab('calls'));
  $('tab-mail').addEventListener('click', () => showTab('mail'));
  window.addEventListener('resize', scheduleTimeline);
  window.addEventListener('hashchange', () => {
    const id = channelFromHash();
    if (id && id !== state.current) openChannel(id);
  });
  refreshChannels();
  startMail();
  const id = channelFromHash();
  if (id) openChannel(id);
}

start();
