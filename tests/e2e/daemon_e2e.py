#!/usr/bin/env python3
"""End-to-end test of `gitopsd serve` with real parts.

A real Git server (nginx + fcgiwrap + git http-backend, smart HTTP with
basic auth; tests/e2e/git_server.sh), kubesim over HTTPS (its generated CA
and bearer token, through the kubeconfig it writes) and the gitopsd daemon.
Drives them like a platform team would: commits pushed with the git CLI,
GitLab push webhooks, the JSON API, kill -9 and restarts.

Usage: daemon_e2e.py --bin-dir BUILD/bin [--keep]
Prints one line per scenario (PASS/FAIL) and a last line "N passed, M failed";
exit status 0 only when every scenario passed.
"""
import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

from e2e_util import free_port, run, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
GIT_SERVER = os.path.join(HERE, "git_server.sh")
WEBHOOK_SECRET = "e2e-webhook-secret"
ADMIN_TOKEN = "e2e-admin-token"
GIT_USER, GIT_PASSWORD = "deployer", "git-pass-123"








class Env:
    """The three real processes and a work tree of the env repository."""

    def __init__(self, bin_dir, keep):
        self.bin_dir = bin_dir
        self.keep = keep
        self.root = tempfile.mkdtemp(prefix="gitopsd-e2e-")
        self.gitdir = os.path.join(self.root, "gitserver")
        self.work = os.path.join(self.root, "work")
        self.daemon_dir = os.path.join(self.root, "daemon")
        os.makedirs(self.daemon_dir)
        self.kubesim = None
        self.daemon = None
        self.daemon_log = None
        self.git_url = None
        self.api = None

    # ---- git ----
    def start_git(self):
        bare = os.path.join(self.gitdir, "repos", "env.git")
        if not os.path.exists(bare):
            os.makedirs(os.path.dirname(bare), exist_ok=True)
            run(["git", "init", "-q", "--bare", "-b", "main", bare])
            run(["git", "-C", bare, "config", "http.receivepack", "true"])
        out = run(["bash", GIT_SERVER, "start", self.gitdir, "--user", GIT_USER,
                   "--password", GIT_PASSWORD])
        self.git_url = out.strip().splitlines()[-1]

    def stop_git(self):
        run(["bash", GIT_SERVER, "stop", self.gitdir], check=False)

    def repo_url(self):
        return f"{self.git_url}/env.git"

    def clone(self):
        authed = self.repo_url().replace("://", f"://{GIT_USER}:{GIT_PASSWORD}@", 1)
        os.makedirs(self.work)
        run(["git", "init", "-q", "-b", "main", self.work])
        run(["git", "-C", self.work, "remote", "add", "origin", authed])
        run(["git", "-C", self.work, "config", "user.name", "Erin Engineer"])
        run(["git", "-C", self.work, "config", "user.email", "erin@example.com"])

    def write(self, rel, text):
        path = os.path.join(self.work, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def commit_push(self, message):
        run(["git", "-C", self.work, "add", "-A"])
        run(["git", "-C", self.work, "commit", "-q", "-m", message])
        run(["git", "-C", self.work, "push", "-q", "origin", "main"])
        return run(["git", "-C", self.work, "rev-parse", "HEAD"]).strip()

    # ---- kubesim ----
    def start_kubesim(self):
        self.kubeconfig = os.path.join(self.daemon_dir, "kubeconfig")
        port = free_port()
        self.kubesim = subprocess.Popen(
            [os.path.join(self.bin_dir, "kubesim"), "--listen", f"127.0.0.1:{port}",
             "--token", "e2e-cluster-token", "--kubeconfig-out", self.kubeconfig,
             "--time-scale", "20", "--state-file", os.path.join(self.root, "kubesim.json")],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.root, "kubesim.log"), "w"))
        wait_for("kubesim kubeconfig", lambda: os.path.exists(self.kubeconfig) and
                 os.path.getsize(self.kubeconfig) > 0, timeout=20)
        wait_for("kubesim answering", lambda: self.kubectl(["get", "ns"], check=False).returncode == 0)

    def kubectl(self, args, check=True):
        p = subprocess.run(["kubectl", "--kubeconfig", self.kubeconfig] + args,
                           capture_output=True, text=True)
        if check and p.returncode != 0:
            raise RuntimeError(f"kubectl {' '.join(args)}: {p.stderr.strip()}")
        return p

    def deployment_image(self, ns, name):
        p = self.kubectl(["get", "deploy", name, "-n", ns, "-o",
                          "jsonpath={.spec.template.spec.containers[0].image}"], check=False)
        return p.stdout.strip() if p.returncode == 0 else None

    # ---- daemon ----
    def write_config(self, poll="15s"):
        with open(os.path.join(self.daemon_dir, "admin.token"), "w") as f:
            f.write(ADMIN_TOKEN + "\n")
        with open(os.path.join(self.daemon_dir, "webhook.secret"), "w") as f:
            f.write(WEBHOOK_SECRET + "\n")
        with open(os.path.join(self.daemon_dir, "git.password"), "w") as f:
            f.write(GIT_PASSWORD + "\n")
        self.port = free_port()
        cfg = f"""
server: {{listen: "127.0.0.1:{self.port}", stateDir: ./state, workers: 4}}
auth:
  anonymous: viewer
  users: [{{name: alice, role: admin, tokenFile: admin.token}}]
webhooks: {{secretFile: webhook.secret}}
clusters: [{{name: sim, kubeconfig: kubeconfig}}]
repositories:
  - {{url: "{self.repo_url()}", pollInterval: {poll}, username: {GIT_USER}, passwordFile: git.password}}
apps:
  - {{name: shop-dev, repo: "{self.repo_url()}", path: overlays/dev, revision: main, cluster: sim,
     autoSync: true, autoRollback: true, prune: true, selfHeal: true, healthTimeout: 20s}}
  - {{name: shop-prod, repo: "{self.repo_url()}", path: overlays/prod, revision: main, cluster: sim,
     autoSync: false, prune: true, healthTimeout: 20s}}
"""
        self.config = os.path.join(self.daemon_dir, "gitopsd.yaml")
        with open(self.config, "w") as f:
            f.write(cfg)
        self.api = f"http://127.0.0.1:{self.port}"

    def start_daemon(self):
        self.daemon_log = open(os.path.join(self.root, "gitopsd.log"), "a")
        self.daemon = subprocess.Popen(
            [os.path.join(self.bin_dir, "gitopsd"), "serve", "--config", self.config],
            stdout=self.daemon_log, stderr=self.daemon_log)
        wait_for("gitopsd /healthz", lambda: self.get("/healthz")[0] == 200, timeout=20)

    def kill_daemon(self, sig=signal.SIGKILL):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(sig)
            self.daemon.wait(timeout=30)
        self.daemon = None

    # ---- HTTP ----
    def request(self, method, path, body=None, headers=None, token=None):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.api + path, data=data, method=method)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        if data is not None and "Content-Type" not in (headers or {}):
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw and raw[:1] in b"{[" else raw)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except Exception:
                return e.code, raw

    def get(self, path):
        return self.request("GET", path)

    def app(self, name):
        code, body = self.get(f"/api/v1/apps/{name}")
        if code != 200:
            raise AssertionError(f"GET app {name}: {code} {body}")
        return body

    def history(self, name):
        return self.get(f"/api/v1/apps/{name}/history")[1]["items"]

    def gitlab_push(self, after, secret=WEBHOOK_SECRET, files=None):
        payload = {
            "object_kind": "push", "ref": "refs/heads/main", "after": after,
            "project": {"git_http_url": self.repo_url()},
            "commits": [{"id": after, "added": [], "removed": [],
                         "modified": files or ["overlays/dev/kustomization.yaml"]}],
        }
        headers = {"X-Gitlab-Event": "Push Hook", "X-Gitlab-Event-UUID": f"uuid-{after}-{time.time()}"}
        if secret is not None:
            headers["X-Gitlab-Token"] = secret
        return self.request("POST", "/api/webhook", body=json.dumps(payload).encode(), headers=headers)

    def close(self):
        self.kill_daemon(signal.SIGTERM)
        if self.kubesim and self.kubesim.poll() is None:
            self.kubesim.terminate()
            try:
                self.kubesim.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kubesim.kill()
        self.stop_git()
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


