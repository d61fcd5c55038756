#!/usr/bin/env python3
"""Whole-process comparison: `gitopsd build DIR` against `kubectl kustomize DIR`.

Generates the benchmark trees of ../shared/bench (gen_bench.py) into --trees-dir when they
are missing, then for every case runs each tool as a fresh process --runs times and reads
that process's own rusage (os.wait4): wall time, user+sys CPU, peak RSS. Before timing, it
renders every target once with both tools and checks the two outputs are byte-identical.

Cases: every target of small and medium, large/layers/l4-env, and `monorepo` = all 200
apps rendered one process after the other (as a repo server renders one app per request);
for that case a run's time is the sum over the 200 processes and its peak RSS the largest
of them.

Prints a Markdown table (median over the runs; min-max in the JSON) and writes it, with the
raw samples, to --out (DIR/compare.md, DIR/compare.json).

  bench/compare_kustomize.py --gitopsd build/bin/gitopsd --runs 5
  bench/compare_kustomize.py --cases small,medium --runs 3      # a quick look

The machine is shared: read CPU time next to wall time, and compare ratios measured in
the same run rather than absolute figures across runs.
"""
import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def run_once(argv, capture=False):
    """Runs argv; returns (wall s, cpu s, peak RSS KiB, stdout bytes or None)."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    # stderr goes to a file, not a pipe: kubectl's warnings could fill a pipe while stdout is
    # being read, and the process must stay unreaped until os.wait4 reads its rusage.
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err)
        data = p.stdout.read() if capture else None
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = code = os.waitstatus_to_exitcode(status)
        if capture:
            p.stdout.close()
        if code != 0:
            err.seek(0)
            raise RuntimeError(f"{shlex.join(argv)} exited {code}: "
                               f"{err.read().decode(errors='replace')[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, data


def targets(trees_dir, tree):
    with open(os.path.join(trees_dir, tree, "targets.txt")) as f:
        return [os.path.join(trees_dir, tree, line.strip()) for line in f if line.strip()]


def make_cases(trees_dir, names):
    cases = []
    for tree in ("small", "medium"):
        if tree in names:
            for d in targets(trees_dir, tree):
                cases.append((os.path.relpath(d, trees_dir), [d]))
    if "large" in names:
        cases.append(("large/layers/l4-env", [os.path.join(trees_dir, "large/layers/l4-env")]))
    if "monorepo" in names:
        apps = targets(trees_dir, "monorepo")
        cases.append((f"monorepo ({len(apps)} apps, one process each)", apps))
    return cases


def measure(cmd, dirs, runs):
    """`runs` samples of rendering every dir in `dirs` one process after the other."""
    samples = []
    for _ in range(runs):
        wall = cpu = 0.0
        rss = 0
        for d in dirs:
            w, c, r, _ = run_once(cmd + [d])
            wall, cpu, rss = wall + w, cpu + c, max(rss, r)
        samples.append({"wall_s": wall, "cpu_s": cpu, "rss_kib": rss})
    return {
        "samples": samples,
        "median_s": statistics.median(s["wall_s"] for s in samples),
        "min_s": min(s["wall_s"] for s in samples),
        "max_s": max(s["wall_s"] for s in samples),
        "median_cpu_s": statistics.median(s["cpu_s"] for s in samples),
        "peak_rss_mib": max(s["rss_kib"] for s in samples) / 1024.0,
    }


def identical(gitopsd, kubectl, dirs, trees_dir, cache_dir):
    """Renders each dir once with both tools; returns the dirs whose outputs differ.

    kubectl's outputs are kept in cache_dir and reused while they are newer than the
    tree's targets.txt (gen_bench.py rewrites it), which saves the 5-minute `large` render
    when the comparison is repeated."""
    differ = []
    for d in dirs:
        rel = os.path.relpath(d, trees_dir)
        cached = os.path.join(cache_dir, rel.replace("/", "__") + ".yaml")
        stamp = os.path.join(trees_dir, rel.split("/")[0], "targets.txt")
        if os.path.exists(cached) and os.path.getmtime(cached) > os.path.getmtime(stamp):
            with open(cached, "rb") as f:
                b = f.read()
        else:
            b = run_once(kubectl + [d], capture=True)[3]
            os.makedirs(cache_dir, exist_ok=True)
            with open(cached, "wb") as f:
                f.write(b)
        a = run_once(gitopsd + [d], capture=True)[3]
        if a != b:
            differ.append(d)
            with open(cached[:-5] + ".gitopsd.yaml", "wb") as f:
                f.write(a)
    return differ


def fmt_s(x):
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gitopsd", default=os.path.join(REPO, "build/bin/gitopsd"))
    ap.add_argument("--kubectl", default="kubectl kustomize",
                    help="peer command, DIR is appended (default: 'kubectl kustomize')")
    ap.add_argument("--trees-dir", default=os.path.join(REPO, "build/bench-trees"))
    ap.add_argument("--shared-bench", default=os.path.join(REPO, "../shared/bench"),
                    help="where gen_bench.py lives")
    ap.add_argument("--cases", default="small,medium,large,monorepo")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per case and tool")
    ap.add_argument("--kubectl-large-runs", type=int, default=3,
                    help="timed kubectl runs of large (5-6 min each on 2 idle cores; 0: do not time)")
    ap.add_argument("--kubectl-monorepo-runs", type=int, default=3,
                    help="timed kubectl runs of the 200 monorepo apps (about 2 min each)")
    ap.add_argument("--no-check", action="store_true", help="skip the output comparison")
    ap.add_argument("--out", default=os.path.join(REPO, "build/bench-results"))
    ap.add_argument("--kubectl-cache", default=os.path.join(REPO, "build/bench-results/kubectl-out"),
                    help="kubectl outputs kept for the identical-output check")
    a = ap.parse_args()

    names = [n for n in a.cases.split(",") if n]
    missing = [n for n in names if not os.path.exists(os.path.join(a.trees_dir, n, "targets.txt"))]
    if missing:
        gen = os.path.join(a.shared_bench, "gen_bench.py")
        print(f"generating {','.join(missing)} into {a.trees_dir}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, gen, "--out", a.trees_dir, "--trees", ",".join(missing)],
                       check=True, stdout=subprocess.DEVNULL)

    gitopsd = [os.path.abspath(a.gitopsd), "build"]
    kubectl = shlex.split(a.kubectl)
    kver = subprocess.run(["kubectl", "version", "--client"], capture_output=True,
                          text=True).stdout.strip().replace("\n", ", ")
    rows, results = [], []
    for name, dirs in make_cases(a.trees_dir, names):
        differ = [] if a.no_check else identical(gitopsd, kubectl, dirs, a.trees_dir,
                                                  a.kubectl_cache)
        kruns = a.runs
        if name.startswith("large"):
            kruns = a.kubectl_large_runs
        elif name.startswith("monorepo"):
            kruns = a.kubectl_monorepo_runs
        g = measure(gitopsd, dirs, a.runs)
        k = measure(kubectl, dirs, kruns) if kruns > 0 else None
        rec = {"case": name, "gitopsd": g, "kubectl": k, "gitopsd_runs": a.runs,
               "kubectl_runs": kruns, "identical": None if a.no_check else not differ,
               "differ": [os.path.relpath(d, a.trees_dir) for d in differ]}
        results.append(rec)
        same = "n/a" if a.no_check else ("yes" if not differ else f"NO ({len(differ)})")
        gcol = (f"{fmt_s(g['median_s'])} ({fmt_s(g['median_cpu_s'])} cpu) | "
                f"{g['peak_rss_mib']:.0f} MiB")
        if k is None:  # --kubectl-*-runs 0: gitopsd timed alone
            row = f"| {name} | not timed | | {gcol} | | {same} |"
        else:
            row = (f"| {name} | {fmt_s(k['median_s'])} ({fmt_s(k['median_cpu_s'])} cpu) | "
                   f"{k['peak_rss_mib']:.0f} MiB | {gcol} | "
                   f"{k['median_s'] / g['median_s']:.0f}x / "
                   f"{k['median_cpu_s'] / g['median_cpu_s']:.0f}x | {same} |")
        rows.append(row)
        print(row, file=sys.stderr, flush=True)

    header = ("| tree | kubectl kustomize | kubectl peak RSS | gitopsd build | gitopsd peak RSS "
              "| speed-up (wall / cpu) | identical output |\n|---|---|---|---|---|---|---|")
    table = header + "\n" + "\n".join(rows)
    os.makedirs(a.out, exist_ok=True)
    meta = {"machine": machine(), "kubectl": kver, "date": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                          time.gmtime()),
            "loadavg_end": os.getloadavg(), "runs": a.runs,
            "command": shlex.join([sys.argv[0]] + sys.argv[1:])}
    with open(os.path.join(a.out, "compare.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    with open(os.path.join(a.out, "compare.md"), "w") as f:
        f.write(f"{meta['date']}, {meta['machine']}, {kver}\n\n{table}\n")
    print(table)
    bad = [r["case"] for r in results if r["identical"] is False]
    if bad:
        print(f"outputs differ from kubectl: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
