// DOM helpers of the inspector. Recorded data (bodies, headers, event
// names, e-mails ...) comes from whoever calls the receiver; it only ever
// enters the page through these helpers and textContent, as text nodes and
// attribute values, never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

export const $ = (id) => document.getElementById(id);

// el builds an element; attrs may hold class, dataset, title and any
// attribute; children are nodes or strings (which become text nodes).
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// svg builds an SVG element the way el builds an HTML one.
export function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  setAttrs(e, attrs);
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function setAttrs(e, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) e.dataset[dk] = String(dv);
    } else if (k === 'class') {
      e.setAttribute('class', v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      e.addEventListener(k.slice(2), v);
    } else {
      e.setAttribute(k, String(v));
    }
  }
}

export function setText(id, text) {
  $(id).textContent = text;
}

// dlRows fills a <dl> with one dt/dd pair per [name, value], leaving out
// empty values.
export function dlRows(dl, pairs) {
  dl.replaceChildren();
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    dl.append(el('dt', null, k), el('dd', null, v));
  }
}

// dropOldest removes the entries with the smallest seq from items, and
// their rows from the page, until items holds max; it returns their seqs.
export function dropOldest(items, rows, max) {
  const dropped = [];
  while (items.size > max) {
    const oldest = Math.min(...items.keys());
    items.delete(oldest);
    const tr = rows.get(oldest);
    if (tr) tr.remove();
    rows.delete(oldest);
    dropped.push(oldest);
  }
  return dropped;
}

// activateOnKey makes a table row act on Enter and Space as on a click.
export function activateOnKey(fn) {
  return (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      fn();
    }
  };
}

// copyText puts text on the clipboard and reports whether it did; where
// the Clipboard API is refused it selects a field holding the text and
// asks the browser to copy the selection.
export async function copyText(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!field) return false;
    field.focus();
    field.select();
    return document.execCommand('copy');
  }
}

// flash shows a short confirmation in a status element for a moment.
export function flash(node, text) {
  node.textContent = text;
  clearTimeout(node.flashTimer);
  node.flashTimer = setTimeout(() => { node.textContent = ''; }, 2500);
}