# ---- the env repository ----

BASE = {
    "base/kustomization.yaml": """resources:
- deployment.yaml
- service.yaml
configMapGenerator:
- name: web-config
  literals: [GREETING=hello]
""",
    "base/deployment.yaml": """apiVersion: apps/v1
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
        - configMapRef: {name: web-config}
        ports:
        - containerPort: 8080
""",
    "base/service.yaml": """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
""",
}


def overlay(env, tag):
    return {
        f"overlays/{env}/namespace.yaml": f"""apiVersion: v1
kind: Namespace
metadata:
  name: shop-{env}
""",
        f"overlays/{env}/kustomization.yaml": f"""namespace: shop-{env}
resources:
- namespace.yaml
- ../../base
images:
- name: registry.example.com/shop/web
  newTag: "{tag}"
""",
    }


def set_dev_tag(env, tag):
    env.write("overlays/dev/kustomization.yaml", overlay("dev", tag)["overlays/dev/kustomization.yaml"])


# ---- scenarios ----

def scenario_initial_sync(env):
    """two apps (dev autoSync+autoRollback, prod manual) reach Synced/Healthy"""
    wait_for("shop-dev Synced/Healthy", lambda: (lambda a: a["sync"]["status"] == "Synced"
             and a["health"]["status"] == "Healthy" and a)(env.app("shop-dev")), timeout=60)
    prod = wait_for("shop-prod refreshed", lambda: (lambda a: a["sync"]["status"] != "Unknown" and a)(
        env.app("shop-prod")), timeout=30)
    assert prod["sync"]["status"] == "OutOfSync", prod
    assert env.deployment_image("shop-prod", "web") is None, "manual app synced by itself"
    code, body = env.request("POST", "/api/v1/apps/shop-prod/sync", {}, token=ADMIN_TOKEN)
    assert code == 202, (code, body)
    wait_for("shop-prod Synced/Healthy", lambda: (lambda a: a["sync"]["status"] == "Synced"
             and a["health"]["status"] == "Healthy" and a)(env.app("shop-prod")), timeout=60)
    assert env.deployment_image("shop-dev", "web") == "registry.example.com/shop/web:1.0.0"
    dev = env.app("shop-dev")
    assert dev["images"] == ["registry.example.com/shop/web:1.0.0"], dev["images"]
    assert dev["commit"]["author"] == "Erin Engineer", dev["commit"]
    hist = env.history("shop-prod")
    assert hist and hist[0]["initiator"] == "alice" and hist[0]["phase"] == "Succeeded", hist


