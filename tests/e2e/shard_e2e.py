#!/usr/bin/env python3
"""Scale-out test: three `gitopsd serve --shards 3` replicas share six apps
through coordination.k8s.io Leases in kubesim (HTTPS). Checks: the shards
spread over the three replicas; every app is synced once; kill -9 of a
replica moves its shards to the others within about a lease duration; a new
commit then reaches every app; no app revision is applied by two replicas
(each replica's SQLite history is read directly).

Usage: shard_e2e.py --bin-dir BUILD/bin
"""
import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

from e2e_util import free_port, run, wait_for

APPS = [f"team-{i}" for i in range(6)]
LEASE = 4  # seconds








class Cluster:
    def __init__(self, bin_dir, root):
        self.bin_dir, self.root = bin_dir, root
        self.kubeconfig = os.path.join(root, "kubeconfig")
        self.sim = subprocess.Popen(
            [os.path.join(bin_dir, "kubesim"), "--listen", f"127.0.0.1:{free_port()}", "--token", "shard-token",
             "--kubeconfig-out", self.kubeconfig, "--time-scale", "20"],
            stdout=open(os.path.join(root, "kubesim.log"), "w"), stderr=subprocess.STDOUT)
        wait_for("kubesim", lambda: os.path.exists(self.kubeconfig) and os.path.getsize(self.kubeconfig) > 0
                 and self.kubectl("get", "ns"), timeout=30)
        self.replicas = {}

    def kubectl(self, *args):
        return run(["kubectl", "--kubeconfig", self.kubeconfig] + list(args))

    def image(self, app):
        p = subprocess.run(["kubectl", "--kubeconfig", self.kubeconfig, "get", "deploy", "web", "-n", app, "-o",
                            "jsonpath={.spec.template.spec.containers[0].image}"], capture_output=True, text=True)
        return p.stdout.strip() if p.returncode == 0 else None

    def holders(self):
        out = json.loads(self.kubectl("get", "leases", "-n", "default", "-o", "json"))
        return {i["metadata"]["name"]: i["spec"].get("holderIdentity", "") for i in out["items"]
                if i["metadata"]["name"].startswith("gitopsd-shard-")}

    def start_replica(self, name, config):
        port = free_port()
        state = os.path.join(self.root, name)
        os.makedirs(state, exist_ok=True)
        cfg = os.path.join(state, "gitopsd.yaml")
        with open(cfg, "w") as f:
            f.write(config.replace("STATE_DIR", state))
        proc = subprocess.Popen(
            [os.path.join(self.bin_dir, "gitopsd"), "serve", "--config", cfg, "--listen", f"127.0.0.1:{port}",
             "--shards", "3", "--lease-duration", f"{LEASE}s", "--replica-id", name],
            stdout=open(os.path.join(state, "gitopsd.log"), "w"), stderr=subprocess.STDOUT)
        self.replicas[name] = {"proc": proc, "port": port, "db": os.path.join(state, "state", "gitopsd.db")}
        wait_for(f"{name} up", lambda: self.get(name, "/healthz") is not None, timeout=30)

    def get(self, name, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.replicas[name]['port']}{path}", timeout=5) as r:
            raw = r.read()
            return json.loads(raw) if raw[:1] in b"{[" else raw

    def operations(self, name):
        con = sqlite3.connect(f"file:{self.replicas[name]['db']}?mode=ro", uri=True)
        try:
            return con.execute("SELECT app, commit_sha, phase FROM operations").fetchall()
        finally:
            con.close()

    def stop(self):
        for r in self.replicas.values():
            if r["proc"].poll() is None:
                r["proc"].kill()
                r["proc"].wait()
        self.sim.kill()
        self.sim.wait()


def make_repo(root):
    work = os.path.join(root, "env")
    bare = os.path.join(root, "env.git")
    run(["git", "init", "-q", "--bare", "-b", "main", bare])
    run(["git", "init", "-q", "-b", "main", work])
    os.makedirs(os.path.join(work, "base"))
    with open(os.path.join(work, "base", "kustomization.yaml"), "w") as f:
        f.write("resources:\n- deployment.yaml\nimages:\n- name: registry.example.com/web\n  newTag: \"1.0\"\n")
    with open(os.path.join(work, "base", "deployment.yaml"), "w") as f:
        f.write("""apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: registry.example.com/web}]}
""")
    for app in APPS:
        d = os.path.join(work, "apps", app)
        os.makedirs(d)
        with open(os.path.join(d, "kustomization.yaml"), "w") as f:
            f.write(f"namespace: {app}\nresources:\n- ns.yaml\n- ../../base\n")
        with open(os.path.join(d, "ns.yaml"), "w") as f:
            f.write(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {app}}}\n")
    commit(work, "initial", bare)
    return work, bare


