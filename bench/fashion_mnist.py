#!/usr/bin/python3
"""Fashion-MNIST softmax regression and MLP, ours against PyTorch, side by side in one run.

    /usr/bin/python3 bench/fashion_mnist.py            (or: scripts/bench fashion-mnist)

For each program (softmax-scratch, softmax-concise, mlp-scratch, mlp-concise) trains ours
(`build/d2l PROGRAM --quiet --metrics FILE`) and the course's PyTorch program
(bench/pytorch/fashion_mnist.py) for the same epochs on the same files
(data/fashion-mnist, from scripts/fetch-data), alternating who goes first, and prints one
table: seconds per training epoch and evaluation seconds (min / median over epochs and
rounds), the ratios PyTorch / ours against the targets (softmax >= 5x, MLP >= 1.5x), final
test accuracies and their difference (<= 0.015), and peak memory (max RSS) of each run.
It also reports the MLP epoch's GEMM work as a share of the machine's sgemm throughput
(cblas_sgemm on the epoch's shapes, from build/bench/bench_matmul).

Only the Python standard library is used here; PyTorch runs in child processes of
/usr/bin/python3 (Debian python3-torch).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

from report import finish, log, print_table, stats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_PYTHON = "/usr/bin/python3"
PROGRAMS = ["softmax-scratch", "softmax-concise", "mlp-scratch", "mlp-concise"]
SPEED_TARGET = {"softmax": 5.0, "mlp": 1.5}
ACC_TOLERANCE = 0.015
ACC_FLOOR = {"softmax": 0.82, "mlp": 0.84}


def run_measured(cmd, env=None):
    """Runs cmd; returns (returncode, stdout, stderr, max RSS in MiB) of that child alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read().decode(), err.read().decode(), usage.ru_maxrss / 1024.0


def run_ours(binary, program, epochs, seed, threads, data_dir):
    fd, path = tempfile.mkstemp(prefix="d2l-bench-", suffix=".json")
    os.close(fd)
    outdir = tempfile.mkdtemp(prefix="d2l-bench-out-")
    try:
        cmd = [binary, program, "--quiet", "--metrics", path, "--seed", str(seed), "--epochs", str(epochs),
               "--out", outdir, "--data-dir", data_dir]
        if threads:
            cmd += ["--threads", str(threads)]
        rc, _, err, rss = run_measured(cmd)
        if rc != 0:
            return None, "%s exited %d: %s" % (" ".join(cmd), rc, err.strip()[-300:])
        with open(path) as f:
            m = json.load(f)
        return {"history": m["history"], "max_rss_mb": rss}, None
    except (OSError, ValueError, KeyError) as e:
        return None, "%s: bad metrics file: %r" % (program, e)
    finally:
        os.unlink(path)
        subprocess.run(["rm", "-rf", outdir])


def run_torch(program, epochs, seed, threads, data_dir):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    cmd = [TORCH_PYTHON, os.path.join(ROOT, "bench/pytorch/fashion_mnist.py"), "--program", program,
           "--epochs", str(epochs), "--seed", str(seed), "--data-dir", data_dir]
    if threads:
        cmd += ["--threads", str(threads)]
    rc, out, err, rss = run_measured(cmd, env)
    if rc != 0:
        return None, "PyTorch %s exited %d: %s" % (program, rc, err.strip()[-500:])
    lines = [l for l in out.splitlines() if l.startswith("{")]
    if not lines:
        return None, "PyTorch %s printed no JSON line" % program
    r = json.loads(lines[-1])
    r["max_rss_mb"] = rss
    return r, None