def scenario_webhook_deploy(env):
    """a pushed commit + GitLab webhook: dev runs it within 5 s; prod OutOfSync, untouched; unsigned 401"""
    set_dev_tag(env, "1.1.0")
    env.write("base/deployment.yaml", BASE["base/deployment.yaml"].replace("replicas: 2", "replicas: 3"))
    sha = env.commit_push("shop: web 1.1.0 in dev, 3 replicas everywhere")
    code, _ = env.gitlab_push(sha, secret=None)
    assert code == 401, f"unsigned webhook answered {code}"
    code, _ = env.gitlab_push(sha, secret="wrong")
    assert code == 401, f"badly signed webhook answered {code}"
    time.sleep(0.5)
    assert env.deployment_image("shop-dev", "web").endswith(":1.0.0"), "an unsigned webhook changed dev"
    start = time.time()
    code, body = env.gitlab_push(sha, files=["overlays/dev/kustomization.yaml", "base/deployment.yaml"])
    assert code == 200, (code, body)
    assert "shop-dev" in body["refreshed"], body
    wait_for("dev runs 1.1.0", lambda: env.deployment_image("shop-dev", "web") ==
             "registry.example.com/shop/web:1.1.0", timeout=5)
    took = time.time() - start
    wait_for("dev synced at the new commit", lambda: env.app("shop-dev")["sync"]["revision"] == sha, timeout=30)
    wait_for("prod OutOfSync", lambda: env.app("shop-prod")["sync"]["status"] == "OutOfSync", timeout=30)
    assert env.deployment_image("shop-prod", "web").endswith(":1.0.0"), "prod was changed"
    print(f"  webhook -> dev running the new image: {took:.2f}s", file=sys.stderr)


