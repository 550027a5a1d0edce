#!/usr/bin/python3
"""Character RNN language models, ours against PyTorch, side by side in one run.

    /usr/bin/python3 bench/rnn.py            (or: scripts/bench rnn)

For each run -- rnn-scratch (and rnn-scratch --one-hot, the course's loop op by op on our
side too) and rnn-concise --cell rnn|gru|lstm on Moby Dick (the first 200,000 characters after
the course's cleaning, 5 epochs) and rnn-concise --cell rnn on tang300 (all characters, 20
epochs) -- trains ours (`build/d2l PROGRAM --quiet --metrics
FILE`) and the course's PyTorch program (bench/pytorch/rnn.py) with the same settings (hidden
256, batch 32, 35 steps, lr 1, clipping 1, sequential sampling) on the same files
(data/text, from scripts/fetch-data text), alternating who goes first. One table: tokens per
second (best / median over epochs and rounds) and the ratio ours / PyTorch against the
targets (>= 2x for the plain RNN, >= 1.5x for GRU and LSTM), seconds per epoch, the final
perplexities and their relative gap (within 5% on Moby Dick, 10% on tang300; on tang300 the
generated text must also be Chinese characters and punctuation), and our best tokens per
second as a share of the hand-written C++ ceiling (shared/reference/roofline.md).

Only the Python standard library is used here; PyTorch runs in child processes of
/usr/bin/python3 (Debian python3-torch).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import unicodedata

from report import finish, log, print_table, stats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_PYTHON = "/usr/bin/python3"
MOBY_EPOCHS, TANG_EPOCHS = 5, 20
# Hand-written C++ on 2 threads (shared/reference/roofline.md), Moby Dick setting, tokens/s.
CEILING = {"rnn": 141000, "gru": 49000, "lstm": 36000}
RUNS = [
    # name, program, cell, corpus, speed target (ours / PyTorch tokens/s; None: reported only),
    # perplexity tolerance, flags for ours alone
    ("scratch", "rnn-scratch", "rnn", "moby-dick", 2.0, 0.05, []),
    # The course's loop op by op on both sides (our default runs the recurrence as one node).
    ("scratch-one-hot", "rnn-scratch", "rnn", "moby-dick", None, 0.05, ["--one-hot"]),
    ("rnn", "rnn-concise", "rnn", "moby-dick", 2.0, 0.05, []),
    ("gru", "rnn-concise", "gru", "moby-dick", 1.5, 0.05, []),
    ("lstm", "rnn-concise", "lstm", "moby-dick", 1.5, 0.05, []),
    ("tang300-rnn", "rnn-concise", "rnn", "tang300", 2.0, 0.10, []),
]


def settings(program, cell, corpus, epochs, max_tokens, seed):
    """The flags both sides take, spelled out so that neither side's defaults matter."""
    flags = ["--corpus", corpus, "--max-tokens", str(max_tokens), "--epochs", str(epochs), "--hidden", "256",
             "--batch-size", "32", "--num-steps", "35", "--lr", "1", "--clip", "1", "--sampling", "sequential",
             "--seed", str(seed)]
    return flags + (["--cell", cell] if program == "rnn-concise" else [])


def last_json_line(text):
    lines = [l for l in text.splitlines() if l.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def run_ours(binary, program, flags, threads, data_dir):
    fd, path = tempfile.mkstemp(prefix="d2l-bench-", suffix=".json")
    os.close(fd)
    outdir = tempfile.mkdtemp(prefix="d2l-bench-out-")
    cmd = [binary, program] + flags + ["--quiet", "--metrics", path, "--out", outdir]
    if threads:
        cmd += ["--threads", str(threads)]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, D2L_DATA=data_dir))
        if proc.returncode != 0:
            return None, "%s exited %d: %s" % (" ".join(cmd), proc.returncode, proc.stderr.strip()[-300:])
        with open(path) as f:
            m = json.load(f)
        if not m["history"] or m["final"]["perplexity"] is None:
            return None, "%s trained no epoch" % " ".join(cmd)
        return {"history": m["history"], "final": m["final"], "threads": m.get("config", {}).get("threads")}, None
    except (OSError, ValueError, KeyError) as e:
        return None, "%s: no metrics: %r" % (" ".join(cmd), e)
    finally:
        os.unlink(path)
        subprocess.run(["rm", "-rf", outdir])


