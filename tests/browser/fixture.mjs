// The real parts the browser tests and the overview benchmark drive: kubesim
// over HTTPS (its own CA and bearer token, through the kubeconfig it writes),
// a real Git repository (a bare repo reached by file:// and a work tree that
// pushes to it) and `gitopsd serve` with a generated configuration.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export const WEBHOOK_SECRET = 'browser-webhook-secret';
export const TOKENS = { viewer: 'viewer-token-7f3c', operator: 'operator-token-b21e' };
// The Secret of the sample app carries these values; none may ever reach the page.
export const SECRET_VALUES = ['hunter2-browser-v1-Zq9', 'hunter2-browser-v2-Xw4'];

// playwright-core comes from the node_modules folder `npm ci` filled (the
// build directory's, so the source tree stays clean).
export function loadPlaywright(nodeDir) {
  const require = createRequire(path.join(path.resolve(nodeDir), 'package.json'));
  return require('playwright-core');
}

export const CHROMIUM = '/usr/bin/chromium';

// Debian's chromium, never a downloaded browser, with a fresh profile.
export async function launchBrowser(playwright, profileDir) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run deploy/install-deps.sh --browser (apt package chromium)`);
  }
  fs.mkdirSync(profileDir, { recursive: true });
  return playwright.chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what, fn, { timeout = 30000, interval = 200 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout / 1000}s waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

function git(args, cwd) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

// ---- the env repository: a base and dev/prod overlays ----

const b64 = (s) => Buffer.from(s).toString('base64');

export function baseFiles(secretValue) {
  return {
    'base/kustomization.yaml': `resources:
- deployment.yaml
- service.yaml
- secret.yaml
`,
    'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  progressDeadlineSeconds: 60
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.example.com/shop/web:1.0.0
        envFrom:
        - secretRef: {name: web-credentials}
        ports:
        - containerPort: 8080
`,
    'base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
`,
    'base/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: web-credentials
type: Opaque
data:
  DB_PASSWORD: ${b64(secretValue)}
  API_KEY: ${b64(`key-${secretValue}`)}
`,
  };
}

export function overlayFiles(env, tag) {
  return {
    [`overlays/${env}/namespace.yaml`]: `apiVersion: v1
kind: Namespace
metadata:
  name: shop-${env}
`,
    [`overlays/${env}/kustomization.yaml`]: `namespace: shop-${env}
resources:
- namespace.yaml
- ../../base
images:
- name: registry.example.com/shop/web
  newTag: "${tag}"
`,
  };
}

export class Repo {
  constructor(root) {
    this.bare = path.join(root, 'env.git');
    this.work = path.join(root, 'work');
    this.url = `file://${this.bare}`;
    git(['init', '-q', '--bare', '-b', 'main', this.bare]);
    git(['init', '-q', '-b', 'main', this.work]);
    git(['remote', 'add', 'origin', this.bare], this.work);
    git(['config', 'user.name', 'Erin Engineer'], this.work);
    git(['config', 'user.email', 'erin@example.com'], this.work);
  }