def scenario_crashloop_rollback(env):
    """a crashloop image: dev rolls back by itself, history says why, the bad revision is not retried"""
    good = env.app("shop-dev")["sync"]["revision"]
    set_dev_tag(env, "1.2.0-crashloop")
    bad = env.commit_push("shop: web 1.2.0-crashloop in dev")
    assert env.gitlab_push(bad)[0] == 200

    def rolled_back():
        hist = env.history("shop-dev")
        return any(h["phase"] == "RolledBack" and h["revision"] == bad for h in hist) and hist
    hist = wait_for("automatic rollback", rolled_back, timeout=60)
    failed = next(h for h in hist if h["revision"] == bad)
    assert "degraded" in failed["message"].lower() or "not healthy" in failed["message"], failed
    wait_for("dev back on the good revision", lambda: (lambda a: a["sync"]["revision"] == good
             and a["health"]["status"] == "Healthy" and a)(env.app("shop-dev")), timeout=60)
    assert env.deployment_image("shop-dev", "web").endswith(":1.1.0")
    app = env.app("shop-dev")
    assert bad in app["badRevisions"], app
    # Auto-sync does not retry the bad revision, whatever refreshes happen.
    env.request("POST", "/api/v1/apps/shop-dev/refresh", {}, token=ADMIN_TOKEN)
    time.sleep(3)
    attempts = [h for h in env.history("shop-dev") if h["revision"] == bad]
    assert len(attempts) == 1, attempts
    assert env.deployment_image("shop-dev", "web").endswith(":1.1.0")


def scenario_broken_yaml(env):
    """broken YAML: dev shows the error (file, line) and keeps running; prod and the daemon unaffected"""
    env.write("overlays/dev/kustomization.yaml",
              overlay("dev", "1.3.0")["overlays/dev/kustomization.yaml"] + "patches:\n- path: [unclosed\n")
    sha = env.commit_push("shop: broken kustomization in dev")
    assert env.gitlab_push(sha)[0] == 200
    app = wait_for("dev shows the error", lambda: (lambda a: a["error"] and a)(env.app("shop-dev")), timeout=20)
    assert "overlays/dev/kustomization.yaml" in app["error"], app["error"]
    assert "line" in app["error"], app["error"]
    assert env.deployment_image("shop-dev", "web").endswith(":1.1.0"), "dev stopped running its revision"
    assert env.app("shop-prod")["error"] is None
    assert env.get("/healthz")[0] == 200
    # Fix it so the next scenarios start clean.
    set_dev_tag(env, "1.3.0")
    sha = env.commit_push("shop: fix dev kustomization, web 1.3.0")
    assert env.gitlab_push(sha)[0] == 200
    wait_for("dev on 1.3.0", lambda: env.deployment_image("shop-dev", "web") ==
             "registry.example.com/shop/web:1.3.0", timeout=30)
    wait_for("dev error cleared", lambda: env.app("shop-dev")["error"] is None, timeout=30)


