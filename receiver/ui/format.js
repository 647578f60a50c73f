// Formatting of recorded data for the inspector: times, durations,
// answers and bodies. Every function returns text; none builds markup.

// parseTime reads an RFC 3339 time with up to nanoseconds into ms.
export function parseTime(s) {
  if (!s) return NaN;
  return Date.parse(String(s).replace(/(\.\d{3})\d+/, '$1'));
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

export function fmtClock(ms) {
  if (!Number.isFinite(ms)) return '?';
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function fmtDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${trimZero((ms / 1000).toFixed(1))} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

// fmtOffset labels an attempt relative to the first attempt of its event.
export function fmtOffset(ms) {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `+${Math.round(ms)}ms`;
  if (ms < 60000) return `+${trimZero((ms / 1000).toFixed(1))}s`;
  return `+${Math.floor(ms / 60000)}m${Math.round((ms % 60000) / 1000)}s`;
}

function trimZero(s) {
  return s.replace(/\.0$/, '');
}

// fmtTick labels a time-axis tick at ms from the first attempt, as finely
// as the tick step needs.
export function fmtTick(ms, step) {
  if (ms <= 0) return '0s';
  if (step < 1000) return `+${String(Number((ms / 1000).toFixed(2)))}s`;
  if (ms < 60000) return `+${Math.round(ms / 1000)}s`;
  const s = Math.round((ms % 60000) / 1000);
  return `+${Math.floor(ms / 60000)}m${s ? `${s}s` : ''}`;
}

// clip shortens text to n characters with an ellipsis.
export function clip(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

export function shortId(id) {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

// failed: what a sender counts as a failed attempt (not 200, or a fault).
export function failed(c) {
  const r = c.response || {};
  return r.status !== 200 || !!r.fault;
}

export function responseText(r) {
  r = r || {};
  if (r.fault) return r.status ? `fault ${r.fault} (${r.status})` : `fault ${r.fault}`;
  if (r.status) return String(r.status);
  return 'no answer';
}

// prettyJSON re-indents JSON text token by token, keeping every string and
// number exactly as sent (JSON.parse would round large numbers).
function prettyJSON(text) {
  let out = '';
  let indent = 0;
  let inString = false;
  let escaped = false;
  const nl = () => '\n' + '  '.repeat(indent);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    switch (ch) {
      case '"':
        inString = true;
        out += ch;
        break;
      case '{':
      case '[': {
        // Keep empty containers on one line.
        let j = i + 1;
        while (j < text.length && /\s/.test(text[j])) j++;
        if (text[j] === (ch === '{' ? '}' : ']')) {
          out += ch + text[j];
          i = j;
        } else {
          indent++;
          out += ch + nl();
        }
        break;
      }
      case '}':
      case ']':
        indent = Math.max(0, indent - 1);
        out += nl() + ch;
        break;
      case ',':
        out += ',' + nl();
        break;
      case ':':
        out += ': ';
        break;
      default:
        if (!/\s/.test(ch)) out += ch;
    }
  }
  return out;
}

// bodyView decides how to show a recorded body.
export function bodyView(c) {
  if (c.bodyBase64) return { kind: `binary, ${c.bodySize} bytes, shown as base64`, text: c.bodyBase64 };
  const body = c.body || '';
  if (body === '') return { kind: 'empty', text: '' };
  const t = body.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      JSON.parse(t);
      return { kind: 'JSON, pretty-printed', text: prettyJSON(t) };
    } catch {
      // not JSON: shown raw below
    }
  }
  return { kind: 'raw', text: body };
}
