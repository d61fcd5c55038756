#!/usr/bin/env node
// Browser tests of the web console (issue 7): Debian's chromium driven by
// playwright-core against real parts (kubesim over HTTPS, a Git repository,
// `gitopsd serve`). The scenarios run in order on one stack, like a person
// would use it; each prints PASS/FAIL and the last line is "N passed, M failed".
//
//   node run.mjs --gitopsd BIN --kubesim BIN (or --bin-dir BUILD/bin)
//                --node-dir DIR_WITH_node_modules --artifacts DIR [--docs-screenshots DIR] [--keep]
//                [--assets-dir webui/assets]   (serve the console from the source
//                 tree instead of the binary: for iterating on it without a rebuild)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  Stack, Repo, TOKENS, SECRET_VALUES, baseFiles, overlayFiles, loadPlaywright, launchBrowser, waitFor, sleep,
} from './fixture.mjs';

const { values: opt } = parseArgs({
  options: {
    'bin-dir': { type: 'string' },
    gitopsd: { type: 'string' },
    kubesim: { type: 'string' },
    'node-dir': { type: 'string', default: path.dirname(new URL(import.meta.url).pathname) },
    artifacts: { type: 'string' },
    'docs-screenshots': { type: 'string' },
    keep: { type: 'boolean', default: false },
    'assets-dir': { type: 'string' },
  },
});
const bins = {
  gitopsd: opt.gitopsd || (opt['bin-dir'] && path.join(opt['bin-dir'], 'gitopsd')),
  kubesim: opt.kubesim || (opt['bin-dir'] && path.join(opt['bin-dir'], 'kubesim')),
};
if (!bins.gitopsd || !bins.kubesim || !opt.artifacts) {
  console.error('usage: run.mjs (--gitopsd BIN --kubesim BIN | --bin-dir DIR) --artifacts DIR [--node-dir DIR] [--docs-screenshots DIR] [--keep]');
  process.exit(2);
}
fs.mkdirSync(opt.artifacts, { recursive: true });

const b64 = (s) => Buffer.from(s).toString('base64');
// Every form a Secret value could leak in: plain, base64 (the data field as stored).
const FORBIDDEN = SECRET_VALUES.flatMap((v) => [v, b64(v), `key-${v}`, b64(`key-${v}`)]);

const ctx = {};