def scenario_manual_rollback_hold(env):
    """manual rollback of dev with autoSync on puts it on hold; a new commit releases it"""
    entry = next(h for h in env.history("shop-dev") if h["phase"] == "Succeeded"
                 and h.get("targetRevision") and h["images"] == ["registry.example.com/shop/web:1.1.0"])
    code, body = env.request("POST", "/api/v1/apps/shop-dev/rollback", {"id": entry["id"]}, token=ADMIN_TOKEN)
    assert code == 202, (code, body)
    wait_for("dev rolled back to 1.1.0", lambda: env.deployment_image("shop-dev", "web") ==
             "registry.example.com/shop/web:1.1.0", timeout=30)
    app = wait_for("hold", lambda: (lambda a: a["hold"] and a)(env.app("shop-dev")), timeout=10)
    assert app["hold"]["revision"] == entry["revision"], app["hold"]
    # Refreshes do not undo the hold.
    env.request("POST", "/api/v1/apps/shop-dev/refresh", {}, token=ADMIN_TOKEN)
    time.sleep(2)
    assert env.deployment_image("shop-dev", "web").endswith(":1.1.0")
    assert env.history("shop-dev")[0]["initiator"] == "alice"
    set_dev_tag(env, "1.4.0")
    sha = env.commit_push("shop: web 1.4.0 in dev")
    assert env.gitlab_push(sha)[0] == 200
    wait_for("new commit releases the hold and deploys", lambda: env.deployment_image("shop-dev", "web") ==
             "registry.example.com/shop/web:1.4.0", timeout=30)
    wait_for("hold gone", lambda: env.app("shop-dev")["hold"] is None, timeout=10)


def scenario_kill_during_sync(env):
    """kill -9 during a sync, restart: history intact, interrupted op marked, app converges"""
    # The previous scenario's operation may still be waiting for health.
    wait_for("no operation running", lambda: (lambda a: not a["operation"] or a["operation"]["phase"] != "Running")
             (env.app("shop-dev")), timeout=30)
    before = env.history("shop-dev")
    set_dev_tag(env, "1.5.0")
    sha = env.commit_push("shop: web 1.5.0 in dev")
    assert env.gitlab_push(sha)[0] == 200
    wait_for("a running operation", lambda: (lambda a: a["operation"] and a["operation"]["phase"] == "Running"
             and a["operation"]["revision"] == sha)(env.app("shop-dev")), timeout=20, interval=0.05)
    env.kill_daemon(signal.SIGKILL)
    env.start_daemon()
    after = env.history("shop-dev")
    old_ids = {h["id"]: h for h in before}
    for h in after:
        if h["id"] in old_ids and old_ids[h["id"]]["phase"] != "Running":
            assert h["phase"] == old_ids[h["id"]]["phase"], (h, old_ids[h["id"]])
    assert len(after) >= len(before) + 1
    interrupted = [h for h in after if h["revision"] == sha and h["phase"] == "Interrupted"]
    assert interrupted, [(h["id"], h["phase"], h["revision"][:7]) for h in after[:5]]
    wait_for("dev converges on 1.5.0", lambda: (lambda a: a["sync"]["status"] == "Synced"
             and a["sync"]["revision"] == sha and a["health"]["status"] == "Healthy")(env.app("shop-dev")),
             timeout=60)
    assert env.deployment_image("shop-dev", "web").endswith(":1.5.0")


def scenario_git_outage(env):
    """git server stopped: apps show the fetch error, recover by themselves"""
    env.stop_git()
    env.request("POST", "/api/v1/apps/shop-dev/refresh", {}, token=ADMIN_TOKEN)
    app = wait_for("fetch error shown", lambda: (lambda a: a["error"] and a)(env.app("shop-dev")), timeout=30)
    assert "fetch" in app["error"].lower(), app["error"]
    assert env.app("shop-dev")["health"]["status"] == "Healthy"  # last known state kept
    env.start_git()
    wait_for("recovered by itself", lambda: env.app("shop-dev")["error"] is None
             and env.app("shop-prod")["error"] is None, timeout=45)