def run_torch(program, flags, threads, data_dir):
    cmd = [TORCH_PYTHON, os.path.join(ROOT, "bench/pytorch/rnn.py"), "--program", program, "--data-dir", data_dir,
           "--threads", str(threads)] + flags
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, OMP_WAIT_POLICY="PASSIVE"))
    if proc.returncode != 0:
        return None, "PyTorch %s exited %d: %s" % (program, proc.returncode, proc.stderr.strip()[-500:])
    r = last_json_line(proc.stdout)
    return (r, None) if r else (None, "PyTorch %s printed no JSON line" % program)


def chinese_text(text):
    """True when every character is a CJK ideograph, punctuation or white space."""
    return bool(text) and all(c.isspace() or unicodedata.category(c).startswith("P") or
                              "CJK" in unicodedata.name(c, "") for c in text)


def best_median(values):
    """(max, median) of tokens per second, where more is better; (None, None) for none."""
    return (max(values), statistics.median(values)) if values else (None, None)


def fmt_pair(pair, spec):
    return "n/a" if pair[0] is None else (spec + " / " + spec) % pair


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    names = [r[0] for r in RUNS]
    p.add_argument("--runs", default=",".join(names), help="comma-separated subset of %s" % names)
    p.add_argument("--epochs", type=int,
                   help="epochs of every run (default %d on Moby Dick, %d on tang300)" % (MOBY_EPOCHS, TANG_EPOCHS))
    p.add_argument("--max-tokens", type=int, default=200000, help="Moby Dick characters trained on (default 200000)")
    p.add_argument("--rounds", type=int, default=1, help="trainings of each side per run (default 1)")
    p.add_argument("--seed", type=int, default=0, help="seed of round 0; round r uses seed + r")
    p.add_argument("--threads", type=int, default=0,
                   help="threads for both sides (default: PyTorch all cores, as the baseline; ours its own default)")
    p.add_argument("--data-dir", default=os.environ.get("D2L_DATA", "data"))
    p.add_argument("--binary", default="build/d2l", help="our program, relative to the repo")
    p.add_argument("--no-deps", action="store_true", help="skip scripts/deps, scripts/fetch-data and scripts/build")
    p.add_argument("--json", metavar="FILE", help="also write every measurement to FILE")
    args = p.parse_args()

    data_dir = args.data_dir if os.path.isabs(args.data_dir) else os.path.join(ROOT, args.data_dir)
    binary = os.path.join(ROOT, args.binary)
    if not args.no_deps:
        subprocess.run([os.path.join(ROOT, "scripts/deps"), "python3-torch", "libopenblas0-pthread"], check=True)
        subprocess.run([os.path.join(ROOT, "scripts/fetch-data"), "--data-dir", data_dir, "text"], check=True)
        if not os.path.exists(binary):
            subprocess.run([os.path.join(ROOT, "scripts/build")], check=True)
    torch_threads = args.threads or os.cpu_count() or 1

    wanted = [r for r in RUNS if r[0] in args.runs.split(",")]
    results = {r[0]: {"ours": [], "torch": [], "errors": []} for r in wanted}
    for name, program, cell, corpus, _, _, ours_flags in wanted:
        tang = corpus == "tang300"
        epochs = args.epochs or (TANG_EPOCHS if tang else MOBY_EPOCHS)
        max_tokens = 0 if tang else args.max_tokens  # 0: the whole corpus
        for rnd in range(args.rounds):
            flags = settings(program, cell, corpus, epochs, max_tokens, args.seed + rnd)
            # Alternate who goes first so a drifting machine load hits both sides alike.
            for side in (("ours", "torch") if rnd % 2 == 0 else ("torch", "ours")):
                if side == "ours":
                    r, err = run_ours(binary, program, flags + ours_flags, args.threads, data_dir)
                else:
                    r, err = run_torch(program, flags, torch_threads, data_dir)
                if err:
                    results[name]["errors"].append(err)
                    log(err)
                else:
                    results[name][side].append(r)
                    log("%s %s: perplexity %.2f, %.0f tokens/s (last epoch), %.2f s/epoch" % (
                        name, side, r["final"]["perplexity"], r["history"][-1]["tokens_per_sec"],
                        r["history"][-1]["seconds"]))

    header = ["run", "threads ours / PyTorch", "ours tok/s (best / med)", "PyTorch tok/s (best / med)",
              "ours/PyTorch (best, med)", "target", "ours s/epoch (min / med)", "PyTorch s/epoch (min / med)",
              "ours ppl", "PyTorch ppl", "gap", "quality target", "ours / C++ ceiling"]
    rows, summary, ok = [], {}, True
    for name, program, cell, corpus, speed_target, tolerance, _ in wanted:
        r = results[name]
        ep = lambda runs, key: [h[key] for run in runs for h in run["history"]]
        o, t = best_median(ep(r["ours"], "tokens_per_sec")), best_median(ep(r["torch"], "tokens_per_sec"))
        o_sec, t_sec = stats(ep(r["ours"], "seconds")), stats(ep(r["torch"], "seconds"))
        ratio = (o[0] / t[0], o[1] / t[1]) if o[0] and t[0] else None
        speed_ok = ratio is not None and (speed_target is None or min(ratio) >= speed_target)
        oppl = [run["final"]["perplexity"] for run in r["ours"]]
        tppl = [run["final"]["perplexity"] for run in r["torch"]]
        gap = statistics.mean(oppl) / statistics.mean(tppl) - 1 if oppl and tppl else None
        quality_ok = gap is not None and abs(gap) <= tolerance
        quality = "|gap| <= %.0f%%" % (100 * tolerance)
        if corpus == "tang300":
            chinese = bool(r["ours"]) and all(chinese_text(s) for run in r["ours"] for s in run["final"]["samples"].values())
            quality_ok = quality_ok and chinese
            quality += ", Chinese text %s" % ("yes" if chinese else "NO")
        ok = ok and speed_ok and quality_ok
        ceiling = CEILING[cell] if corpus == "moby-dick" else None
        ours_threads = next((run["threads"] for run in r["ours"]), args.threads)
        threads_used = "%s / %s" % ("%d (one per core)" % (os.cpu_count() or 1) if not ours_threads else ours_threads,
                                    next((run["env"]["threads"] for run in r["torch"]), torch_threads))
        rows.append([name, threads_used, fmt_pair(o, "%.0f"), fmt_pair(t, "%.0f"),
                     "%.2fx, %.2fx" % ratio if ratio else "n/a",
                     "none" if speed_target is None else ">= %gx %s" % (speed_target, "PASS" if speed_ok else "FAIL"),
                     fmt_pair(o_sec, "%.2f"), fmt_pair(t_sec, "%.2f"),
                     ", ".join("%.2f" % v for v in oppl) or "n/a", ", ".join("%.2f" % v for v in tppl) or "n/a",
                     "%+.1f%%" % (100 * gap) if gap is not None else "n/a",
                     "%s %s" % (quality, "PASS" if quality_ok else "FAIL"),
                     "%.2f of %.0fk" % (o[0] / ceiling, ceiling / 1000) if ceiling and o[0] else "n/a"])
        summary[name] = {"ours": r["ours"], "torch": r["torch"], "errors": r["errors"], "ratio_best_median": ratio,
                         "perplexity_gap": gap, "speed_ok": speed_ok, "quality_ok": quality_ok}

    print_table(header, rows)

    tenv = next((run["env"] for r in wanted for run in results[r[0]]["torch"]), None)
    if tenv:
        print("PyTorch %s, %d threads (OpenBLAS %s threads: %s), OMP_WAIT_POLICY=%s; ours --threads %s. Hidden 256, batch 32, 35 steps, lr 1, clip 1, sequential sampling; Moby Dick: first %d "
              "characters, %s epoch(s); tang300: all characters, %s epoch(s); %d round(s). tok/s and s/epoch: every "
              "epoch of every round, the whole epoch (sampler + forward + backward + clip + update); ppl: final "
              "perplexity per round, gap = mean ours / mean PyTorch - 1." % (
                  tenv["torch"], tenv["torch_threads"], tenv["openblas_threads"], tenv["openblas"],
                  tenv["omp_wait_policy"], args.threads or "default", args.max_tokens, args.epochs or MOBY_EPOCHS,
                  args.epochs or TANG_EPOCHS, args.rounds))
    print("C++ ceiling: hand-written training loops (shared/reference/roofline.md, 2 threads, Moby Dick setting), "
          "measured on another machine of the same kind: a guide, not a same-run comparison.")
    if args.epochs or args.max_tokens != 200000:
        print("Short settings: the quality targets hold for the full settings only.")
    for name, *_ in wanted:
        for side, label in (("ours", "ours"), ("torch", "PyTorch")):
            for prefix, text in (results[name][side][0]["final"]["samples"].items() if results[name][side] else []):
                print("%s %s: %r -> %r" % (name, label, prefix, text))
    return finish([name for name, *_ in wanted], results, args.json, summary, ok)


if __name__ == "__main__":
    sys.exit(main())
