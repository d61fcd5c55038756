// Environments: apps that share a base path across environments (e.g.
// overlays/dev, overlays/staging, overlays/prod of one repo) side by side:
// which version runs where, and which promotion is pending.
import { h, clear, badge, shortSha, imageTag, imageName } from '../util.js';

const ENV_ORDER = ['dev', 'development', 'test', 'qa', 'int', 'staging', 'stage', 'preprod', 'uat', 'prod', 'production'];

function envRank(env) {
  const i = ENV_ORDER.indexOf(env.toLowerCase());
  return i < 0 ? ENV_ORDER.length : i;
}

// "apps/shop/overlays/prod" -> {group: "apps/shop/overlays", env: "prod"}
export function splitEnvPath(path) {
  const p = (path || '').replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  return i < 0 ? { group: '', env: p || '.' } : { group: p.slice(0, i), env: p.slice(i + 1) };
}

export function groupEnvironments(apps) {
  const groups = new Map();
  for (const app of apps) {
    const { group, env } = splitEnvPath(app.path);
    const key = `${app.repo}\u0000${group}`;
    if (!groups.has(key)) groups.set(key, { repo: app.repo, base: group, envs: [] });
    groups.get(key).envs.push({ env, app });
  }
  const out = [...groups.values()].filter((g) => g.envs.length > 1);
  for (const g of out) g.envs.sort((a, b) => envRank(a.env) - envRank(b.env) || a.env.localeCompare(b.env));
  return out.sort((a, b) => (a.base + a.repo).localeCompare(b.base + b.repo));
}

function imageMap(app) {
  const m = new Map();
  for (const img of app.images || []) m.set(imageName(img), imageTag(img));
  return m;
}

// Images whose tag in `next` differs from `prev`: what promoting prev->next would change.
export function pendingPromotion(prev, next) {
  const a = imageMap(prev), b = imageMap(next);
  const out = [];
  for (const [name, tag] of a) if (b.has(name) && b.get(name) !== tag) out.push(`${name.split('/').pop()} ${b.get(name)} → ${tag}`);
  return out;
}

export function renderEnvironments(main, state) {
  clear(main);
  const groups = groupEnvironments([...state.apps.values()]);
  main.appendChild(h('h1', {}, 'Environments'));
  if (!groups.length) {
    main.appendChild(h('p', { class: 'muted' }, 'No app shares a base path with another (e.g. overlays/dev and overlays/prod of one repo).'));
    return;
  }
  for (const g of groups) {
    const cards = g.envs.map(({ env, app }, i) => {
      const prev = i > 0 ? g.envs[i - 1].app : null;
      const pending = prev ? pendingPromotion(prev, app) : [];
      return h('div', { class: 'envcard' },
        h('h3', {}, env, ' ', h('a', { href: `#/apps/${encodeURIComponent(app.name)}`, class: 'small' }, app.name)),
        h('div', {}, badge(app.sync?.status), ' ', badge(app.health?.status, app.health?.message),
          app.hold ? h('span', { class: 'tag hold' }, 'hold') : null),
        h('div', { class: 'small' }, 'revision ', h('code', {}, shortSha(app.sync?.revision) || '—'),
          app.commit ? h('span', { class: 'muted' }, ` ${(app.commit.message || '').split('\n')[0]}`) : null),
        h('ul', { class: 'imglist' }, (app.images || []).map((img) => h('li', { title: img },
          imageName(img).split('/').pop(), ':', h('strong', {}, imageTag(img))))),
        pending.length ? h('div', { class: 'pending' }, h('strong', {}, `Promotion pending from ${g.envs[i - 1].env}: `),
          pending.join(', ')) : (prev ? h('div', { class: 'muted small' }, `Same images as ${g.envs[i - 1].env}`) : null));
    });
    main.appendChild(h('section', { class: 'envgroup' },
      h('h2', {}, g.base || '(repo root)', h('span', { class: 'muted small' }, ` ${g.repo}`)),
      h('div', { class: 'envrow' }, cards)));
  }
}
