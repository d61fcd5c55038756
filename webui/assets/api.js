// The JSON API client: session (cookie + CSRF token), app reads, actions and
// the server-sent events stream.

let csrf = '';
let me = { user: null, role: 'none', anonymous: true };

export function session() { return me; }
export function canOperate() { return me.role === 'operator' || me.role === 'admin'; }

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = { message: text }; }
  }
  if (!res.ok) {
    const err = new Error((data && (data.message || data.error)) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

export async function loadSession() {
  me = await request('GET', '/api/v1/session');
  csrf = me.csrfToken || '';
  return me;
}

export async function login(user, token) {
  me = await request('POST', '/api/v1/login', { user, token });
  csrf = me.csrfToken || '';
  return me;
}

export async function logout() {
  await request('POST', '/api/v1/logout', {});
  csrf = '';
  return loadSession();
}

const enc = encodeURIComponent;
export const listApps = () => request('GET', '/api/v1/apps');
export const getApp = (n) => request('GET', `/api/v1/apps/${enc(n)}`);
export const getResources = (n) => request('GET', `/api/v1/apps/${enc(n)}/resources`);
export const getHistory = (n) => request('GET', `/api/v1/apps/${enc(n)}/history`);
export const getDiff = (n) => request('GET', `/api/v1/apps/${enc(n)}/diff`);
export const refresh = (n) => request('POST', `/api/v1/apps/${enc(n)}/refresh`, {});
export const sync = (n, opts) => request('POST', `/api/v1/apps/${enc(n)}/sync`, opts);
export const rollback = (n, id) => request('POST', `/api/v1/apps/${enc(n)}/rollback`, { id });
export const releaseHold = (n) => request('POST', `/api/v1/apps/${enc(n)}/hold/release`, {});

// Calls onApp(app) for every app status change; reconnects by itself until
// the returned function is called.
export function subscribe(onApp, onState) {
  let es = null;
  let stopped = false;
  const open = () => {
    if (stopped) return;
    es = new EventSource('/api/v1/events');
    es.addEventListener('open', () => onState && onState(true));
    es.addEventListener('app', (e) => {
      try { onApp(JSON.parse(e.data)); } catch { /* ignore a malformed event */ }
    });
    es.addEventListener('error', () => {
      onState && onState(false);
      if (es.readyState === EventSource.CLOSED) setTimeout(open, 2000);
    });
  };
  open();
  return () => {
    stopped = true;
    if (es) es.close();
    onState && onState(false);
  };
}