def scenario_drift_watch(env):
    """kubectl edits of managed objects trigger a refresh (watch, not poll): dev self-heals, prod shows the drift"""
    wait_for("no operation running", lambda: (lambda a: not a["operation"] or a["operation"]["phase"] != "Running")
             (env.app("shop-dev")), timeout=30)
    # prod is manual and already OutOfSync (newer commits): the drift must show in its diff.
    def replicas_drift():
        code, body = env.request("GET", "/api/v1/apps/shop-prod/diff")
        items = body.get("items", body) if isinstance(body, dict) else body
        return any(p.get("path") == "/spec/replicas" and p.get("old") == 5 for d in items
                   if d["id"]["kind"] == "Deployment" for p in d.get("paths", []))
    assert not replicas_drift()
    started = time.time()
    env.kubectl(["scale", "deploy/web", "-n", "shop-prod", "--replicas=5"])
    wait_for("prod diff shows the replicas drift", replicas_drift, timeout=30)
    # The watch, not the poll, asked for that refresh (the reason is recorded).
    reason = wait_for("a refresh caused by the cluster change", lambda: (lambda r: r and
                      r["reason"] == "cluster change: Deployment web changed" and r)
                      (env.app("shop-prod")["lastRefresh"]), timeout=30)
    print(f"  kubectl scale -> prod diff shows it: {time.time() - started:.2f}s ({reason['reason']})")
    image = env.deployment_image("shop-dev", "web")
    started = time.time()
    env.kubectl(["set", "image", "deploy/web", "-n", "shop-dev", "web=registry.example.com/shop/web:hand-edited"])
    wait_for("dev self-healed", lambda: env.deployment_image("shop-dev", "web") == image, timeout=20)
    print(f"  kubectl set image -> dev self-healed: {time.time() - started:.2f}s")


def scenario_reload(env):
    """SIGHUP reloads the configuration (an app added); a changed file reloads it too (the app removed)"""
    with open(env.config) as f:
        original = f.read()
    extra = (f'  - {{name: shop-preview, repo: "{env.repo_url()}", path: overlays/prod, revision: main,'
             f' cluster: sim, autoSync: false}}\n')
    with open(env.config, "w") as f:
        f.write(original.rstrip("\n") + "\n" + extra)
    pid = env.daemon.pid
    env.daemon.send_signal(signal.SIGHUP)
    wait_for("app added by SIGHUP", lambda: env.request("GET", "/api/v1/apps/shop-preview")[0] == 200, timeout=10)
    assert env.daemon.poll() is None and env.daemon.pid == pid
    time.sleep(1.1)  # a new mtime
    with open(env.config, "w") as f:
        f.write(original)
    wait_for("app removed on file change", lambda: env.request("GET", "/api/v1/apps/shop-preview")[0] == 404,
             timeout=15)
    names = [a["name"] for a in env.request("GET", "/api/v1/apps")[1]["items"]]
    assert names == ["shop-dev", "shop-prod"], names

    # An app moved to another repository: the running controller fetches and
    # renders from the new one (it used to keep the old repository's mirror).
    other = os.path.join(env.root, "other.git")
    run(["git", "clone", "-q", "--bare", env.work, other])
    other_work = os.path.join(env.root, "other-work")
    run(["git", "clone", "-q", other, other_work])
    with open(os.path.join(other_work, "MOVED"), "w") as f:
        f.write("moved\n")
    run(["git", "-C", other_work, "add", "-A"])
    run(["git", "-C", other_work, "-c", "user.name=Erin Engineer", "-c", "user.email=erin@example.com",
         "commit", "-q", "-m", "the other repository"])
    run(["git", "-C", other_work, "push", "-q", "origin", "HEAD:main"])
    other_sha = run(["git", "-C", other_work, "rev-parse", "HEAD"]).strip()
    moved = original.replace(
        "apps:\n", f'  - {{url: "file://{other}", pollInterval: 15s}}\napps:\n', 1).replace(
        f'name: shop-prod, repo: "{env.repo_url()}"', f'name: shop-prod, repo: "file://{other}"', 1)
    assert moved != original and f"file://{other}" in moved
    time.sleep(1.1)
    with open(env.config, "w") as f:
        f.write(moved)
    wait_for("shop-prod on the other repository's commit",
             lambda: (env.request("GET", "/api/v1/apps/shop-prod")[1].get("commit") or {}).get("sha") == other_sha,
             timeout=20)
    time.sleep(1.1)
    with open(env.config, "w") as f:
        f.write(original)
    wait_for("shop-prod back on its repository",
             lambda: env.request("GET", "/api/v1/apps/shop-prod")[1].get("repo") == env.repo_url(), timeout=15)