def sgemm_gflops(build_dir, threads):
    """cblas_sgemm GFLOP/s (best wall time) on the MLP's (256x784)@(784x256) product in its
    three layouts (forward, weight and input gradients) at the thread count used, from
    bench_matmul."""
    exe = os.path.join(ROOT, build_dir, "bench/bench_matmul")
    if not os.path.exists(exe):
        return None
    proc = subprocess.run([exe, "--benchmark_filter=cblas_(nn|tn|nt)/256x784x256/threads:%d$" % threads,
                           "--benchmark_color=false", "--benchmark_min_time=0.2"],
                          cwd=ROOT, capture_output=True, text=True)
    text = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)  # the console reporter colours even when piped
    times = [float(m.group(1)) * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3}[m.group(2)]
             for m in re.finditer(r"^cblas_\w+/256x784x256/threads:\d+\s+([\d.]+) (ns|us|ms)", text, re.M)]
    return 2.0 * 256 * 784 * 256 / min(times) / 1e9 if times else None


def mlp_epoch_gflop(train_examples=60000, hidden=256):
    """GEMM work of one MLP training epoch: forward, input gradient (second layer only: the
    first layer's input needs none) and weight gradients of 784-hidden-10."""
    fwd = 2.0 * train_examples * (784 * hidden + hidden * 10)
    bwd_weights = fwd
    bwd_input = 2.0 * train_examples * hidden * 10
    return (fwd + bwd_weights + bwd_input) / 1e9


