#!/usr/bin/env python3
"""Builds deploy/Dockerfile without a Docker engine, and checks the image.

No Docker engine runs on the development machines, so this carries the
Dockerfile out step by step in chroots: each stage starts from a minbase
debootstrap of Debian 12 (what the official debian:12 and debian:12-slim images
are made from), RUN runs in the stage's chroot with its ENV and WORKDIR, COPY
copies from the build context (a clean `git archive` of HEAD, as .dockerignore
would leave it) or from an earlier stage, USER/ENTRYPOINT/CMD are recorded.
Then the final stage is checked the way the container would run:

  * every shared library of every file in /usr/local/bin resolves (ldd);
  * the ENTRYPOINT runs as the image's USER: `--version`, `build` of the
    install manifests (deploy/kubernetes/base) with the kubectl-identical
    output compared against the host's gitopsd, and `serve` with the example
    config answering /healthz and /readyz against a kubesim inside the image;
  * the user is not root and owns its WORKDIR.

Needs root, debootstrap and the Debian mirror. Usage:

  deploy/image_check.py [--work /var/tmp/gitopsd-image] [--keep]

This is not `docker build`: layer caching, .dockerignore and the image format
are not exercised. It does run every instruction the Dockerfile has, with the
same base distribution, so a missing package, a wrong path or a missing
runtime library fails here as it would there.
"""
import argparse
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOUNTS = ["proc", "sys", "dev", "dev/pts"]


def sh(cmd, **kw):
    print("+ " + (cmd if isinstance(cmd, str) else " ".join(map(shlex.quote, cmd))), flush=True)
    return subprocess.run(cmd, shell=isinstance(cmd, str), check=True, **kw)


def parse(path):
    """Instructions of a Dockerfile: [(keyword, argument)], continuations joined."""
    out, cur = [], ""
    for raw in open(path):
        line = raw.rstrip("\n")
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        kw, _, arg = cur.strip().partition(" ")
        out.append((kw.upper(), arg.strip()))
        cur = ""
    return out


class Stage:
    def __init__(self, name, root):
        self.name, self.root = name, root
        self.env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "HOME": "/root"}
        self.workdir, self.user = "/", "0:0"
        self.entrypoint, self.cmd = [], []
        self.mounted = []

    def mount(self):
        for m in MOUNTS:
            target = os.path.join(self.root, m)
            os.makedirs(target, exist_ok=True)
            subprocess.run(["mount", "--bind", "/" + m, target], check=True)
            self.mounted.append(target)
        shutil.copy("/etc/resolv.conf", os.path.join(self.root, "etc/resolv.conf"))

    def umount(self):
        for target in reversed(self.mounted):
            subprocess.run(["umount", "-l", target], check=False)
        self.mounted = []

    def chroot(self, argv, user=None, **kw):
        env = ["env", "-i"] + ["%s=%s" % kv for kv in self.env.items()]
        spec = ["--userspec=" + (user or self.user)]
        inner = ["sh", "-c", 'cd "$0" && exec "$@"', self.workdir] + argv
        return subprocess.run(["chroot"] + spec + [self.root] + env + inner, **kw)


def base_system(work):
    base = os.path.join(work, "base")
    if not os.path.exists(os.path.join(base, "usr/bin/apt-get")):
        shutil.rmtree(base, ignore_errors=True)
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(work, "debootstrap.log"), "w") as log:
            sh(["debootstrap", "--variant=minbase", "bookworm", base, "http://deb.debian.org/debian"],
               stdout=log, stderr=subprocess.STDOUT)
    return base