def scenario_metrics(env):
    """/metrics parses with the real promtool and carries every family the alerts and dashboard use"""
    code, body = env.request("GET", "/metrics")
    assert code == 200, code
    text = body.decode() if isinstance(body, bytes) else str(body)
    p = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    # promtool exits 0 on a clean exposition; lint remarks (not errors) go to stderr with exit 3.
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    for family in ["gitopsd_app_info", "gitopsd_sync_total", "gitopsd_rollback_total",
                   "gitopsd_reconcile_duration_seconds", "gitopsd_render_duration_seconds",
                   "gitopsd_git_request_duration_seconds", "gitopsd_git_fetch_failures_total",
                   "gitopsd_kube_requests_total", "gitopsd_webhook_requests_total"]:
        assert f"# TYPE {family} " in text, family
    for series in ["gitopsd_app_info{", "gitopsd_sync_total{", "gitopsd_reconcile_duration_seconds_bucket{",
                   "gitopsd_render_duration_seconds_bucket{", "gitopsd_git_request_duration_seconds_bucket{"]:
        assert any(line.startswith(series) for line in text.splitlines()), series
    applies = [l for l in text.splitlines() if l.startswith("gitopsd_kube_requests_total{") and 'verb="apply"' in l]
    assert applies and all(float(l.rsplit(" ", 1)[1]) > 0 for l in applies), applies
    assert 'gitopsd_rollback_total{app="shop-dev"' in text
    assert 'gitopsd_webhook_requests_total{provider="gitlab",result="bad_signature"} 2' in text, \
        [l for l in text.splitlines() if "webhook_requests" in l]


SCENARIOS = [
    ("initial-sync", scenario_initial_sync),
    ("webhook-deploy", scenario_webhook_deploy),
    ("crashloop-rollback", scenario_crashloop_rollback),
    ("broken-yaml", scenario_broken_yaml),
    ("manual-rollback-hold", scenario_manual_rollback_hold),
    ("drift-watch", scenario_drift_watch),
    ("reload", scenario_reload),
    ("metrics", scenario_metrics),  # before the restart resets the counters
    ("kill-during-sync", scenario_kill_during_sync),
    ("git-outage", scenario_git_outage),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--only")
    args = ap.parse_args()
    env = Env(os.path.abspath(args.bin_dir), args.keep)
    passed = failed = 0
    try:
        env.start_git()
        env.clone()
        for rel, text in BASE.items():
            env.write(rel, text)
        for e in ("dev", "prod"):
            for rel, text in overlay(e, "1.0.0").items():
                env.write(rel, text)
        env.commit_push("shop: initial env repo")
        env.start_kubesim()
        env.write_config()
        env.start_daemon()
        for name, fn in SCENARIOS:
            if args.only and args.only not in name:
                continue
            try:
                fn(env)
                print(f"PASS {name}")
                passed += 1
            except Exception as e:
                print(f"FAIL {name}: {e}")
                traceback.print_exc(file=sys.stderr)
                failed += 1
            sys.stdout.flush()
    except Exception as e:
        print(f"FAIL setup: {e}")
        traceback.print_exc(file=sys.stderr)
        failed += 1
    finally:
        if failed:
            for log in ("gitopsd.log", "kubesim.log"):
                path = os.path.join(env.root, log)
                if os.path.exists(path):
                    with open(path) as f:
                        tail = f.readlines()[-40:]
                    sys.stderr.write(f"--- last lines of {log}\n" + "".join(tail))
        env.close()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
