// The console's entry point: session, shared app state fed by the event
// stream, and a hash router over the views.
import * as api from './api.js';
import { h, clear, debounceFrame } from './util.js';
import { renderOverview } from './views/overview.js';
import { renderEnvironments } from './views/envs.js';
import { renderAppDetail, leaveAppDetail } from './views/app.js';
import { renderLogin } from './views/login.js';

export const state = {
  apps: new Map(),      // name -> app, as the API returns it
  loaded: false,
  live: false,          // event stream connected
  version: 0,           // bumps on every change; views re-render on it
};

const main = document.getElementById('main');
const banner = document.getElementById('banner');

export function showBanner(text, kind = 'info') {
  banner.textContent = text;
  banner.className = `banner ${kind}`;
  banner.hidden = !text;
}

function renderSession() {
  const el = clear(document.getElementById('session'));
  const me = api.session();
  if (me.user) {
    el.append(h('span', { class: 'who' }, `${me.user} (${me.role})`), ' ',
      h('button', { class: 'link', type: 'button', onclick: async () => {
        // The stream was opened with the session: end it with the session.
        stopEvents();
        await api.logout();
        renderSession();
        if (api.session().role !== 'none') { await loadApps(); startEvents(); } else { state.apps = new Map(); state.loaded = false; }
        route();
      } }, 'Log out'));
  } else {
    el.append(h('span', { class: 'who muted' }, me.role === 'viewer' ? 'anonymous viewer' : ''), ' ',
      h('a', { href: '#/login' }, 'Log in'));
  }
  const dot = h('span', { class: `live ${state.live ? 'on' : 'off'}`,
    title: state.live ? 'Live updates connected' : 'Live updates disconnected' },
  state.live ? '● live' : '○ offline');
  el.append(' ', dot);
}

function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const parts = hash.split('/').filter(Boolean).map(decodeURIComponent);
  return parts;
}

let renderCurrent = () => {};
let afterLogin = '#/';   // where a successful login goes: the page that needed it

// To the login page, remembering the page that needed it.
function toLogin() {
  if (!location.hash.startsWith('#/login')) afterLogin = location.hash || '#/';
  location.hash = '#/login';
}

export function route() {
  const parts = currentRoute();
  for (const a of document.querySelectorAll('[data-nav]')) {
    const active = (a.dataset.nav === 'envs' && parts[0] === 'envs')
      || (a.dataset.nav === 'overview' && (parts.length === 0 || parts[0] === 'apps'));
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const me = api.session();
  if (!(parts[0] === 'apps' && parts[1])) leaveAppDetail();
  if (parts[0] === 'login') {
    renderCurrent = (fresh) => fresh && renderLogin(main, async () => {
      stopEvents();
      await loadApps();
      startEvents();
      // Back to the page that asked for the login; the session shows last,
      // once the page is on its way (nothing after it moves the page).
      const next = afterLogin;
      afterLogin = '#/';
      location.hash = next;
      renderSession();
    });
  } else if (!me.user && me.role === 'none') {
    toLogin();
    return;
  } else if (parts[0] === 'envs') {
    renderCurrent = (fresh) => renderEnvironments(main, state, fresh);
  } else if (parts[0] === 'apps' && parts[1]) {
    renderCurrent = (fresh) => renderAppDetail(main, state, parts[1], fresh);
  } else {
    renderCurrent = (fresh) => renderOverview(main, state, fresh);
  }
  renderCurrent(true);
}

const rerender = debounceFrame(() => renderCurrent(false));

export function appChanged(app) {
  state.apps.set(app.name, app);
  state.version++;
  rerender();
}

async function loadApps() {
  try {
    const list = await api.listApps();
    state.apps = new Map(list.items.map((a) => [a.name, a]));
    state.loaded = true;
    state.version++;
    showBanner('');
  } catch (e) {
    if (e.status === 401) { toLogin(); return; }
    showBanner(`Cannot load apps: ${e.message}`, 'bad');
  }
}

let unsubscribe = null;

function onLive(live) {
  const was = state.live;
  state.live = live;
  if (live !== was) renderSession();
  if (live && !was && state.loaded) loadApps().then(rerender);
}

// Live updates, only for a caller who may read the apps (no 401 loop on the
// login page).
function startEvents() {
  if (!unsubscribe) unsubscribe = api.subscribe(appChanged, onLive);
}

function stopEvents() {
  if (unsubscribe) unsubscribe();
  unsubscribe = null;
}

async function start() {
  try {
    await api.loadSession();
  } catch (e) {
    showBanner(`Cannot reach gitopsd: ${e.message}`, 'bad');
  }
  renderSession();
  const me = api.session();
  if (me.user || me.role !== 'none') await loadApps();
  window.addEventListener('hashchange', route);
  route();
  if (me.user || me.role !== 'none') startEvents();
}

start();
