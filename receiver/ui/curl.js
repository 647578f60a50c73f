// Copy as curl: a call as a curl command that sends the same request
// again: its method, the URL it was sent to, its headers as sent (in the
// sender's case and order, when the receiver has them) and its exact body.

// Headers curl makes itself from the URL and the body it is given.
const CURL_SETS = new Set(['host', 'content-length', 'transfer-encoding']);

// shellQuote quotes s for a POSIX shell.
export function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

// callURL is the URL the call was sent to: its scheme, its Host header,
// its path and query.
export function callURL(c) {
  const host = headerFields(c).find((f) => f.name.toLowerCase() === 'host');
  const origin = host ? `${c.tls ? 'https' : 'http'}://${host.value}` : location.origin;
  return `${origin}${encodeURI(c.path || '/')}${c.query ? `?${c.query}` : ''}`;
}

// headerFields are the call's header lines, as sent when recorded so,
// else from the canonical map (sorted by name).
export function headerFields(c) {
  if (Array.isArray(c.rawHeaders) && c.rawHeaders.length) return c.rawHeaders;
  const out = [];
  for (const name of Object.keys(c.headers || {}).sort((a, b) => a.localeCompare(b))) {
    for (const value of c.headers[name] || []) out.push({ name, value });
  }
  return out;
}

// curlCommand returns the command for call c, one option per line.
export function curlCommand(c) {
  const lines = [];
  const binary = !!c.bodyBase64;
  if (c.truncated) lines.push(`# the body was cut off at --max-body: ${c.bodySize} bytes were sent, fewer were kept`);
  const hasBody = binary || (c.body || '') !== '';
  const start = binary ? `printf %s ${shellQuote(c.bodyBase64)} | base64 -d | curl` : 'curl';
  const parts = [`${start} -X ${shellQuote(c.method || 'POST')} ${shellQuote(callURL(c))}`];
  let hasUA = false;
  for (const f of headerFields(c)) {
    const lower = f.name.toLowerCase();
    if (CURL_SETS.has(lower)) continue;
    if (lower === 'user-agent') hasUA = true;
    // "Name;" is curl's way to send a header with an empty value
    parts.push(`-H ${shellQuote(f.value === '' ? `${f.name};` : `${f.name}: ${f.value}`)}`);
  }
  if (!hasUA) parts.push(`-H ${shellQuote('User-Agent:')}`); // the call had none: send none
  // curl adds these of its own unless told not to; the call had them or not
  for (const name of ['Accept', 'Expect']) {
    if (!headerFields(c).some((f) => f.name.toLowerCase() === name.toLowerCase())) parts.push(`-H ${shellQuote(`${name}:`)}`);
  }
  if (binary) parts.push('--data-binary @-');
  else if (hasBody) parts.push(`--data-raw ${shellQuote(c.body)}`);
  lines.push(parts.join(' \\\n  '));
  return lines.join('\n');
}
