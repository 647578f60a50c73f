// State the inspector's views share: the selected channel and its calls,
// the open tab and the state of both live streams.

import { $ } from './dom.js';

export const state = {
  current: null, // id of the selected channel
  gen: 0, // bumped on every channel switch, so late answers are dropped
  calls: new Map(), // seq -> call of the current channel
  selected: null, // seq of the call shown in the detail
  clearedUpTo: 0, // the open channel's calls up to this seq were cleared
  callConn: 'idle',
  mailConn: 'idle',
  tab: 'calls',
  needToken: false,
};

// setConn records the state of the calls or the mail stream and shows the
// one of the open tab.
export function setConn(which, s) {
  if (which === 'calls') state.callConn = s;
  else state.mailConn = s;
  const shown = state.tab === 'calls' ? state.callConn : state.mailConn;
  const c = $('conn');
  c.dataset.state = shown;
  c.textContent = shown;
}
