// App detail: status, actions (sync with dry-run/prune and a confirmation
// naming what would be pruned, refresh, release hold), the operation in
// progress with per-object progress, resources, diffs (Secrets arrive masked
// from the server) and history with a Rollback button per entry.
import * as api from '../api.js';
import { h, clear, patchChildren, badge, shortSha, ago, commitUrl } from '../util.js';
import { showBanner } from '../app.js';

const view = { state: null, name: null, resources: null, history: null, diff: null, diffMode: 'unified', loading: false, seen: null };

function idText(id) {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

async function loadDetails(name) {
  view.loading = true;
  const [r, hi, d] = await Promise.allSettled([api.getResources(name), api.getHistory(name), api.getDiff(name)]);
  if (view.name !== name) return;
  view.resources = r.status === 'fulfilled' ? r.value.items : [];
  view.history = hi.status === 'fulfilled' ? hi.value.items : [];
  view.diff = d.status === 'fulfilled' ? d.value.items : [];
  view.loading = false;
}

async function act(label, fn) {
  try {
    const res = await fn();
    showBanner(`${label}: accepted${res && res.id ? ` (operation ${res.id})` : ''}`, 'ok');
  } catch (e) {
    showBanner(`${label} failed: ${e.message}`, 'bad');
  }
}

function syncDialog(app) {
  const prunes = (view.diff || []).filter((d) => d.change === 'removed');
  const dry = h('input', { type: 'checkbox', id: 'sync-dry' });
  const prune = h('input', { type: 'checkbox', id: 'sync-prune', checked: !!app.prune });
  const rev = h('input', { id: 'sync-rev', placeholder: app.revision || 'HEAD', 'aria-label': 'Revision' });
  const pruneList = h('div', { class: 'prunelist' });
  const updatePrune = () => {
    clear(pruneList);
    if (prune.checked && prunes.length) {
      pruneList.append(h('p', {}, h('strong', {}, `This sync will delete ${prunes.length} object(s):`)),
        h('ul', {}, prunes.map((p) => h('li', {}, idText(p.id)))));
    } else if (prune.checked) {
      pruneList.append(h('p', { class: 'muted' }, 'Nothing to prune.'));
    }
  };
  prune.addEventListener('change', updatePrune);
  updatePrune();
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'sync-title' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'sync-title' }, `Sync ${app.name}`),
      h('label', { for: 'sync-rev' }, 'Revision (empty = target)'), rev,
      h('label', { class: 'check' }, dry, ' Dry run (change nothing)'),
      h('label', { class: 'check' }, prune, ' Prune objects that left the repository'),
      pruneList,
      h('div', { class: 'actions' },
        h('button', { value: 'cancel', type: 'submit' }, 'Cancel'),
        h('button', { value: 'ok', type: 'submit', class: 'primary', id: 'sync-confirm' }, 'Sync'))));
  dlg.addEventListener('close', () => {
    if (dlg.returnValue === 'ok') {
      const opts = { dryRun: dry.checked, prune: prune.checked };
      if (rev.value.trim()) opts.revision = rev.value.trim();
      act('Sync', () => api.sync(app.name, opts));
    }
    dlg.remove();
  });
  document.body.appendChild(dlg);
  dlg.showModal();
}

function actions(app) {
  if (!api.canOperate()) return h('p', { class: 'muted small' }, 'Log in as an operator to sync or roll back.');
  return h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'primary', id: 'btn-sync', onclick: () => syncDialog(app) }, 'Sync…'),
    h('button', { type: 'button', id: 'btn-refresh', onclick: () => act('Refresh', () => api.refresh(app.name)) }, 'Refresh'),
    app.hold ? h('button', { type: 'button', id: 'btn-release', onclick: () => act('Release hold', () => api.releaseHold(app.name)) }, 'Release hold') : null);
}

function operationPanel(op) {
  if (!op) return null;
  const items = op.resources || [];
  return h('section', { class: 'panel' },
    h('h2', {}, 'Last operation ', badge(op.phase, op.message)),
    h('p', { class: 'small' }, `#${op.id} · ${op.initiator || ''} · revision `, h('code', {}, shortSha(op.revision)),
      ` · started ${ago(op.startedAt)}`, op.finishedAt ? ` · finished ${ago(op.finishedAt)}` : ''),
    op.message ? h('p', { class: op.phase === 'Succeeded' ? '' : 'error' }, op.message) : null,
    items.length ? h('div', {}, h('progress', { max: items.length, value: items.filter((r) => r.status && r.status !== 'Pending').length }),
      h('ul', { class: 'oplist' }, items.map((r) => h('li', {}, badge(r.status || 'Pending'), ' ', idText(r), r.message ? h('span', { class: 'muted' }, ` ${r.message}`) : null))))
      : null);
}

function resourcesPanel() {
  const rows = view.resources || [];
  return h('section', { class: 'panel' }, h('h2', {}, `Resources (${rows.length})`),
    h('div', { class: 'tablewrap' }, h('table', { class: 'resources' },
      h('thead', {}, h('tr', {}, ['Kind', 'Namespace', 'Name', 'Sync', 'Health', 'Message'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', {},
        h('td', {}, r.kind), h('td', {}, r.namespace || ''), h('td', {}, r.name),
        h('td', {}, badge(r.syncStatus || r.sync?.status || r.status)), h('td', {}, badge(r.health?.status || r.health, r.health?.message)),
        h('td', { class: 'small' }, r.health?.message || r.message || '')))
        : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, view.loading ? 'Loading…' : 'No resources.'))))));
}

