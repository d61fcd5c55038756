#!/usr/bin/env node
// Benchmark (not a test): the console's overview with 1,000 apps from a
// generated configuration. Real parts as in the browser tests (kubesim,
// a Git repository, `gitopsd serve`); Debian's chromium loads the console
// and the figure is browser time from navigation start to the
// `gitopsd:overview-filled` mark (the apps table filled with the apps' data:
// session, GET /api/v1/apps, parse, filter, sort, first page of rows), then to
// the next frame (painted). Also timed: one filter keystroke over all apps.
//
//   node bench_overview.mjs --gitopsd BIN --kubesim BIN --node-dir DIR
//                           [--apps 1000] [--runs 5] [--ready-minutes 30] [--keep]
import { parseArgs } from 'node:util';
import path from 'node:path';
import {
  Stack, Repo, SECRET_VALUES, baseFiles, overlayFiles, loadPlaywright, launchBrowser, waitFor,
} from './fixture.mjs';

const { values: opt } = parseArgs({
  options: {
    gitopsd: { type: 'string' },
    kubesim: { type: 'string' },
    'node-dir': { type: 'string', default: path.dirname(new URL(import.meta.url).pathname) },
    apps: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    'ready-minutes': { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
  },
});
if (!opt.gitopsd || !opt.kubesim) {
  console.error('usage: bench_overview.mjs --gitopsd BIN --kubesim BIN [--node-dir DIR] [--apps N] [--runs N]');
  process.exit(2);
}
const nApps = Number(opt.apps);
const runs = Number(opt.runs);
const ENVS = ['dev', 'staging', 'prod'];

const stack = new Stack({ gitopsd: opt.gitopsd, kubesim: opt.kubesim, keep: opt.keep });
let browser;
try {
  const repo = new Repo(stack.root);
  const files = { ...baseFiles(SECRET_VALUES[0]) };
  ENVS.forEach((env, i) => Object.assign(files, overlayFiles(env, `1.${i}.0`)));
  repo.write(files);
  repo.commitPush('bench: one base, three overlays');
  await stack.startKubesim();
  // N manual-sync apps over the three overlays, each in its own namespace:
  // nothing is applied, every app is refreshed (rendered and diffed).
  const apps = [];
  for (let i = 0; i < nApps; i++) {
    const env = ENVS[i % ENVS.length];
    apps.push({ name: `svc-${String(i).padStart(4, '0')}-${env}`, path: `overlays/${env}`, namespace: `team-${i}` });
  }
  await stack.writeConfig(repo, apps, { anonymous: 'viewer', workers: 2, poll: '1h' });
  const t0 = Date.now();
  await stack.startDaemon();
  // Measured once every app has been refreshed (/readyz), or after
  // --ready-minutes with the apps not refreshed yet still Unknown (a
  // sanitizer build on a loaded machine refreshes ~50 apps a minute).
  let ready = true;
  try {
    await waitFor('every app refreshed (/readyz)', async () => (await fetch(`${stack.base}/readyz`)).ok,
      { timeout: Number(opt['ready-minutes']) * 60 * 1000, interval: 1000 });
  } catch {
    ready = false;
  }
  const listed = await stack.api('GET', '/api/v1/apps');
  const bytes = JSON.stringify(listed.body).length;
  const refreshed = listed.body.items.filter((a) => a.sync.status !== 'Unknown').length;
  console.log(`gitopsd: ${refreshed} of ${nApps} apps refreshed${ready ? '' : ' (not ready yet)'} after ${((Date.now() - t0) / 1000).toFixed(1)}s; GET /api/v1/apps ${(bytes / 1024).toFixed(0)} KiB`);

  browser = await launchBrowser(loadPlaywright(opt['node-dir']), path.join(stack.root, 'chromium-profile'));
  const page = browser.pages()[0] || await browser.newPage();
  const filled = [];
  const painted = [];
  const filters = [];
  const fetches = [];
  const renders = [];
  for (let r = 0; r < runs; r++) {
    // A new document each run (a hash-only goto would keep the old one).
    await page.goto('about:blank');
    await page.goto(`${stack.base}/#/`, { waitUntil: 'commit' });
    const t = await page.evaluate(async () => {
      const mark = () => performance.getEntriesByName('gitopsd:overview-filled')[0];
      while (!mark()) await new Promise((res) => setTimeout(res, 5));
      await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
      const m = mark();
      const apps = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/api/v1/apps');
      return { filled: m.startTime, painted: performance.now(), detail: m.detail, appsStart: apps.startTime, appsEnd: apps.responseEnd };
    });
    if (t.detail.apps !== nApps) throw new Error(`the page shows ${t.detail.apps} apps, want ${nApps}`);
    const rows = await page.locator('table.apps tbody tr').count();
    // One keystroke in the filter: filter + sort over every app, one page of rows.
    const f = await page.evaluate(() => {
      const input = document.querySelector('.toolbar input[type=search]');
      const start = performance.now();
      input.value = 'prod';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return performance.now() - start;
    });
    filled.push(t.filled);
    painted.push(t.painted);
    filters.push(f);
    fetches.push(t.appsEnd - t.appsStart);
    renders.push(t.painted - t.appsEnd);
    console.log(`run ${r + 1}: table filled ${t.filled.toFixed(0)} ms, painted ${t.painted.toFixed(0)} ms after navigation `
      + `(GET /api/v1/apps ${t.appsStart.toFixed(0)}..${t.appsEnd.toFixed(0)} ms; data to painted ${(t.painted - t.appsEnd).toFixed(0)} ms; ${rows} rows in the DOM); `
      + `filter keystroke ${f.toFixed(1)} ms`);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`median of ${runs}, ${nApps} apps: navigation to table painted ${med(painted).toFixed(0)} ms `
    + `(min ${Math.min(...painted).toFixed(0)}, max ${Math.max(...painted).toFixed(0)}), of which GET /api/v1/apps ${med(fetches).toFixed(0)} ms `
    + `and data received to painted ${med(renders).toFixed(0)} ms; filter keystroke ${med(filters).toFixed(1)} ms`);
} finally {
  if (browser) await browser.close().catch(() => {});
  await stack.close();
}
