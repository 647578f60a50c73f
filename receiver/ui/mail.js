// The e-mail view: the mails the receiver's SMTP sink captured, newest
// first, and the selected one in full.

import { CONTROL, api, streamURL } from './api.js';
import { $, activateOnKey, dlRows, dropOldest, el, setText } from './dom.js';
import { fmtClock, parseTime } from './format.js';
import { setConn } from './state.js';

const MAX_MAILS = 500;

let mailES = null; // the mail event stream
const mails = new Map(); // seq -> mail
const mailRows = new Map(); // seq -> <tr>
let mailSelected = null; // seq of the mail shown

// startMail follows the captured e-mails live, if the receiver has an SMTP
// sink the page may read.
export async function startMail() {
  if (mailES) {
    mailES.close();
    mailES = null;
  }
  mails.clear();
  mailRows.clear();
  $('mail-body').replaceChildren();
  try {
    // cheap probe: is there an SMTP sink, and may we read it?
    await api('GET', `${CONTROL}/mail?after=18446744073709551615`);
  } catch (err) {
    const p = $('mail-unavailable');
    p.textContent = err.status === 404 ? 'This receiver has no SMTP listener (--smtp-listen off).' : `E-mails unavailable: ${err.message}`;
    p.hidden = false;
    setConn('mail', 'closed');
    return;
  }
  $('mail-unavailable').hidden = true;
  const es = new EventSource(streamURL(`${CONTROL}/mail/stream`, {}));
  mailES = es;
  setConn('mail', 'connecting');
  es.addEventListener('open', () => setConn('mail', 'live'));
  es.addEventListener('error', () => setConn('mail', es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  es.addEventListener('mail', (ev) => onMail(JSON.parse(ev.data)));
}

function onMail(m) {
  if (mails.has(m.seq)) return;
  mails.set(m.seq, m);
  const tr = el('tr', {
    tabindex: '0',
    dataset: { seq: m.seq },
    onclick: () => selectMail(m.seq),
    onkeydown: activateOnKey(() => selectMail(m.seq)),
  },
  el('td', { class: 'seq' }, `#${m.seq}`),
  el('td', { class: 'time', title: m.receivedAt }, fmtClock(parseTime(m.receivedAt))),
  el('td', null, m.from || '—'),
  el('td', null, (m.to || []).join(', ')),
  el('td', { class: 'subject' }, m.subject || '(no subject)'));
  $('mail-body').prepend(tr);
  mailRows.set(m.seq, tr);
  dropOldest(mails, mailRows, MAX_MAILS);
  setText('mail-count', String(mails.size));
  $('mail-empty').hidden = true;
}

function selectMail(seq) {
  const prev = mailRows.get(mailSelected);
  if (prev) prev.classList.remove('selected');
  mailSelected = seq;
  const m = mails.get(seq);
  if (!m) return;
  mailRows.get(seq).classList.add('selected');
  $('mail-detail').hidden = false;
  setText('mail-title', m.subject || '(no subject)');
  dlRows($('mail-meta'), [
    ['received', `${fmtClock(parseTime(m.receivedAt))}  (${m.receivedAt})`],
    ['from', m.from],
    ['to', (m.to || []).join(', ')],
    ['client', m.remoteAddr],
  ]);
  setText('mail-text', m.body || '');
  setText('mail-raw', m.raw || (m.rawBase64 ? `(not UTF-8; base64)\n${m.rawBase64}` : ''));
}