  write(files) {
    for (const [rel, text] of Object.entries(files)) {
      const p = path.join(this.work, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    }
  }

  commitPush(message) {
    git(['add', '-A'], this.work);
    git(['commit', '-q', '-m', message], this.work);
    git(['push', '-q', 'origin', 'main'], this.work);
    return git(['rev-parse', 'HEAD'], this.work);
  }
}

// ---- processes ----

export class Stack {
  constructor({ gitopsd, kubesim, keep = false, timeScale = 20 }) {
    this.bins = { gitopsd, kubesim };
    this.keep = keep;
    this.timeScale = timeScale;
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitopsd-browser-'));
    this.procs = [];
    // Never leave a daemon behind, even when killed (ctest's timeout, ^C).
    process.once('exit', () => {
      for (const p of this.procs) if (!p.exited) p.kill('SIGKILL');
    });
    for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));
  }

  spawnLogged(name, bin, args) {
    const log = fs.openSync(path.join(this.root, `${name}.log`), 'a');
    const p = spawn(bin, args, { stdio: ['ignore', log, log] });
    p.on('exit', (code, sig) => { p.exited = { code, sig }; });
    this.procs.push(p);
    return p;
  }

  async startKubesim() {
    this.kubeconfig = path.join(this.root, 'kubeconfig');
    const port = await freePort();
    this.kubesim = this.spawnLogged('kubesim', this.bins.kubesim, [
      '--listen', `127.0.0.1:${port}`, '--token', 'browser-cluster-token',
      '--kubeconfig-out', this.kubeconfig, '--time-scale', String(this.timeScale)]);
    await waitFor('kubesim kubeconfig', () => {
      if (this.kubesim.exited) throw new Error(`kubesim exited: ${this.tail('kubesim')}`);
      return fs.existsSync(this.kubeconfig) && fs.statSync(this.kubeconfig).size > 0;
    }, { timeout: 30000 });
  }

  // apps: [{name, path, namespace?, autoSync, prune}]
  async writeConfig(repo, apps, { anonymous = 'none', workers = 2, poll = '1m' } = {}) {
    fs.writeFileSync(path.join(this.root, 'viewer.token'), `${TOKENS.viewer}\n`);
    fs.writeFileSync(path.join(this.root, 'operator.token'), `${TOKENS.operator}\n`);
    fs.writeFileSync(path.join(this.root, 'webhook.secret'), `${WEBHOOK_SECRET}\n`);
    this.port = await freePort();
    const appLines = apps.map((a) => `  - {name: ${a.name}, repo: "${repo.url}", path: ${a.path}, revision: main, cluster: sim,` +
      `${a.namespace ? ` namespace: ${a.namespace},` : ''} autoSync: ${!!a.autoSync}, prune: ${!!a.prune}, healthTimeout: 30s}`).join('\n');
    const cfg = `server: {listen: "127.0.0.1:${this.port}", stateDir: ./state, workers: ${workers}}
auth:
  anonymous: ${anonymous}
  users:
    - {name: vera, role: viewer, tokenFile: viewer.token}
    - {name: otto, role: operator, tokenFile: operator.token}
webhooks: {secretFile: webhook.secret}
clusters: [{name: sim, kubeconfig: kubeconfig}]
repositories:
  - {url: "${repo.url}", pollInterval: ${poll}}
apps:
${appLines}
`;
    this.config = path.join(this.root, 'gitopsd.yaml');
    fs.writeFileSync(this.config, cfg);
    this.base = `http://127.0.0.1:${this.port}`;
  }

  async startDaemon() {
    this.daemon = this.spawnLogged('gitopsd', this.bins.gitopsd, ['serve', '--config', this.config]);
    await waitFor('gitopsd /healthz', async () => {
      if (this.daemon.exited) throw new Error(`gitopsd exited: ${this.tail('gitopsd')}`);
      return (await fetch(`${this.base}/healthz`)).ok;
    }, { timeout: 60000 });
  }

  tail(name, lines = 30) {
    try {
      return fs.readFileSync(path.join(this.root, `${name}.log`), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async api(method, p, { body, token, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (body !== undefined && !h['Content-Type']) h['Content-Type'] = 'application/json';
    const res = await fetch(this.base + p, { method, headers: h, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let data = text;
    try { data = JSON.parse(text); } catch { /* keep the text */ }
    return { status: res.status, body: data };
  }

  async app(name) {
    const r = await this.api('GET', `/api/v1/apps/${name}`, { token: TOKENS.viewer });
    if (r.status !== 200) throw new Error(`GET app ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  // A GitLab push hook for `after` on main, with the shared token.
  gitlabPush(repo, after, files, token = WEBHOOK_SECRET) {
    const payload = {
      object_kind: 'push', ref: 'refs/heads/main', after,
      project: { git_http_url: repo.url },
      commits: [{ id: after, added: [], removed: [], modified: files }],
    };
    const headers = { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Event-UUID': `uuid-${after}-${Date.now()}` };
    if (token) headers['X-Gitlab-Token'] = token;
    return this.api('POST', '/api/webhook', { body: JSON.stringify(payload), headers: { ...headers, 'Content-Type': 'application/json' } });
  }

  async close() {
    for (const p of this.procs.reverse()) {
      if (p.exited) continue;
      p.kill('SIGTERM');
      const done = await Promise.race([new Promise((r) => p.once('exit', () => r(true))), sleep(10000).then(() => false)]);
      if (!done) p.kill('SIGKILL');
    }
    if (!this.keep) fs.rmSync(this.root, { recursive: true, force: true });
  }
}