function valueText(v) {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function diffLines(text) {
  return h('pre', { class: 'unified' }, text.split('\n').map((line) => h('span', {
    class: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '',
  }, `${line}\n`)));
}

function diffTable(paths) {
  return h('table', { class: 'split' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Field'), h('th', {}, 'Live'), h('th', {}, 'Desired'))),
    h('tbody', {}, (paths || []).map((p) => h('tr', {},
      h('td', {}, h('code', {}, p.path)),
      h('td', { class: 'del' }, valueText(p.old)),
      h('td', { class: 'add' }, valueText(p.new))))));
}

function diffItem(d, open) {
  return h('details', { class: 'diff', open },
    h('summary', {}, badge(d.change === 'removed' ? 'Missing' : 'OutOfSync', d.change), ' ', d.change, ' ', idText(d.id)),
    view.diffMode === 'unified' && d.unified ? diffLines(d.unified) : diffTable(d.paths));
}

function diffPanel() {
  const items = (view.diff || []).filter((d) => d.change !== 'unchanged');
  const toggle = h('div', { class: 'seg', role: 'group', 'aria-label': 'Diff layout' },
    ['unified', 'split'].map((m) => h('button', {
      type: 'button', 'aria-pressed': view.diffMode === m ? 'true' : 'false',
      onclick: () => { view.diffMode = m; rerenderDetail(); },
    }, m === 'unified' ? 'Unified' : 'Side by side')));
  return h('section', { class: 'panel' }, h('h2', {}, `Diff (${items.length} object(s))`, ' ', toggle),
    items.length ? items.map((d) => diffItem(d, items.length <= 5))
      : h('p', { class: 'muted' }, view.loading ? 'Loading…' : 'No differences.'));
}

function historyPanel(app) {
  const rows = view.history || [];
  const can = api.canOperate();
  return h('section', { class: 'panel' }, h('h2', {}, `History (${rows.length})`),
    h('div', { class: 'tablewrap' }, h('table', { class: 'history' },
      h('thead', {}, h('tr', {}, ['#', 'When', 'Initiator', 'Revision', 'Phase', 'Message', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((e) => {
        const url = commitUrl(app.repo, e.revision || e.commit);
        return h('tr', {},
          h('td', {}, e.id), h('td', { title: e.startedAt || '' }, ago(e.startedAt)), h('td', {}, e.initiator || ''),
          h('td', {}, url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, shortSha(e.revision)) : h('code', {}, shortSha(e.revision)),
            e.commitMessage ? h('div', { class: 'muted small' }, e.commitMessage.split('\n')[0]) : null),
          h('td', {}, badge(e.phase, e.message)), h('td', { class: 'small' }, e.message || ''),
          h('td', {}, can && e.phase === 'Succeeded' && e.revision ? h('button', { type: 'button', class: 'rollback', dataset: { id: e.id },
            onclick: () => { if (confirm(`Roll ${app.name} back to ${shortSha(e.revision)}? The app is put on hold at that revision.`)) act('Rollback', () => api.rollback(app.name, e.id)); } }, 'Rollback') : null));
      })))));
}

let lastMain = null;
function rerenderDetail() { if (lastMain && view.name && view.state) draw(lastMain, view.state); }

function draw(main, state) {
  const app = state.apps.get(view.name);
  if (!app) {
    patchChildren(main, [h('p', { class: state.loaded ? 'error' : 'muted' }, state.loaded ? `No app named "${view.name}".` : 'Loading…')]);
    return;
  }
  const url = commitUrl(app.repo, app.sync?.revision);
  // Live updates patch the page in place (util.js patch); a missing panel
  // (null) is left out.
  patchChildren(main, [
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Apps'), ' / ', app.name),
    h('header', { class: 'apphead' },
      h('h1', {}, app.name, ' ', badge(app.sync?.status), ' ', badge(app.health?.status, app.health?.message),
        app.hold ? h('span', { class: 'tag hold', id: 'hold-badge', title: app.hold.reason || '' }, `hold @ ${shortSha(app.hold.revision)}`) : null),
      h('p', { class: 'small' }, `${app.cluster}${app.namespace ? ` / ${app.namespace}` : ''} · ${app.repo} · ${app.path} @ ${app.revision || 'HEAD'} · synced `,
        url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, shortSha(app.sync?.revision)) : h('code', {}, shortSha(app.sync?.revision) || '—'),
        app.autoSync ? ' · auto-sync' : ' · manual sync'),
      app.commit ? h('p', { class: 'small' }, h('strong', {}, (app.commit.message || '').split('\n')[0]), ` — ${app.commit.author || ''}, ${ago(app.commit.time)}`) : null,
      app.health?.message ? h('p', { class: 'small muted' }, app.health.message) : null,
      app.error ? h('p', { class: 'error', role: 'alert' }, app.error) : null,
      actions(app)),
    operationPanel(app.operation),
    resourcesPanel(), diffPanel(), historyPanel(app)].filter(Boolean));
}

// Draws once the details arrive, unless the page moved on meanwhile (to
// another route or another app): a late answer must not paint over it.
function drawWhenLoaded(main, state, name) {
  loadDetails(name).then(() => { if (view.name === name && lastMain === main) draw(main, state); });
}

export function renderAppDetail(main, state, name, fresh) {
  view.state = state;
  lastMain = main;
  if (fresh !== false || view.name !== name) {
    Object.assign(view, { name, resources: null, history: null, diff: null, seen: state.apps.get(name) });
    draw(main, state);
    drawWhenLoaded(main, state, name);
    return;
  }
  // Reload resources, diff and history only when this app changed (the
  // stream also brings every other app's changes).
  const app = state.apps.get(name);
  if (view.seen !== app) {
    view.seen = app;
    drawWhenLoaded(main, state, name);
  }
  draw(main, state);
}

// The router calls this when it shows any other page.
export function leaveAppDetail() {
  view.name = null;
  lastMain = null;
}
