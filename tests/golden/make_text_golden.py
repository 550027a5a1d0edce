#!/usr/bin/python3
"""Golden values for tests/text/py_random_test.cpp and tests/text/samplers_test.cpp: Python's
random.Random and the course's two language-model samplers.

Run with Debian's interpreter, which has python3-torch:
    /usr/bin/python3 tests/golden/make_text_golden.py
It rewrites tests/data/text_golden.json.

"random": for each seed, a fixed list of calls on random.Random(seed) and what each returned,
  as [method, [args...], result]; the test makes the same calls in the same order.
"ngrams": a sequence of small token indices and, for n = 1..4, collections.Counter over its
  n-token windows, most_common() (count descending, ties in order of first appearance).
"samplers": for each case, the batches of the course's seq_data_iter_random and
  seq_data_iter_sequential (d2l.ai, "Language Models", PyTorch; the code is in
  bench/reference/text_pipeline.py), after random.seed(seed), for
  `epochs` consecutive epochs drawn from the same generator.
"""
import json
import os
import random
import sys
from collections import Counter

# The course's samplers, as the benchmark runs them.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "reference"))
from text_pipeline import seq_data_iter_random, seq_data_iter_sequential  # noqa: E402


SEEDS = [0, 1, 2, 42, 12345, -7, 2**32 - 1, 2**32, 2**40 + 3, 2**63 - 1, -2**63]


def random_calls(seed):
    r = random.Random(seed)
    calls = []

    def call(method, *args):
        result = getattr(r, method)(*args)
        calls.append([method, list(args), result])

    for _ in range(5):
        call("getrandbits", 32)
    for k in [0, 1, 5, 31, 32, 33, 53, 63, 64]:
        call("getrandbits", k)
    for _ in range(3):
        call("random")
    for _ in range(10):
        call("randint", 0, 4)
    for a, b in [(0, 0), (0, 1), (-5, 1000000), (0, 34), (3, 3), (0, 2**40), (-2**62, 2**62 - 2)]:
        call("randint", a, b)
    for stop in [1, 2, 7, 1000, 2**31, 2**53 + 1]:
        call("randrange", stop)
    call("randrange", -10, 10)
    for n in [0, 1, 2, 5, 20, 100]:
        x = list(range(n))
        r.shuffle(x)
        calls.append(["shuffle", [n], x])
    call("random")
    return calls


# (corpus length, batch_size, num_steps, seed, epochs); the first ones are the course's demo.
SAMPLER_CASES = [(35, 2, 5, s, 1) for s in [0, 1, 2, 3, 42]] + [
    (35, 2, 5, 7, 3),
    (100, 3, 4, 0, 2),
    (100, 1, 1, 5, 2),
    (11, 2, 5, 9, 3),
    (1000, 32, 7, 123, 2),
]


def batches(fn, length, batch_size, num_steps):
    return [[X.tolist(), Y.tolist()] for X, Y in fn(list(range(length)), batch_size, num_steps)]


def ngram_counts():
    r = random.Random(2024)
    tokens = [r.randrange(6) for _ in range(300)]
    table = {}
    for n in range(1, 5):
        windows = zip(*[tokens[i:] for i in range(n)])
        table[str(n)] = [[list(gram), count] for gram, count in Counter(windows).most_common()]
    return {"tokens": tokens, "most_common": table}


def main():
    out = {"random": [{"seed": s, "calls": random_calls(s)} for s in SEEDS], "ngrams": ngram_counts(),
           "samplers": []}
    for length, batch_size, num_steps, seed, epochs in SAMPLER_CASES:
        case = {"length": length, "batch_size": batch_size, "num_steps": num_steps, "seed": seed}
        for name, fn in [("random", seq_data_iter_random), ("sequential", seq_data_iter_sequential)]:
            random.seed(seed)
            case[name] = [batches(fn, length, batch_size, num_steps) for _ in range(epochs)]
        out["samplers"].append(case)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "text_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
