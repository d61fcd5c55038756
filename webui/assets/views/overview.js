// Overview: every app as a row, with filters, sort, counts and pagination
// (fast with 1,000 apps: only one page of rows is in the DOM).
import { h, clear, patchChildren, badge, shortSha, ago, imageTag, imageName, commitUrl } from '../util.js';

const ui = { text: '', health: '', sync: '', cluster: '', sort: 'name', dir: 1, page: 0, pageSize: 100 };
let built = null;  // {root, tbody, counts, pager, ...} kept across live updates

const SORTS = {
  name: (a) => a.name,
  health: (a) => a.health?.status || '',
  sync: (a) => a.sync?.status || '',
  cluster: (a) => `${a.cluster}/${a.namespace}`,
  age: (a) => a.commit?.time || '',
};

function matches(app) {
  if (ui.health && app.health?.status !== ui.health) return false;
  if (ui.sync && app.sync?.status !== ui.sync) return false;
  if (ui.cluster && app.cluster !== ui.cluster) return false;
  if (ui.text) {
    const t = ui.text.toLowerCase();
    const hay = [app.name, app.namespace, app.cluster, app.path, app.repo, app.commit?.message,
      app.commit?.author, ...(app.images || [])].join(' ').toLowerCase();
    if (!hay.includes(t)) return false;
  }
  return true;
}

function shaLink(repo, sha, title) {
  const url = commitUrl(repo, sha);
  return url ? h('a', { href: url, rel: 'noopener noreferrer', target: '_blank', class: 'sha', title }, shortSha(sha))
    : h('code', { class: 'sha', title }, shortSha(sha) || '—');
}

// "main@<target> → <synced>": what the repository says and what the cluster runs.
function revisionCell(app) {
  const synced = app.sync?.revision;
  const target = app.commit?.sha;
  return h('td', { class: 'rev' },
    h('div', {}, h('span', { class: 'muted' }, app.revision || 'HEAD'),
      target ? ['@', shaLink(app.repo, target, 'target commit')] : null, ' → ',
      shaLink(app.repo, synced, 'synced commit (running in the cluster)')),
    app.commit ? h('div', { class: 'commit', title: app.commit.message || '' },
      (app.commit.message || '').split('\n')[0]) : null,
    app.commit ? h('div', { class: 'muted small' }, `${app.commit.author || ''} · ${ago(app.commit.time)}`) : null);
}

function row(app) {
  const op = app.operation;
  return h('tr', { dataset: { app: app.name } },
    h('td', {}, h('a', { href: `#/apps/${encodeURIComponent(app.name)}`, class: 'appname' }, app.name),
      app.autoSync ? h('span', { class: 'tag', title: 'Automatic sync' }, 'auto') : null,
      app.hold ? h('span', { class: 'tag hold', title: `On hold at ${app.hold.revision}: ${app.hold.reason || ''}` }, 'hold') : null),
    h('td', {}, app.cluster, h('div', { class: 'muted small' }, app.namespace || '')),
    revisionCell(app),
    h('td', { class: 'images' }, (app.images || []).map((img) =>
      h('div', { title: img }, h('span', { class: 'muted' }, imageName(img).split('/').pop()), ':', imageTag(img)))),
    h('td', { class: 'stat' }, badge(app.sync?.status)),
    h('td', { class: 'stat' }, badge(app.health?.status, app.health?.message)),
    h('td', {}, op ? [badge(op.phase, op.message), h('div', { class: 'muted small' },
      `${op.initiator || ''} · ${ago(op.finishedAt || op.startedAt)}`)] : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'error' }, app.error ? h('span', { title: app.error }, app.error) : null));
}

function counts(apps) {
  const c = { total: apps.length };
  for (const a of apps) {
    for (const s of [a.health?.status, a.sync?.status]) if (s) c[s] = (c[s] || 0) + 1;
  }
  return c;
}

