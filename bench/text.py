#!/usr/bin/python3
"""The text pipeline and the language-model samplers, ours against the course's Python code,
side by side in one run.

    /usr/bin/python3 bench/text.py            (or: scripts/bench text)

On Moby Dick (data/text/moby_dick.txt, from scripts/fetch-data text) runs, in alternating
rounds, bench/reference/text_pipeline.py (the course's code: read, clean, tokenize, Vocab,
map to indices, for words and for chars, then one full pass of seq_data_iter_random and
seq_data_iter_sequential over the char corpus with batch 32, 35 steps) and our bench_text
(bench/text_bench.cpp: load_corpus for each step, our samplers with PyRandom). It prints one
table: milliseconds per step (min / median over all repeats of all rounds) on both sides,
the ratio Python / ours, and the targets: the whole pipeline (word + char) and each sampler
pass at least 20x faster than Python. Below it: whether the counts (lines, tokens, vocabulary
size, top tokens) and the sampler batches (count and checksum, same seed) agree.

Only the Python standard library is used here; the course's code runs in child processes of
/usr/bin/python3 (Debian python3-torch, for the samplers' torch.tensor).
"""
import argparse
import json
import os
import subprocess
import sys

from report import load_average, log, print_table, save_json, stats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = "/usr/bin/python3"
TARGET = 20.0
STEPS = ["read", "clean", "tokenize", "vocab", "map"]


def run_json(cmd):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, "%s exited %d: %s" % (" ".join(cmd), proc.returncode, proc.stderr.strip()[-500:])
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return None, "%s printed no JSON line" % " ".join(cmd)
    return json.loads(lines[-1]), None


def pipeline_totals(seconds, token, wall):
    """Per repeat: the whole pipeline for `token` (our wall time around load_corpus when given)."""
    if wall and token + "_wall" in seconds:
        return seconds[token + "_wall"]
    return [sum(v) for v in zip(*[seconds["%s_%s" % (token, s)] for s in STEPS])]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    p.add_argument("--repeats", type=int, default=3, help="per round and side: repeats of every step (default 3)")
    p.add_argument("--seed", type=int, default=0, help="random.seed / PyRandom seed of the sampler passes")
    p.add_argument("--data-dir", default=os.environ.get("D2L_DATA", "data"))
    p.add_argument("--corpus", help="a text file instead of <data>/text/moby_dick.txt")
    p.add_argument("--binary", default="build/bench/bench_text", help="our program, relative to the repo")
    p.add_argument("--no-deps", action="store_true", help="skip scripts/deps, scripts/fetch-data and the build")
    p.add_argument("--json", metavar="FILE", help="also write every measurement to FILE")
    args = p.parse_args()

    data_dir = args.data_dir if os.path.isabs(args.data_dir) else os.path.join(ROOT, args.data_dir)
    corpus = args.corpus or os.path.join(data_dir, "text", "moby_dick.txt")
    binary = os.path.join(ROOT, args.binary)
    if not args.no_deps:
        subprocess.run([os.path.join(ROOT, "scripts/deps"), "python3-torch"], check=True)
        if not args.corpus:
            subprocess.run([os.path.join(ROOT, "scripts/fetch-data"), "--data-dir", data_dir, "text"], check=True)
        if not os.path.exists(binary):
            build = os.path.dirname(os.path.dirname(binary))
            subprocess.run(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run(["cmake", "--build", build, "-j%d" % (os.cpu_count() or 1), "--target", "bench_text"],
                           check=True)

    sides = {
        "ours": [binary, corpus, "--repeats", str(args.repeats), "--seed", str(args.seed)],
        "python": [PYTHON, os.path.join(ROOT, "bench/reference/text_pipeline.py"), corpus,
                   "--repeats", str(args.repeats), "--seed", str(args.seed)],
    }
    runs = {"ours": [], "python": []}
    errors = []
    for rnd in range(args.rounds):
        # Alternate who goes first so a drifting machine load hits both sides alike.
        for side in (("ours", "python") if rnd % 2 == 0 else ("python", "ours")):
            r, err = run_json(sides[side])
            if err:
                errors.append(err)
                log(err)
            else:
                runs[side].append(r)
        log("round %d/%d: ours %s, python %s" % (rnd + 1, args.rounds, len(runs["ours"]), len(runs["python"])))

    def series(side, key):
        out = []
        for r in runs[side]:
            s = r["seconds"]
            if key == "whole_pipeline":
                out += [a + b for a, b in zip(pipeline_totals(s, "word", side == "ours"),
                                              pipeline_totals(s, "char", side == "ours"))]
            elif key.endswith("_pipeline"):
                out += pipeline_totals(s, key.split("_")[0], side == "ours")
            else:
                out += s.get(key, [])
        return [1000.0 * x for x in out]

    keys = ["%s_%s" % (t, s) for t in ("word", "char") for s in STEPS] + \
           ["word_pipeline", "char_pipeline", "whole_pipeline", "sampler_random", "sampler_sequential"]
    targeted = {"whole_pipeline", "sampler_random", "sampler_sequential"}
    header = ["step", "ours ms (min / med)", "Python ms (min / med)", "Python/ours (min, med)", "target"]
    rows, summary, ok = [], {}, True
    fmt = lambda pair: "n/a" if pair[0] is None else "%.2f / %.2f" % pair
    for key in keys:
        o, t = stats(series("ours", key)), stats(series("python", key))
        ratio = (t[0] / o[0], t[1] / o[1]) if o[0] and t[0] else None
        verdict = ""
        if key in targeted:
            passed = ratio is not None and min(ratio) >= TARGET
            ok = ok and passed
            verdict = ">= %gx %s" % (TARGET, "PASS" if passed else "FAIL")
        rows.append([key, fmt(o), fmt(t), "%.1fx, %.1fx" % ratio if ratio else "n/a", verdict])
        summary[key] = {"ours_ms": series("ours", key), "python_ms": series("python", key), "ratio_min_median": ratio}
    print_table(header, rows)

    if runs["ours"] and runs["python"]:
        o, t = runs["ours"][0], runs["python"][0]
        counts_equal = o["counts"] == t["counts"]
        batches_equal = o["samplers"] == t["samplers"]
        ok = ok and counts_equal and batches_equal
        for token in ("word", "char"):
            c = o["counts"][token]
            print("%s: %d lines, %d tokens, vocabulary %d, top %s -- %s Python's" % (
                token, c["lines"], c["tokens"], c["vocab_size"], ", ".join("%r %d" % tuple(e) for e in c["top"][:3]),
                "equal to" if c == t["counts"][token] else "DIFFERENT from (Python: %s)" % t["counts"][token]))
        for name in ("random", "sequential"):
            s = o["samplers"][name]
            print("seq_data_iter_%s (batch 32, 35 steps, seed %d): %d batches, checksum %d -- %s Python's" % (
                name, args.seed, s["batches"], s["checksum"],
                "equal to" if s == t["samplers"][name] else "DIFFERENT from (Python: %s)" % t["samplers"][name]))
        summary["counts_equal"], summary["batches_equal"] = counts_equal, batches_equal
        print("Python %s, torch %s; %d rounds x %d repeats per side; ours: pipelines timed around load_corpus "
              "(its steps timed inside it), Python: the sum of its steps. Load average at the end: %s." % (
                  t["env"]["python"], t["env"]["torch"], args.rounds, args.repeats,
                  load_average()))
    else:
        ok = False
    for err in dict.fromkeys(errors):
        print("error: %s" % err)
    save_json(args.json, summary)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