def commit(work, message, bare=None):
    run(["git", "add", "-A"], cwd=work)
    run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", message], cwd=work)
    if bare:
        run(["git", "remote", "add", "origin", bare], cwd=work)
    run(["git", "push", "-q", "origin", "main"], cwd=work)
    return run(["git", "rev-parse", "HEAD"], cwd=work).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="gitopsd-shard-")
    cluster = None
    try:
        work, bare = make_repo(root)
        cluster = Cluster(os.path.abspath(args.bin_dir), root)
        apps = "\n".join(f"  - {{name: {a}, repo: \"file://{bare}\", path: apps/{a}, revision: main, cluster: sim,"
                         f" autoSync: true, prune: true, healthTimeout: 30s}}" for a in APPS)
        config = f"""
server: {{stateDir: STATE_DIR/state}}
auth: {{anonymous: viewer}}
webhooks: {{allowUnsigned: true}}
clusters: [{{name: sim, kubeconfig: {cluster.kubeconfig}}}]
repositories:
  - {{url: "file://{bare}", pollInterval: 3s}}
apps:
{apps}
"""
        for name in ["r1", "r2", "r3"]:
            cluster.start_replica(name, config)

        wait_for("every app on 1.0", lambda: all(cluster.image(a) == "registry.example.com/web:1.0" for a in APPS),
                 timeout=90)
        holders = wait_for("three shards held by three replicas",
                           lambda: (lambda h: len(h) == 3 and set(h.values()) == {"r1", "r2", "r3"} and h)
                           (cluster.holders()), timeout=6 * LEASE)
        print(f"PASS shards spread: {holders}")
        first = run(["git", "rev-parse", "HEAD"], cwd=work).strip()
        time.sleep(2)  # let every replica settle
        ops = [op for r in cluster.replicas for op in cluster.operations(r) if op[1] == first]
        for a in APPS:
            n = sum(1 for op in ops if op[0] == a)
            assert n == 1, (a, n, ops)
        print("PASS every app synced exactly once")

        victim = holders["gitopsd-shard-0"]
        cluster.replicas[victim]["proc"].send_signal(signal.SIGKILL)
        cluster.replicas[victim]["proc"].wait()
        killed = time.time()
        moved = wait_for("the victim's shards taken over",
                         lambda: (lambda h: victim not in h.values() and all(h.values()) and h)(cluster.holders()),
                         timeout=5 * LEASE)
        print(f"PASS kill -9 {victim}: shards moved in {time.time() - killed:.1f}s (lease {LEASE}s): {moved}")

        with open(os.path.join(work, "base", "kustomization.yaml")) as f:
            text = f.read()
        with open(os.path.join(work, "base", "kustomization.yaml"), "w") as f:
            f.write(text.replace('"1.0"', '"2.0"'))
        second = commit(work, "web 2.0")
        wait_for("every app on 2.0", lambda: all(cluster.image(a) == "registry.example.com/web:2.0" for a in APPS),
                 timeout=60)
        time.sleep(2)
        alive = [r for r in cluster.replicas if r != victim]
        ops = [op for r in alive for op in cluster.operations(r) if op[1] == second]
        ops += [op for op in cluster.operations(victim) if op[1] == second]
        for a in APPS:
            n = sum(1 for op in ops if op[0] == a)
            assert n == 1, (a, n, ops)
        print("PASS the new commit reached every app, each applied by one replica")
        app = cluster.get(alive[0], f"/api/v1/apps/{APPS[0]}")
        assert "shard" in app and app["shard"]["holder"] in alive, app.get("shard")
        print("shard_e2e: all passed")
        return 0
    except Exception:
        traceback.print_exc()
        for name in ["r1", "r2", "r3"]:
            log = os.path.join(root, name, "gitopsd.log")
            if os.path.exists(log):
                print(f"--- {name}")
                with open(log) as f:
                    print("".join(l for l in f.readlines() if '"shard"' in l or "error" in l)[-3000:])
        return 1
    finally:
        if cluster:
            cluster.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