function build(main, state) {
  clear(main);
  const clusters = [...new Set([...state.apps.values()].map((a) => a.cluster))].sort();
  const select = (label, key, options) => h('label', {}, label, ' ',
    h('select', { onchange: (e) => { ui[key] = e.target.value; ui.page = 0; refresh(); } },
      h('option', { value: '' }, 'all'),
      options.map((o) => h('option', { value: o, selected: ui[key] === o }, o))));
  const search = h('input', { type: 'search', placeholder: 'Filter by name, image, commit…',
    value: ui.text, 'aria-label': 'Filter apps',
    oninput: (e) => { ui.text = e.target.value; ui.page = 0; refresh(); } });
  const head = (label, key) => h('th', { scope: 'col' },
    key ? h('button', { type: 'button', class: 'sort', onclick: () => {
      ui.dir = ui.sort === key ? -ui.dir : 1; ui.sort = key; refresh();
    } }, label, ui.sort === key ? (ui.dir > 0 ? ' ▲' : ' ▼') : '') : label);
  const tbody = h('tbody');
  const countsEl = h('div', { class: 'counts', 'aria-live': 'polite' });
  const pager = h('div', { class: 'pager' });
  const root = h('section', { class: 'overview' },
    h('div', { class: 'toolbar' }, search,
      select('Health', 'health', ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']),
      select('Sync', 'sync', ['Synced', 'OutOfSync', 'Unknown']),
      select('Cluster', 'cluster', clusters)),
    countsEl,
    h('div', { class: 'tablewrap' }, h('table', { class: 'apps' },
      h('thead', {}, h('tr', {}, head('App', 'name'), head('Cluster', 'cluster'), head('Revision', 'age'),
        head('Images'), head('Sync', 'sync'), head('Health', 'health'), head('Last operation'), head('Error'))),
      tbody)),
    pager);
  main.appendChild(root);
  built = { root, tbody, countsEl, pager, state };
}

function refresh() {
  if (!built) return;
  const { tbody, countsEl, pager, state } = built;
  const all = [...state.apps.values()];
  const c = counts(all);
  // Live updates patch the rows and counts in place (util.js patch): the DOM
  // under the pointer, a text selection and keyboard focus survive them.
  patchChildren(countsEl, [h('span', {}, `${c.total} apps`),
    ...['Healthy', 'Progressing', 'Degraded', 'Missing', 'Synced', 'OutOfSync'].filter((s) => c[s])
      .map((s) => h('button', { type: 'button', class: 'countbtn', onclick: () => {
        if (['Synced', 'OutOfSync'].includes(s)) ui.sync = ui.sync === s ? '' : s;
        else ui.health = ui.health === s ? '' : s;
        ui.page = 0; build(built.root.parentNode, state); refresh();
      } }, badge(s), ` ${c[s]}`))]);
  const key = SORTS[ui.sort];
  const rows = all.filter(matches).sort((a, b) => (key(a) < key(b) ? -ui.dir : key(a) > key(b) ? ui.dir : 0));
  const pages = Math.max(1, Math.ceil(rows.length / ui.pageSize));
  ui.page = Math.min(ui.page, pages - 1);
  const slice = rows.slice(ui.page * ui.pageSize, (ui.page + 1) * ui.pageSize);
  const trs = slice.map(row);
  if (!slice.length) trs.push(h('tr', {}, h('td', { colspan: 8, class: 'muted' },
    state.loaded ? 'No app matches.' : 'Loading…')));
  patchChildren(tbody, trs);
  // Browser time from navigation to the first table filled with the apps'
  // data (tests/browser/bench_overview.mjs reads it).
  if (state.loaded && !performance.getEntriesByName('gitopsd:overview-filled').length) {
    performance.mark('gitopsd:overview-filled', { detail: { apps: all.length, rows: slice.length } });
  }
  clear(pager);
  if (pages > 1) {
    pager.append(
      h('button', { type: 'button', disabled: ui.page === 0, onclick: () => { ui.page--; refresh(); } }, '‹ Prev'),
      h('span', {}, ` Page ${ui.page + 1} of ${pages} (${rows.length} apps) `),
      h('button', { type: 'button', disabled: ui.page >= pages - 1, onclick: () => { ui.page++; refresh(); } }, 'Next ›'));
  }
}

export function renderOverview(main, state, fresh) {
  if (fresh !== false || !built || !main.contains(built.root)) build(main, state);
  built.state = state;
  refresh();
}