async function shot(page, name, { fullPage = true } = {}) {
  const file = path.join(opt.artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  if (opt['docs-screenshots']) {
    fs.mkdirSync(opt['docs-screenshots'], { recursive: true });
    fs.copyFileSync(file, path.join(opt['docs-screenshots'], `${name}.png`));
  }
}

// The whole page: visible text, the DOM (attributes such as title= included)
// and every open <details>' content.
async function assertNoSecret(page, where) {
  const text = await page.evaluate(() => document.body.innerText);
  const html = await page.content();
  for (const v of FORBIDDEN) {
    if (text.includes(v) || html.includes(v)) throw new Error(`${where}: a Secret value (${v.slice(0, 6)}…) is in the page`);
  }
}

async function login(page, user, token) {
  await page.goto(`${ctx.stack.base}/#/login`);
  await page.locator('#login-user').fill(user);
  await page.locator('#login-token').fill(token);
  await page.locator('form.login button[type=submit]').click();
  await page.locator('.session .who', { hasText: user }).waitFor({ timeout: 15000 });
}

async function logout(page) {
  await page.locator('.session button', { hasText: 'Log out' }).click();
  await page.locator('.session a', { hasText: 'Log in' }).waitFor({ timeout: 10000 });
}

function appRow(page, name) {
  return page.locator(`table.apps tr[data-app="${name}"]`);
}

async function rowText(page, name) {
  return (await appRow(page, name).innerText()).replace(/\s+/g, ' ');
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.html': 'text/html' };
async function serveAssetsFrom(browser, dir) {
  await browser.route(/\/assets\/[0-9a-f]+\/.+/, (route) => {
    const name = new URL(route.request().url()).pathname.replace(/^\/assets\/[0-9a-f]+\//, '');
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: TYPES[path.extname(file)], body: fs.readFileSync(file) });
  });
}

// ---- scenarios ----

async function setup() {
  const stack = new Stack({ ...bins, keep: opt.keep });
  ctx.stack = stack;
  const repo = new Repo(stack.root);
  ctx.repo = repo;
  repo.write({ ...baseFiles(SECRET_VALUES[0]), ...overlayFiles('dev', '1.0.0'), ...overlayFiles('prod', '1.0.0') });
  ctx.firstSha = repo.commitPush('shop: web 1.0.0 in dev and prod');
  await stack.startKubesim();
  await stack.writeConfig(repo, [
    { name: 'shop-dev', path: 'overlays/dev', autoSync: true, prune: true },
    { name: 'shop-prod', path: 'overlays/prod', autoSync: false, prune: true },
  ]);
  await stack.startDaemon();
  ctx.browser = await launchBrowser(loadPlaywright(opt['node-dir']), path.join(stack.root, 'chromium-profile'));
  if (opt['assets-dir']) await serveAssetsFrom(ctx.browser, opt['assets-dir']);
  ctx.page = ctx.browser.pages()[0] || await ctx.browser.newPage();
  ctx.consoleErrors = [];
  ctx.page.on('console', (m) => { if (m.type() === 'error') ctx.consoleErrors.push(m.text()); });
  ctx.page.on('pageerror', (e) => ctx.consoleErrors.push(String(e)));
  ctx.page.setDefaultTimeout(20000);
  // The daemon's own view first: dev synced by itself, prod waiting for a person.
  await waitFor('shop-dev Synced/Healthy', async () => {
    const a = await stack.app('shop-dev');
    return a.sync.status === 'Synced' && a.health.status === 'Healthy';
  }, { timeout: 90000 });
  await waitFor('shop-prod OutOfSync', async () => (await stack.app('shop-prod')).sync.status === 'OutOfSync', { timeout: 60000 });
}

async function scenarioLoginPage() {
  const { page, stack } = ctx;
  // auth.anonymous is none: the console sends a visitor to the login page.
  await page.goto(`${stack.base}/`);
  await page.waitForURL(/#\/login$/);
  await page.locator('#login-user').waitFor();
  await page.locator('#login-user').fill('vera');
  await page.locator('#login-token').fill('not-the-token');
  await page.locator('form.login button[type=submit]').click();
  await page.locator('form.login .error', { hasText: 'Wrong user or token' }).waitFor();
  await shot(page, 'login');
}

async function scenarioOverview() {
  const { page } = ctx;
  await login(page, 'vera', TOKENS.viewer);
  await page.waitForURL(/#\/$/);
  await appRow(page, 'shop-dev').waitFor();
  await appRow(page, 'shop-prod').waitFor();
  const dev = await rowText(page, 'shop-dev');
  const prod = await rowText(page, 'shop-prod');
  for (const [row, want] of [[dev, ['shop-dev', 'sim', 'shop-dev', 'web:1.0.0', 'Synced', 'Healthy', ctx.firstSha.slice(0, 7), 'shop: web 1.0.0 in dev and prod', 'Erin Engineer']],
    [prod, ['shop-prod', 'web:1.0.0', 'OutOfSync', ctx.firstSha.slice(0, 7)]]]) {
    for (const w of want) if (!row.includes(w)) throw new Error(`overview row lacks "${w}": ${row}`);
  }
  if (!dev.includes('auto')) throw new Error(`shop-dev row has no auto-sync tag: ${dev}`);
  const counts = await page.locator('.counts').innerText();
  if (!counts.includes('2 apps')) throw new Error(`counts: ${counts}`);
  await page.locator('.session .live.on').waitFor();
  await assertNoSecret(page, 'overview');
  await shot(page, 'overview');
}

async function scenarioWebhookLive() {
  const { page, stack, repo } = ctx;
  await page.goto(`${stack.base}/#/`);
  await appRow(page, 'shop-dev').waitFor();
  await page.locator('.session .live.on').waitFor();
  // A marker on window survives only if the page is never reloaded.
  await page.evaluate(() => { window.__noReload = 'still-here'; });
  // Live updates patch rows in place: the row element itself survives.
  const rowHandle = await appRow(page, 'shop-prod').elementHandle();
  const navsBefore = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  repo.write({ ...overlayFiles('dev', '1.1.0'), 'base/secret.yaml': baseFiles(SECRET_VALUES[1])['base/secret.yaml'] });
  const sha = repo.commitPush('shop: web 1.1.0 in dev, rotate the credentials');
  ctx.secondSha = sha;
  const bad = await stack.gitlabPush(repo, sha, ['overlays/dev/kustomization.yaml'], 'wrong-token');
  if (bad.status !== 401) throw new Error(`a webhook with a wrong X-Gitlab-Token answered ${bad.status}`);
  const res = await stack.gitlabPush(repo, sha, ['overlays/dev/kustomization.yaml', 'base/secret.yaml']);
  if (res.status !== 200 || !res.body.refreshed?.includes('shop-dev')) {
    throw new Error(`webhook: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await waitFor('the shop-dev row to show web:1.1.0 at the new commit, without a reload', async () => {
    const t = await rowText(page, 'shop-dev');
    return t.includes('web:1.1.0') && t.includes(sha.slice(0, 7)) && t.includes('Synced') && t.includes('Healthy');
  }, { timeout: 60000 });
  const prodText = await rowText(page, 'shop-prod');
  if (!prodText.includes('web:1.0.0')) throw new Error(`shop-prod changed: ${prodText}`);
  if (!(await rowHandle.evaluate((tr) => tr.isConnected && tr.dataset.app === 'shop-prod'))) {
    throw new Error('the shop-prod row was rebuilt by a live update instead of patched in place');
  }
  const marker = await page.evaluate(() => window.__noReload);
  const navsAfter = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  if (marker !== 'still-here' || navsAfter !== navsBefore) throw new Error('the page was reloaded');
  await assertNoSecret(page, 'overview after the webhook');
}

async function scenarioViewerDetail() {
  const { page, stack } = ctx;
  await page.locator('table.apps a.appname', { hasText: 'shop-prod' }).click();
  await page.waitForURL(/#\/apps\/shop-prod$/);
  await page.locator('.apphead h1', { hasText: 'shop-prod' }).waitFor();
  await page.locator('section.panel h2', { hasText: /^Diff \([1-9]/ }).waitFor();
  await page.locator('section.panel h2', { hasText: /^Resources \([1-9]/ }).waitFor();
  if (await page.locator('#btn-sync').count()) throw new Error('a viewer sees the Sync button');
  if (await page.locator('button', { hasText: /^Sync/ }).count()) throw new Error('a viewer sees a Sync button');
  if (await page.locator('button.rollback').count()) throw new Error('a viewer sees Rollback buttons');
  await page.locator('text=Log in as an operator').waitFor();
  // The Secret is in the diff (prod never synced it); open every diff, both layouts.
  const secretDiff = page.locator('details.diff', { hasText: 'Secret' });
  await secretDiff.first().waitFor();
  for (const d of await page.locator('details.diff').all()) await d.evaluate((el) => { el.open = true; });
  await assertNoSecret(page, 'app detail (unified diff)');
  await shot(page, 'app-detail-viewer');
  await page.locator('.seg button', { hasText: 'Side by side' }).click();
  await page.locator('table.split').first().waitFor();
  for (const d of await page.locator('details.diff').all()) await d.evaluate((el) => { el.open = true; });
  await assertNoSecret(page, 'app detail (side-by-side diff)');
  await page.locator('.seg button', { hasText: 'Unified' }).click();
  // The dev app's history: nothing to click for a viewer either.
  await page.goto(`${stack.base}/#/apps/shop-dev`);
  await page.locator('section.panel h2', { hasText: /^History \([1-9]/ }).waitFor();
  if (await page.locator('button.rollback').count()) throw new Error('a viewer sees Rollback buttons on shop-dev');
  await assertNoSecret(page, 'shop-dev detail');
}

async function scenarioEnvironments() {
  const { page, stack } = ctx;
  await page.goto(`${stack.base}/#/envs`);
  const group = page.locator('section.envgroup', { hasText: 'overlays' });
  await group.waitFor();
  const text = (await group.innerText()).replace(/\s+/g, ' ');
  for (const w of ['dev', 'prod', 'shop-dev', 'shop-prod']) if (!text.includes(w)) throw new Error(`environments lack "${w}": ${text}`);
  if (!/Promotion pending from dev/.test(text)) throw new Error(`no pending promotion shown: ${text}`);
  await assertNoSecret(page, 'environments');
  await shot(page, 'environments');
}

async function scenarioOperatorSync() {
  const { page, stack } = ctx;
  await logout(page);
  await login(page, 'otto', TOKENS.operator);
  await page.goto(`${stack.base}/#/apps/shop-prod`);
  await page.locator('#btn-sync').click();
  const dlg = page.locator('dialog.dialog');
  await dlg.waitFor();
  await page.locator('#sync-prune').check();
  await shot(page, 'sync-dialog', { fullPage: false });  // the modal and what is under it
  await page.locator('#sync-confirm').click();
  await page.locator('#banner', { hasText: 'Sync: accepted' }).waitFor();
  await waitFor('shop-prod Synced/Healthy in the page', async () => {
    const h1 = await page.locator('.apphead h1').innerText();
    return h1.includes('Synced') && h1.includes('Healthy');
  }, { timeout: 60000 });
  await waitFor('the operation in the history with the operator as initiator', async () => {
    const t = await page.locator('table.history tbody').innerText();
    return /otto/.test(t) && /Succeeded/.test(t);
  }, { timeout: 30000 });
  const a = await stack.app('shop-prod');
  if (a.images[0] !== 'registry.example.com/shop/web:1.0.0' || a.operation.initiator !== 'otto') {
    throw new Error(`after sync: images ${a.images} initiator ${a.operation?.initiator}`);
  }
  await assertNoSecret(page, 'shop-prod after sync');
}

// The session is an HttpOnly cookie; a state-changing request without the
// session's CSRF token is refused even from the page itself; the page carries
// the security headers.
async function scenarioSessionAndCsrf() {
  const { page, stack } = ctx;
  const cookies = await page.evaluate(() => document.cookie);
  if (cookies.includes('gitopsd_session')) throw new Error(`the session cookie is readable by script: ${cookies}`);
  const noToken = await page.evaluate(async () => (await fetch('/api/v1/apps/shop-prod/refresh', { method: 'POST', body: '{}' })).status);
  if (noToken !== 403) throw new Error(`a POST with the session cookie but no X-CSRF-Token answered ${noToken}`);
  const res = await page.request.get(`${stack.base}/`);
  const csp = res.headers()['content-security-policy'] || '';
  if (!csp.includes("frame-ancestors 'none'") || !csp.includes("script-src 'self'") || csp.includes('unsafe-inline')) {
    throw new Error(`Content-Security-Policy: ${csp}`);
  }
  if (res.headers()['x-content-type-options'] !== 'nosniff') throw new Error('no X-Content-Type-Options: nosniff');
}

async function scenarioOperatorRollback() {
  const { page, stack } = ctx;
  await page.goto(`${stack.base}/#/apps/shop-dev`);
  await page.locator('section.panel h2', { hasText: /^History \([2-9]/ }).waitFor();
  // The oldest successful entry is the first commit (web 1.0.0).
  const rows = page.locator('table.history tbody tr', { has: page.locator('button.rollback') });
  const target = rows.filter({ hasText: ctx.firstSha.slice(0, 7) }).last();
  await target.waitFor();
  page.once('dialog', (d) => d.accept());
  await target.locator('button.rollback').click();
  await page.locator('#banner', { hasText: 'Rollback: accepted' }).waitFor();
  await page.locator('#hold-badge').waitFor({ timeout: 60000 });
  const hold = await page.locator('#hold-badge').innerText();
  if (!hold.includes(ctx.firstSha.slice(0, 7))) throw new Error(`hold badge: ${hold}`);
  await waitFor('shop-dev back on web 1.0.0 and Healthy', async () => {
    const a = await stack.app('shop-dev');
    return a.images[0] === 'registry.example.com/shop/web:1.0.0' && a.sync.revision === ctx.firstSha && a.health.status === 'Healthy';
  }, { timeout: 60000 });
  await page.locator('#btn-release').waitFor();
  await waitFor('the rollback in the history by otto', async () => {
    const t = (await page.locator('table.history tbody tr').first().innerText()).replace(/\s+/g, ' ');
    return t.includes('otto') && t.includes(ctx.firstSha.slice(0, 7));
  }, { timeout: 30000 });
  await assertNoSecret(page, 'shop-dev after rollback');
  await shot(page, 'app-detail-operator');
  // The overview shows the hold too.
  await page.goto(`${stack.base}/#/`);
  await appRow(page, 'shop-dev').locator('.tag.hold').waitFor();
  await assertNoSecret(page, 'overview with a hold');
}

async function scenarioNoConsoleErrors() {
  // Expected: the wrong login (401) and the request without a CSRF token (403).
  const errs = ctx.consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 40[13]/.test(e));
  if (errs.length) throw new Error(`console errors: ${errs.join(' | ')}`);
}

const scenarios = [
  ['the login page refuses a wrong token', scenarioLoginPage],
  ['the overview shows the apps with versions and statuses', scenarioOverview],
  ['a commit + GitLab webhook updates the page without reload', scenarioWebhookLive],
  ['a viewer sees no Sync button; no Secret value in the diff', scenarioViewerDetail],
  ['environments side by side with the pending promotion', scenarioEnvironments],
  ['an operator logs in and syncs', scenarioOperatorSync],
  ['the session cookie is HttpOnly and a request without the CSRF token is refused', scenarioSessionAndCsrf],
  ['an operator rolls back from history and sees the hold badge', scenarioOperatorRollback],
  ['no script errors in the browser console', scenarioNoConsoleErrors],
];

let passed = 0;
let failed = 0;
try {
  await setup();
  for (const [name, fn] of scenarios) {
    const t0 = Date.now();
    try {
      await fn();
      passed++;
      console.log(`PASS ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e.message}`);
      try { await shot(ctx.page, `failure-${passed + failed}`); } catch { /* no page */ }
    }
  }
} catch (e) {
  failed++;
  console.log(`FAIL setup: ${e.stack || e.message}`);
  if (ctx.stack) console.log(`--- gitopsd log ---\n${ctx.stack.tail('gitopsd')}\n--- kubesim log ---\n${ctx.stack.tail('kubesim')}`);
} finally {
  if (failed && ctx.stack) {
    for (const log of ['gitopsd.log', 'kubesim.log']) {
      const p = path.join(ctx.stack.root, log);
      if (fs.existsSync(p)) fs.copyFileSync(p, path.join(opt.artifacts, log));
    }
  }
  if (ctx.browser) await ctx.browser.close().catch(() => {});
  if (ctx.stack) await ctx.stack.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
