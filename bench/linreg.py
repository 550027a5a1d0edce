#!/usr/bin/python3
"""Linear regression, ours against PyTorch, side by side in one run.

    /usr/bin/python3 bench/linreg.py            (or: scripts/bench linreg)

Runs `build/d2l linreg-scratch --quiet --metrics FILE` and `build/d2l linreg-concise --quiet
--metrics FILE` and the course's PyTorch programs (bench/pytorch/linreg_*.py) in alternating
rounds, then prints one table: us per mini-batch step (min / median over all repeats) of
ours and of PyTorch, the ratio PyTorch / ours, the target (>= 30x), and the final w, b of
both. Only the Python standard library is used here; PyTorch runs in child processes of
/usr/bin/python3 (Debian python3-torch).

Installs what is missing (scripts/deps python3-torch libopenblas0-pthread) and builds
build/d2l with scripts/build when it is absent (or always with --build).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

from report import load_average, log, print_table, save_json, stats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_PYTHON = "/usr/bin/python3"
TARGET = 30.0

# program name -> (our subcommand, PyTorch script, extra args for both sides)
PROGRAMS = {
    "linreg-scratch": ("linreg-scratch", "bench/pytorch/linreg_scratch.py", []),
    "linreg-concise": ("linreg-concise", "bench/pytorch/linreg_concise.py", []),
}


def ensure_setup(args):
    if not args.no_deps:
        subprocess.run([os.path.join(ROOT, "scripts/deps"), "python3-torch", "libopenblas0-pthread"], check=True)
    binary = os.path.join(ROOT, args.binary)
    if args.build or not os.path.exists(binary):
        log("building %s with scripts/build ..." % args.binary)
        subprocess.run([os.path.join(ROOT, "scripts/build")], check=True)
    return binary


def run_ours(binary, subcommand, extra, seed, threads, outdir):
    """One run of our program; returns its metrics or an error string."""
    fd, path = tempfile.mkstemp(prefix="d2l-bench-", suffix=".json")
    os.close(fd)
    try:
        cmd = [binary, subcommand, "--quiet", "--metrics", path, "--seed", str(seed), "--out", outdir] + extra
        if threads:
            cmd += ["--threads", str(threads)]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            return None, "%s exited %d: %s" % (" ".join(cmd), proc.returncode, proc.stderr.strip()[-300:])
        if os.path.getsize(path) == 0:
            return None, "%s exited 0 but wrote no metrics (is the subcommand built yet?)" % " ".join(cmd)
        with open(path) as f:
            m = json.load(f)
        timing = m["timing"]
        return {
            "us_per_step": float(timing["us_per_step"]),
            "loop_seconds": float(timing["train_seconds"]),
            "steps": int(timing["steps"]),
            "w": m["final"]["w"],
            "b": m["final"]["b"],
            "losses": [h.get("loss") for h in m.get("history", [])],
        }, None
    except (OSError, ValueError, KeyError, TypeError) as e:
        return None, "%s: bad metrics file: %r" % (subcommand, e)
    finally:
        os.unlink(path)


def run_torch(script, extra, seed, repeats, threads):
    """One PyTorch process training `repeats` times; returns its JSON line or an error."""
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    cmd = [TORCH_PYTHON, os.path.join(ROOT, script), "--seed", str(seed), "--repeats", str(repeats)] + extra
    if threads:
        cmd += ["--threads", str(threads)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        return None, "%s exited %d: %s" % (script, proc.returncode, proc.stderr.strip()[-500:])
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return None, "%s printed no JSON line" % script
    return json.loads(lines[-1]), None


def fmt_us(pair):
    lo, med = pair
    if lo is None:
        return "n/a"
    return "%s / %s" % (fmt_num(lo), fmt_num(med))


def fmt_num(x):
    return "%.1f" % x if x < 100 else "%.0f" % x


def fmt_wb(w, b):
    if w is None:
        return "n/a"
    return "[%s], %.5f" % (", ".join("%.5f" % v for v in w), b)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    p.add_argument("--repeats", type=int, default=3, help="per round: trainings in one PyTorch process (default 3)")
    p.add_argument("--ours-repeats", type=int, default=10,
                   help="per round: runs of our program (short, so more of them; default 10)")
    p.add_argument("--seed", type=int, default=0, help="seed of the first training (both sides; run i uses seed + i)")
    p.add_argument("--threads", type=int, default=0,
                   help="threads for both sides (ours: --threads; PyTorch: torch + OpenBLAS); default: all cores")
    p.add_argument("--programs", default=",".join(PROGRAMS), help="comma-separated subset of %s" % list(PROGRAMS))
    p.add_argument("--torch-workers2", action="store_true",
                   help="also time the course's DataLoader(num_workers=2), ours with --num-workers 2")
    p.add_argument("--ours-args", default="", help="extra arguments for our programs (split on spaces)")
    p.add_argument("--binary", default="build/d2l", help="our program, relative to the repo (default build/d2l)")
    p.add_argument("--build", action="store_true", help="run scripts/build even if the binary exists")
    p.add_argument("--no-deps", action="store_true", help="skip scripts/deps")
    p.add_argument("--json", metavar="FILE", help="also write every measurement to FILE")
    args = p.parse_args()

    binary = ensure_setup(args)
    programs = dict(PROGRAMS)
    if args.torch_workers2:
        programs["linreg-concise (course: num_workers=2)"] = (
            "linreg-concise", "bench/pytorch/linreg_concise.py", ["--num-workers", "2"])
    outdir = tempfile.mkdtemp(prefix="d2l-bench-out-")  # plots etc. of our runs
    wanted = [n for n in programs if n.split(" ")[0] in args.programs.split(",")]
    ours_extra = args.ours_args.split()

    results = {n: {"ours": [], "torch": [], "errors": []} for n in wanted}
    for rnd in range(args.rounds):
        for name in wanted:
            sub, script, extra = programs[name]
            r = results[name]
            # Alternate who goes first so a drifting machine load hits both sides alike.
            order = ("ours", "torch") if rnd % 2 == 0 else ("torch", "ours")
            for side in order:
                if side == "ours":
                    for i in range(args.ours_repeats):
                        seed = args.seed + rnd * args.repeats + i % args.repeats  # the seeds PyTorch uses
                        m, err = run_ours(binary, sub, extra + ours_extra, seed, args.threads, outdir)
                        if err:
                            r["errors"].append(err)
                            break
                        r["ours"].append(m)
                else:
                    seed = args.seed + rnd * args.repeats
                    t, err = run_torch(script, extra, seed, args.repeats, args.threads)
                    if err:
                        r["errors"].append(err)
                    else:
                        r["torch"].append(t)
            log("round %d/%d %s: ours %s, pytorch %s" % (
                rnd + 1, args.rounds, name,
                ["%.1f" % m["us_per_step"] for m in r["ours"][-args.ours_repeats:]],
                ["%.0f" % u for u in (r["torch"][-1]["us_per_step_all"] if r["torch"] else [])]))
    shutil.rmtree(outdir, ignore_errors=True)

    # ---- table
    header = ["program", "ours us/step (min / med)", "PyTorch us/step (min / med)", "PyTorch CPU us/step (min)",
              "PyTorch/ours (min, med, CPU)", "target >= %gx" % TARGET, "ours final w, b", "PyTorch final w, b"]
    rows, summary = [], {}
    for name in wanted:
        r = results[name]
        ours_us = [m["us_per_step"] for m in r["ours"]]
        torch_us = [u for t in r["torch"] for u in t["us_per_step_all"]]
        torch_cpu = [u for t in r["torch"] for u in t.get("cpu_us_per_step_all", [])]
        cpu_s = "n/a (workers)" if "(course" in name or not torch_cpu else fmt_num(min(torch_cpu))
        o, t = stats(ours_us), stats(torch_us)
        if o[0] and t[0]:
            ratio = [t[0] / o[0], t[1] / o[1]]
            if torch_cpu and "(course" not in name:
                ratio.append(min(torch_cpu) / o[0])  # load-robust: PyTorch's CPU time vs our best wall time
            ratio_s = ", ".join("%.1fx" % x for x in ratio)
            if min(ratio) >= TARGET:
                verdict = "PASS"
            elif min(ratio[:2]) >= TARGET:
                verdict = "wall only"  # the wall ratios pass, the CPU one (PyTorch undisturbed) does not
            else:
                verdict = "FAIL"
        else:
            ratio, ratio_s, verdict = None, "n/a", "n/a"
        ow = r["ours"][0] if r["ours"] else None
        tw = r["torch"][0] if r["torch"] else None
        rows.append([name, fmt_us(o), fmt_us(t), cpu_s, ratio_s, verdict,
                     fmt_wb(ow["w"], ow["b"]) if ow else "n/a", fmt_wb(tw["w"], tw["b"]) if tw else "n/a"])
        summary[name] = {
            "ours_us_per_step": ours_us, "torch_us_per_step": torch_us, "torch_cpu_us_per_step": torch_cpu,
            "ours_min_median": o, "torch_min_median": t, "ratio_min_median": ratio, "target": TARGET,
            "verdict": verdict, "ours_first": ow, "torch_first": tw, "errors": r["errors"],
            "torch_env": tw["env"] if tw else None, "steps": {"ours": ow["steps"] if ow else None,
                                                                "torch": tw["steps"] if tw else None},
        }

    print_table(header, rows)
    tenv = next((s["torch_env"] for s in summary.values() if s["torch_env"]), None)
    if tenv:
        print("PyTorch %s, %d threads (OpenBLAS %s threads: %s), OMP_WAIT_POLICY=%s; us/step = mini-batch loops "
              "(data + forward + backward + update) / steps, per-epoch loss evaluation excluded; %d rounds x (%d runs of ours, %d PyTorch trainings)."
              % (tenv["torch"], tenv["torch_threads"], tenv["openblas_threads"], tenv["openblas"],
                 tenv["omp_wait_policy"], args.rounds, args.ours_repeats, args.repeats))
    print("PyTorch CPU = CPU time of its main thread over the same loops (less load-sensitive than wall time, not immune). "
          "Ratios: PyTorch/ours by minima, by medians, and PyTorch CPU min / our min (the load-robust one: our runs "
          "last a few ms, so our minimum is undisturbed, while every PyTorch run shares the machine). PASS needs all "
          "three >= %gx. Load average at the end: %s." % (TARGET, load_average()))
    for name in wanted:
        for err in dict.fromkeys(results[name]["errors"]):
            print("error (%s): %s" % (name, err))
    save_json(args.json, summary)
    return 0 if all(s["verdict"] not in ("n/a",) for s in summary.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
