// The receiver's control API as the inspector calls it: the control token
// (kept in this tab's session storage), JSON requests and event-stream
// URLs.

export const CONTROL = '/_hookcheck';
const TOKEN_KEY = 'hookcheck.controlToken';

// unauthorised is called when the receiver answers 401; the page sets it
// to ask for the token.
let unauthorised = () => {};

// onUnauthorised sets what a 401 answer does.
export function onUnauthorised(fn) {
  unauthorised = fn;
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

// setToken keeps the control token for this tab.
export function setToken(t) {
  sessionStorage.setItem(TOKEN_KEY, t);
}

// takeTokenFromURL keeps a ?token= given once and removes it from the
// address bar (and history).
export function takeTokenFromURL() {
  const u = new URL(location.href);
  if (!u.searchParams.has('token')) return;
  const t = u.searchParams.get('token');
  if (t) setToken(t);
  u.searchParams.delete('token');
  history.replaceState(null, '', u.pathname + u.search + u.hash);
}

// APIError is a failed control call: status 0 when the receiver was not
// reached, else the HTTP status, with the receiver's error message.
export class APIError extends Error {
  constructor(status, message, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

// api makes one control call and returns its decoded JSON answer.
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'same-origin' });
  } catch (err) {
    throw new APIError(0, `receiver unreachable: ${err.message}`, null);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const msg = data && typeof data.error === 'string' ? data.error : `${res.status} ${res.statusText}`;
    if (res.status === 401) unauthorised();
    throw new APIError(res.status, msg, data);
  }
  return data;
}

// streamURL is the URL of an event stream with its query; the token goes
// into the query, since EventSource cannot send headers.
export function streamURL(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) q.set(k, String(v));
  const t = token();
  if (t) q.set('token', t); // EventSource cannot send headers
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function enc(id) {
  return encodeURIComponent(id);
}

// download fetches path with the control token and saves the answer as a
// file named name (a plain link cannot send the token).
export async function download(path, name) {
  const headers = {};
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let res;
  try {
    res = await fetch(path, { headers, cache: 'no-store', credentials: 'same-origin' });
  } catch (err) {
    throw new APIError(0, `receiver unreachable: ${err.message}`, null);
  }
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try {
      const data = await res.json();
      if (data && typeof data.error === 'string') msg = data.error;
    } catch {
      // not JSON: the status says enough
    }
    if (res.status === 401) unauthorised();
    throw new APIError(res.status, msg, null);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
