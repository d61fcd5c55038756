#!/usr/bin/env python3
"""Runs `make demo`'s script (deploy/demo.sh) as a user would and does the
three things it prints to try, exactly as printed: an image bump rolls out to
dev, a crashloop image is rolled back by itself, prod syncs on request. Then
Ctrl-C stops everything and a second start keeps the history.

Usage: demo_check.py --bin-dir BUILD/bin
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from e2e_util import free_port, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))






class Demo:
    def __init__(self, bin_dir, work):
        self.work = work
        self.port = free_port()
        self.env = dict(os.environ, DEMO_DIR=os.path.join(work, "demo"), DEMO_BIN=bin_dir,
                        DEMO_PORT=str(self.port), DEMO_KUBE_PORT=str(free_port()))
        self.proc = None
        self.out = ""

    def start(self):
        log = open(os.path.join(self.work, "demo.out"), "w")
        self.proc = subprocess.Popen(["bash", os.path.join(ROOT, "deploy/demo.sh")], env=self.env,
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started = time.time()
        wait_for("the demo's banner", lambda: "Ctrl-C stops everything" in self.read(), timeout=180)
        return time.time() - started

    def read(self):
        with open(os.path.join(self.work, "demo.out")) as f:
            self.out = f.read()
        return self.out

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=60)
        assert "demo: stopped" in self.read(), self.out[-2000:]
        assert "a process exited" not in self.out, self.out[-2000:]

    def token(self):
        with open(os.path.join(self.env["DEMO_DIR"], "admin.token")) as f:
            return f.read().strip()

    def api(self, path, method="GET", body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode())
        req.add_header("Authorization", "Bearer " + self.token())
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def app(self, name):
        return self.api(f"/api/v1/apps/{name}")

    def try_command(self, number):
        """The shell command printed after "N." in the banner, joined across its continuation line."""
        lines = self.out.splitlines()
        start = next(i for i, l in enumerate(lines) if l.strip().startswith(f"{number}. "))
        cmd = ""
        for l in lines[start + 1:]:
            if not l.strip().startswith(("cd ", "&&")):
                continue  # prose before the command
            cmd += l.strip()
            if not cmd.endswith("\\"):
                break
            cmd = cmd[:-1] + " "
        return cmd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="gitopsd-demo-check-")
    demo = Demo(os.path.abspath(args.bin_dir), work)
    try:
        took = demo.start()
        print(f"demo up in {took:.1f}s")
        for name in ["shop-dev", "shop-staging", "shop-prod"]:
            assert re.search(rf"^\s+{name}\s+Synced\s+Healthy", demo.out, re.M), demo.out
        print("PASS three apps Synced/Healthy in the banner")

        subprocess.run(["bash", "-c", demo.try_command(1)], check=True)
        wait_for("dev on 1.1.0", lambda: all(i.endswith(":1.1.0") for i in demo.app("shop-dev")["images"] if "/shop/" in i)
                 and demo.app("shop-dev")["sync"]["status"] == "Synced"
                 and demo.app("shop-dev")["health"]["status"] == "Healthy", timeout=60)
        print("PASS try 1: the image bump rolled out to dev")

        good = demo.app("shop-dev")["sync"]["revision"]
        subprocess.run(["bash", "-c", demo.try_command(2)], check=True)
        wait_for("automatic rollback", lambda: any(h["phase"] == "RolledBack" or h["initiator"] == "rollback"
                                                   for h in demo.api("/api/v1/apps/shop-dev/history")["items"]),
                 timeout=120)
        wait_for("dev back on the good revision", lambda: demo.app("shop-dev")["sync"]["revision"] == good
                 and demo.app("shop-dev")["health"]["status"] == "Healthy", timeout=60)
        print("PASS try 2: the crashloop image was rolled back automatically")

        assert demo.app("shop-prod")["sync"]["status"] == "Synced"  # dev's commits did not touch prod's files
        subprocess.run(["bash", "-c", demo.try_command(3)], check=True)
        wait_for("prod OutOfSync", lambda: demo.app("shop-prod")["sync"]["status"] == "OutOfSync", timeout=30)
        op = demo.api("/api/v1/apps/shop-prod/sync", method="POST", body={"prune": True})
        assert op, op
        wait_for("prod synced on 1.1.0", lambda: demo.app("shop-prod")["sync"]["status"] == "Synced" and
                 all(i.endswith(":1.1.0") for i in demo.app("shop-prod")["images"] if "/shop/" in i), timeout=60)
        print("PASS try 3: prod synced on request")

        before = len(demo.api("/api/v1/apps/shop-dev/history")["items"])
        demo.stop()
        print("PASS Ctrl-C stops everything")
        took = demo.start()
        after = len(demo.api("/api/v1/apps/shop-dev/history")["items"])
        assert after >= before, (before, after)
        print(f"PASS second start in {took:.1f}s keeps the history ({after} operations)")
        demo.stop()
        print("demo_check: all passed")
        return 0
    except Exception:
        import traceback
        traceback.print_exc()
        print(demo.read()[-3000:])
        try:
            os.killpg(demo.proc.pid, signal.SIGKILL)
        except Exception:
            pass
        return 1


if __name__ == "__main__":
    sys.exit(main())
