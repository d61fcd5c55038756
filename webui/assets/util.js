// DOM and formatting helpers. Every piece of user-controlled text reaches the
// page through textContent (never innerHTML), so it is always escaped.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') on(el, k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

// Handlers go through el._on so that patch() can hand a re-rendered node's
// handlers to the node already on the page.
function on(el, type, fn) {
  if (!el._on) el._on = {};
  if (!el._on[type]) el.addEventListener(type, (ev) => el._on[type](ev));
  el._on[type] = fn;
}

// Makes `old` (on the page) look like `neu` (just built) while keeping every
// node that did not change: a live update does not detach the button under
// the pointer, move the focus or the scroll position, nor close an open
// <details> the user opened.
export function patch(old, neu) {
  if (old.nodeType !== neu.nodeType || old.nodeName !== neu.nodeName) {
    old.replaceWith(neu);
    return;
  }
  if (old.nodeType === Node.TEXT_NODE) {
    if (old.nodeValue !== neu.nodeValue) old.nodeValue = neu.nodeValue;
    return;
  }
  if (old.nodeType !== Node.ELEMENT_NODE) {
    old.replaceWith(neu);
    return;
  }
  const keep = old.nodeName === 'DETAILS' ? new Set(['open']) : new Set();
  for (const a of [...old.attributes]) if (!keep.has(a.name) && !neu.hasAttribute(a.name)) old.removeAttribute(a.name);
  for (const a of [...neu.attributes]) {
    if (!keep.has(a.name) && old.getAttribute(a.name) !== a.value) old.setAttribute(a.name, a.value);
  }
  for (const type of Object.keys(old._on || {})) if (!(neu._on && neu._on[type])) old._on[type] = () => {};
  for (const [type, fn] of Object.entries(neu._on || {})) on(old, type, fn);
  patchChildren(old, [...neu.childNodes]);
}

// patch() over a parent's children.
export function patchChildren(parent, kids) {
  const old = [...parent.childNodes];
  const n = Math.min(old.length, kids.length);
  for (let i = 0; i < n; i++) patch(old[i], kids[i]);
  for (let i = n; i < old.length; i++) old[i].remove();
  for (let i = n; i < kids.length; i++) parent.appendChild(kids[i]);
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function shortSha(sha) {
  return sha ? String(sha).slice(0, 7) : '';
}

export function ago(iso) {
  if (!iso) return '';
  const t = Date.parse(iso);
  // The epoch (or earlier) is an unset time, not one 56 years ago.
  if (Number.isNaN(t) || t <= 0) return '';
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

const STATUS_CLASS = {
  Synced: 'ok', Healthy: 'ok', Succeeded: 'ok',
  OutOfSync: 'warn', Progressing: 'info', Running: 'info', Suspended: 'muted',
  Missing: 'warn', Unknown: 'muted', Interrupted: 'warn',
  Degraded: 'bad', Failed: 'bad', RolledBack: 'bad',
};

// A status is shown as colour plus text (and an icon glyph), never colour alone.
export function badge(status, title) {
  const s = status || 'Unknown';
  const glyph = { ok: '✓', warn: '!', info: '↻', bad: '✗', muted: '·' }[STATUS_CLASS[s] || 'muted'];
  return h('span', { class: `badge ${STATUS_CLASS[s] || 'muted'}`, title: title || s },
    h('span', { 'aria-hidden': 'true' }, glyph), ' ', s);
}

export function imageTag(image) {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 20);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

export function imageName(image) {
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  return colon > slash ? base.slice(0, colon) : base;
}

// Web URL of a commit when the repo URL is a known kind of host.
export function commitUrl(repo, sha) {
  if (!repo || !sha) return null;
  let m = /^(?:https?:\/\/)(?:[^@/]+@)?([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(repo)
    || /^(?:ssh:\/\/)?git@([^:/]+)[:/](?:\d+\/)?(.+?)(?:\.git)?$/.exec(repo);
  if (!m) return null;
  const host = m[1], path = m[2];
  if (/gitlab/i.test(host)) return `https://${host}/${path}/-/commit/${sha}`;
  if (/bitbucket/i.test(host)) return `https://${host}/${path}/commits/${sha}`;
  return `https://${host}/${path}/commit/${sha}`;
}

export function debounceFrame(fn) {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fn(); });
  };
}