def build(dockerfile, context, work):
    base = base_system(work)
    stages, stage = {}, None
    for kw, arg in parse(dockerfile):
        if kw == "FROM":
            image, _, name = arg.partition(" AS ")
            image = image.strip()
            if image not in ("debian:12", "debian:12-slim", "debian:bookworm", "debian:bookworm-slim"):
                raise SystemExit("image_check: FROM %s: only Debian 12 bases are supported" % image)
            name = name.strip() or "stage%d" % len(stages)
            root = os.path.join(work, "stage-" + name)
            if os.path.exists(root):
                sh(["rm", "-rf", "--one-file-system", root])
            sh(["cp", "-a", base, root])
            stage = Stage(name, root)
            stage.mount()
            stages[name] = stage
        elif kw == "RUN":
            os.makedirs(stage.root + stage.workdir, exist_ok=True)
            print("+ [%s] RUN %s" % (stage.name, arg[:160]), flush=True)
            r = stage.chroot(["sh", "-c", arg])
            if r.returncode != 0:
                raise SystemExit("image_check: [%s] RUN failed (exit %d): %s" % (stage.name, r.returncode, arg[:200]))
        elif kw == "WORKDIR":
            stage.workdir = arg if arg.startswith("/") else os.path.join(stage.workdir, arg)
            os.makedirs(stage.root + stage.workdir, exist_ok=True)
        elif kw == "ENV":
            key, _, value = arg.partition("=") if "=" in arg.split()[0] else arg.partition(" ")
            stage.env[key.strip()] = value.strip().strip('"')
        elif kw == "USER":
            stage.user = arg if ":" in arg else arg + ":" + arg
            # As Docker does: HOME from the user's passwd entry ("/" if none).
            uid = stage.user.split(":")[0]
            home = "/"
            for line in open(os.path.join(stage.root, "etc/passwd")):
                f = line.rstrip("\n").split(":")
                if len(f) > 5 and uid in (f[0], f[2]):
                    home = f[5]
                    break
            stage.env["HOME"] = home
        elif kw == "COPY":
            words = shlex.split(arg)
            src_root = context
            if words[0].startswith("--from="):
                src_root = stages[words[0][len("--from="):]].root
                words = words[1:]
            *srcs, dest = words
            dest_abs = stage.root + (dest if dest.startswith("/") else os.path.join(stage.workdir, dest))
            for src in srcs:
                path = os.path.join(src_root, src.lstrip("/")) if src != "." else src_root
                if os.path.isdir(path):
                    sh(["cp", "-a", path + "/.", dest_abs])
                else:
                    os.makedirs(dest_abs if dest.endswith("/") else os.path.dirname(dest_abs), exist_ok=True)
                    sh(["cp", "-a", path, dest_abs])
        elif kw == "ENTRYPOINT":
            stage.entrypoint = json.loads(arg)
        elif kw == "CMD":
            stage.cmd = json.loads(arg)
        elif kw in ("EXPOSE", "LABEL", "ARG"):
            pass
        else:
            raise SystemExit("image_check: instruction %s is not supported" % kw)
    return stages, stage


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status
        except Exception:
            time.sleep(0.3)
    raise SystemExit("image_check: %s did not answer" % url)