def fmt_pair(pair, digits=3):
    if pair[0] is None:
        return "n/a"
    return "%.*f / %.*f" % (digits, pair[0], digits, pair[1])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--programs", default=",".join(PROGRAMS), help="comma-separated subset of %s" % PROGRAMS)
    p.add_argument("--epochs", type=int, default=10, help="epochs per training (default 10)")
    p.add_argument("--rounds", type=int, default=1, help="trainings of each side per program (default 1)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0,
                   help="threads for both sides (default: PyTorch all cores, as the baseline; ours its own default, "
                        "one per core for the MLP and one for softmax regression)")
    p.add_argument("--data-dir", default=os.environ.get("D2L_DATA", "data"))
    p.add_argument("--binary", default="build/d2l", help="our program, relative to the repo")
    p.add_argument("--build-dir", default="build", help="where bench/bench_matmul is built")
    p.add_argument("--no-deps", action="store_true", help="skip scripts/deps, scripts/fetch-data and scripts/build")
    p.add_argument("--json", metavar="FILE", help="also write every measurement to FILE")
    args = p.parse_args()

    if not args.no_deps:
        subprocess.run([os.path.join(ROOT, "scripts/deps"), "python3-torch", "libopenblas0-pthread"], check=True)
        subprocess.run([os.path.join(ROOT, "scripts/fetch-data"), "fashion-mnist", "--data-dir", args.data_dir],
                       check=True, cwd=ROOT)
        if not os.path.exists(os.path.join(ROOT, args.binary)):
            subprocess.run([os.path.join(ROOT, "scripts/build")], check=True)
    binary = os.path.join(ROOT, args.binary)
    data_dir = os.path.abspath(os.path.join(ROOT, args.data_dir)) if not os.path.isabs(args.data_dir) else args.data_dir

    wanted = [n for n in PROGRAMS if n in args.programs.split(",")]
    results = {n: {"ours": [], "torch": [], "errors": []} for n in wanted}
    for name in wanted:
        for rnd in range(args.rounds):
            order = ("ours", "torch") if rnd % 2 == 0 else ("torch", "ours")
            for side in order:
                seed = args.seed + rnd
                if side == "ours":
                    r, err = run_ours(binary, name, args.epochs, seed, args.threads, data_dir)
                else:
                    r, err = run_torch(name, args.epochs, seed, args.threads or os.cpu_count() or 1, data_dir)
                if err:
                    results[name]["errors"].append(err)
                    log(err)
                else:
                    results[name][side].append(r)
                    h = r["history"][-1]
                    log("%s %s: %.3f s/epoch (last), test acc %.4f, max RSS %.0f MiB" % (
                        name, side, h["seconds"], h["test_acc"], r["max_rss_mb"]))

    header = ["program", "ours s/epoch (min / med)", "PyTorch s/epoch (min / med)", "ratio (min, med)", "target",
              "ours eval s (med)", "PyTorch eval s (med)", "ours test acc", "PyTorch test acc", "acc check",
              "ours max RSS MiB", "PyTorch max RSS MiB"]
    rows, summary, ok = [], {}, True
    for name in wanted:
        r = results[name]
        kind = name.split("-")[0]
        ep = lambda runs, key: [h[key] for run in runs for h in run["history"]]
        o, t = stats(ep(r["ours"], "seconds")), stats(ep(r["torch"], "seconds"))
        oe, te = stats(ep(r["ours"], "eval_seconds")), stats(ep(r["torch"], "eval_seconds"))
        ratio = (t[0] / o[0], t[1] / o[1]) if o[0] and t[0] else None
        target = SPEED_TARGET[kind]
        speed_ok = ratio is not None and min(ratio) >= target
        oacc = [run["history"][-1]["test_acc"] for run in r["ours"]]
        tacc = [run["history"][-1]["test_acc"] for run in r["torch"]]
        acc_ok = bool(oacc and tacc) and all(a >= ACC_FLOOR[kind] for a in oacc) and \
            abs(statistics.mean(oacc) - statistics.mean(tacc)) <= ACC_TOLERANCE
        ok = ok and speed_ok and acc_ok
        orss = max((run["max_rss_mb"] for run in r["ours"]), default=None)
        trss = max((run["max_rss_mb"] for run in r["torch"]), default=None)
        rows.append([name, fmt_pair(o), fmt_pair(t), "%.1fx, %.1fx" % ratio if ratio else "n/a",
                     ">= %gx %s" % (target, "PASS" if speed_ok else "FAIL"),
                     "%.3f" % oe[1] if oe[1] else "n/a", "%.3f" % te[1] if te[1] else "n/a",
                     ", ".join("%.4f" % a for a in oacc) or "n/a", ", ".join("%.4f" % a for a in tacc) or "n/a",
                     ">= %.2f, |diff| <= %.3f %s" % (ACC_FLOOR[kind], ACC_TOLERANCE, "PASS" if acc_ok else "FAIL"),
                     "%.0f" % orss if orss else "n/a", "%.0f" % trss if trss else "n/a"])
        summary[name] = {"ours": r["ours"], "torch": r["torch"], "errors": r["errors"], "ratio_min_median": ratio,
                         "speed_ok": speed_ok, "acc_ok": acc_ok}

    print_table(header, rows)

    tenv = next((run["env"] for n in wanted for run in results[n]["torch"]), None)
    if tenv:
        print("PyTorch %s, %d threads (OpenBLAS %s threads: %s), OMP_WAIT_POLICY=%s; ours --threads %s. %d epochs, "
              "%d round(s); s/epoch = one training epoch (loader + forward + backward + update + metrics); eval = "
              "the test-accuracy pass." % (tenv["torch"], tenv["torch_threads"], tenv["openblas_threads"],
                                           tenv["openblas"], tenv["omp_wait_policy"],
                                           args.threads or "default", args.epochs,
                                           args.rounds))
    if "mlp-concise" in wanted or "mlp-scratch" in wanted:
        mlp_threads = args.threads or os.cpu_count() or 1
        peak = sgemm_gflops(args.build_dir, mlp_threads)
        gflop = mlp_epoch_gflop()
        for name in [n for n in wanted if n.startswith("mlp")]:
            o = stats([h["seconds"] for run in results[name]["ours"] for h in run["history"]])
            if o[0] and peak:
                at_peak = gflop / peak
                print("%s: %.1f GFLOP of GEMM per epoch; cblas_sgemm (256x784x256, %d threads) runs at %.1f GFLOP/s, "
                      "so the GEMMs alone need %.3f s = %.0f%% of our best epoch (%.3f s): the epoch runs at %.0f%% "
                      "of the machine's sgemm throughput." % (name, gflop, mlp_threads, peak, at_peak,
                                                             100 * at_peak / o[0], o[0], 100 * at_peak / o[0]))
            elif not peak:
                print("%s: sgemm throughput unknown (build %s/bench/bench_matmul)" % (name, args.build_dir))
    return finish(wanted, results, args.json, summary, ok)


if __name__ == "__main__":
    sys.exit(main())