def check(final, host_gitopsd):
    failures = []
    uid = int(final.user.split(":")[0])
    if uid == 0:
        failures.append("USER is root")
    st = os.stat(final.root + final.workdir)
    if st.st_uid != uid:
        failures.append("WORKDIR %s is owned by %d, not the image's user %d" % (final.workdir, st.st_uid, uid))

    bindir = final.root + "/usr/local/bin"
    for f in sorted(os.listdir(bindir)):
        r = final.chroot(["ldd", "/usr/local/bin/" + f], capture_output=True, text=True)
        missing = [l.strip() for l in r.stdout.splitlines() if "not found" in l]
        print("ldd %s: %d libraries, %d missing" % (f, r.stdout.count("=>"), len(missing)))
        if missing:
            failures.append("%s: %s" % (f, "; ".join(missing)))

    ep = final.entrypoint
    r = final.chroot(ep + ["--version"], capture_output=True, text=True)
    print("%s --version: %s" % (ep[0], (r.stdout + r.stderr).strip()))
    if r.returncode != 0:
        failures.append("--version exited %d" % r.returncode)

    # build: the install manifests, rendered inside the image as its user.
    manifests = final.root + "/tmp/kubernetes"
    shutil.copytree(os.path.join(ROOT, "deploy/kubernetes"), manifests, dirs_exist_ok=True)
    r = final.chroot(ep + ["build", "/tmp/kubernetes/base"], capture_output=True, text=True)
    host = subprocess.run([host_gitopsd, "build", os.path.join(ROOT, "deploy/kubernetes/base")],
                          capture_output=True, text=True) if host_gitopsd else None
    if r.returncode != 0:
        failures.append("build exited %d: %s" % (r.returncode, r.stderr.strip()[:300]))
    elif host is not None and host.returncode == 0 and host.stdout != r.stdout:
        failures.append("build in the image differs from the host's gitopsd")
    else:
        print("build deploy/kubernetes/base: %d bytes, %d objects%s" % (
            len(r.stdout), r.stdout.count("\nkind: ") + r.stdout.startswith("kind: "),
            ", identical to the host's" if host is not None and host.returncode == 0 else ""))

    # serve: kubesim (from the image) + gitopsd serve, both as the image's user.
    kport, port = free_port(), free_port()
    cfgdir = final.root + "/tmp/run"
    os.makedirs(cfgdir, exist_ok=True)
    os.chown(cfgdir, uid, uid)
    procs = []
    try:
        procs.append(subprocess.Popen(
            ["chroot", "--userspec=" + final.user, final.root, "/usr/local/bin/kubesim", "--listen",
             "127.0.0.1:%d" % kport, "--kubeconfig-out", "/tmp/run/kubeconfig", "--cert-dir", "/tmp/run/certs"],
            stdout=subprocess.DEVNULL, stderr=open(cfgdir + "/kubesim.log", "w")))
        for _ in range(100):
            if os.path.exists(cfgdir + "/kubeconfig") or procs[0].poll() is not None:
                break
            time.sleep(0.1)
        if not os.path.exists(cfgdir + "/kubeconfig"):
            raise SystemExit("image_check: kubesim did not start: " + open(cfgdir + "/kubesim.log").read()[-500:])
        # An env repository (deploy/examples/shop) the daemon polls with
        # libgit2, renders and applies: the whole path, inside the image.
        repo = cfgdir + "/env.git"
        work_tree = cfgdir + "/env"
        shutil.copytree(os.path.join(ROOT, "deploy/examples/shop"), work_tree)
        git = ["git", "-c", "user.name=image-check", "-c", "user.email=image-check@example.com",
               "-c", "init.defaultBranch=main"]
        subprocess.run(git + ["init", "-q", "--bare", repo], check=True)
        subprocess.run(git + ["-C", work_tree, "init", "-q"], check=True)
        subprocess.run(git + ["-C", work_tree, "add", "-A"], check=True)
        subprocess.run(git + ["-C", work_tree, "commit", "-qm", "shop"], check=True)
        subprocess.run(git + ["-C", work_tree, "push", "-q", repo, "HEAD:main"], check=True)
        subprocess.run(["chown", "-R", "%d:%d" % (uid, uid), cfgdir], check=True)
        with open(cfgdir + "/gitopsd.yaml", "w") as f:
            f.write('server: {listen: "127.0.0.1:%d", stateDir: /var/lib/gitopsd/state}\n'
                    'clusters: [{name: local, kubeconfig: /tmp/run/kubeconfig}]\n'
                    'repositories: [{url: "file:///tmp/run/env.git", pollInterval: 5s}]\n'
                    'apps: [{name: shop-dev, repo: "file:///tmp/run/env.git", path: overlays/dev,\n'
                    '        revision: main, cluster: local, autoSync: true, prune: true}]\n' % port)
        procs.append(subprocess.Popen(
            ["chroot", "--userspec=" + final.user, final.root] + ep + ["serve", "--config", "/tmp/run/gitopsd.yaml"],
            stdout=subprocess.DEVNULL, stderr=open(cfgdir + "/gitopsd.log", "w")))
        for path in ("/healthz", "/readyz"):
            code = wait_http("http://127.0.0.1:%d%s" % (port, path))
            print("serve %s: HTTP %d" % (path, code))
        deadline, app = time.time() + 60, {}
        while time.time() < deadline:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/apps/shop-dev" % port, timeout=2) as r:
                    app = json.load(r)
            except Exception:
                pass
            if app.get("sync", {}).get("status") == "Synced" and app.get("health", {}).get("status") == "Healthy":
                break
            time.sleep(0.5)
        print("serve shop-dev: %s/%s at %s" % (app.get("sync", {}).get("status"), app.get("health", {}).get("status"),
                                              (app.get("sync", {}).get("revision") or "")[:7]))
        if app.get("sync", {}).get("status") != "Synced" or app.get("health", {}).get("status") != "Healthy":
            failures.append("shop-dev did not become Synced and Healthy in 60 s: %s" % json.dumps(app)[:400])
        if not os.path.isdir(final.root + "/var/lib/gitopsd/state"):
            failures.append("serve did not create its state directory")
    except SystemExit as e:
        log = cfgdir + "/gitopsd.log"
        failures.append(str(e) + ("; gitopsd.log: " + open(log).read()[-500:] if os.path.exists(log) else ""))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="/var/tmp/gitopsd-image")
    ap.add_argument("--dockerfile", default=os.path.join(ROOT, "deploy/Dockerfile"))
    ap.add_argument("--host-gitopsd", default=None,
                    help="a gitopsd to compare `build` output with (default: build*/bin/gitopsd if present)")
    ap.add_argument("--keep", action="store_true", help="keep the stage folders")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("image_check: needs root (chroot, mount)")
    host = args.host_gitopsd
    if host is None:
        for d in ("build", "build-demo", "build-asan"):
            if os.access(os.path.join(ROOT, d, "bin/gitopsd"), os.X_OK):
                host = os.path.join(ROOT, d, "bin/gitopsd")
                break

    started = time.time()
    context = tempfile.mkdtemp(prefix="context-", dir=args.work if os.path.isdir(args.work) else None)
    sh("git -C %s archive HEAD | tar -x -C %s" % (shlex.quote(ROOT), shlex.quote(context)))
    stages = {}
    try:
        stages, final = build(args.dockerfile, context, args.work)
        built = time.time()
        failures = check(final, host)
    finally:
        for s in stages.values():
            s.umount()
        shutil.rmtree(context, ignore_errors=True)
    size = subprocess.run(["du", "-sm", "--exclude=proc", "--exclude=sys", "--exclude=dev",
                           "--exclude=var/cache/apt", "--exclude=usr/share/doc", "--exclude=usr/share/man", final.root],
                          capture_output=True, text=True).stdout.split()[0]
    if not args.keep:
        for s in stages.values():
            subprocess.run(["rm", "-rf", "--one-file-system", s.root], check=False)
    print("image_check: %d stages built in %.0f s; runtime stage %s MB (uncompressed; apt cache, docs and man pages left out as in debian:12-slim)"
          % (len(stages), built - started, size))
    if failures:
        print("image_check: FAILED\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("image_check: OK")


if __name__ == "__main__":
    main()
