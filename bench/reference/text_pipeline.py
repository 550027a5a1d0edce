#!/usr/bin/python3
"""The course's text preprocessing and language-model samplers, timed (the Python side of
bench/text.py).

    /usr/bin/python3 bench/reference/text_pipeline.py CORPUS [--repeats 3] [--seed 0]

The code below is the course's (d2l.ai PyTorch, "Text Preprocessing" and "Language Models"):
read_time_machine (readlines, then re.sub('[^A-Za-z]+', ' ', line).strip().lower() per line),
tokenize (line.split() or list(line)), Vocab over a Counter, corpus = [vocab[token] for line in
tokens for token in line], seq_data_iter_random and seq_data_iter_sequential. The reading is
timed apart from the cleaning. For "word" and "char", each repeat times read, clean,
tokenize, vocab and map with time.perf_counter; then one full pass of each sampler over the
whole char corpus (batch 32, 35 steps, random.seed(seed) before it).

Prints one JSON line: per step the seconds of every repeat, the counts (lines, tokens, vocab
size, top words) and, per sampler, the number of batches and a checksum of its batches (sums
of X and Y weighted by batch number, from a second pass with the same seed) to compare with
ours.
"""
import argparse
import collections
import json
import random
import re
import sys
import time

import torch


def read_lines(path):
    with open(path, "r", encoding="utf-8") as f:
        return f.readlines()


def clean_lines(lines):
    return [re.sub("[^A-Za-z]+", " ", line).strip().lower() for line in lines]


def tokenize(lines, token="word"):
    if token == "word":
        return [line.split() for line in lines]
    elif token == "char":
        return [list(line) for line in lines]
    else:
        raise ValueError("unknown token type: " + token)


def count_corpus(tokens):
    if len(tokens) == 0 or isinstance(tokens[0], list):
        tokens = [token for line in tokens for token in line]
    return collections.Counter(tokens)


class Vocab:
    def __init__(self, tokens=None, min_freq=0, reserved_tokens=None):
        if tokens is None:
            tokens = []
        if reserved_tokens is None:
            reserved_tokens = []
        counter = count_corpus(tokens)
        self._token_freqs = sorted(counter.items(), key=lambda x: x[1], reverse=True)
        self.idx_to_token = ["<unk>"] + reserved_tokens
        self.token_to_idx = {token: idx for idx, token in enumerate(self.idx_to_token)}
        for token, freq in self._token_freqs:
            if freq < min_freq:
                break
            if token not in self.token_to_idx:
                self.idx_to_token.append(token)
                self.token_to_idx[token] = len(self.idx_to_token) - 1

    def __len__(self):
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self.__getitem__(token) for token in tokens]

    @property
    def unk(self):
        return 0

    @property
    def token_freqs(self):
        return self._token_freqs


def seq_data_iter_random(corpus, batch_size, num_steps):
    corpus = corpus[random.randint(0, num_steps - 1):]
    num_subseqs = (len(corpus) - 1) // num_steps
    initial_indices = list(range(0, num_subseqs * num_steps, num_steps))
    random.shuffle(initial_indices)

    def data(pos):
        return corpus[pos: pos + num_steps]

    num_batches = num_subseqs // batch_size
    for i in range(0, batch_size * num_batches, batch_size):
        initial_indices_per_batch = initial_indices[i: i + batch_size]
        X = [data(j) for j in initial_indices_per_batch]
        Y = [data(j + 1) for j in initial_indices_per_batch]
        yield torch.tensor(X), torch.tensor(Y)


def seq_data_iter_sequential(corpus, batch_size, num_steps):
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[offset: offset + num_tokens])
    Ys = torch.tensor(corpus[offset + 1: offset + 1 + num_tokens])
    Xs, Ys = Xs.reshape(batch_size, -1), Ys.reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        X = Xs[:, i: i + num_steps]
        Y = Ys[:, i: i + num_steps]
        yield X, Y


SAMPLERS = {"random": seq_data_iter_random, "sequential": seq_data_iter_sequential}
STEPS = ["read", "clean", "tokenize", "vocab", "map"]


def pipeline(path, token):
    """One run of the course's load_corpus_time_machine for `token`; (seconds per step, result)."""
    t = {}
    start = time.perf_counter()
    lines = read_lines(path)
    t["read"] = time.perf_counter() - start
    start = time.perf_counter()
    lines = clean_lines(lines)
    t["clean"] = time.perf_counter() - start
    start = time.perf_counter()
    tokens = tokenize(lines, token)
    t["tokenize"] = time.perf_counter() - start
    start = time.perf_counter()
    vocab = Vocab(tokens)
    t["vocab"] = time.perf_counter() - start
    start = time.perf_counter()
    corpus = [vocab[tok] for line in tokens for tok in line]
    t["map"] = time.perf_counter() - start
    return t, lines, corpus, vocab


def checksum(fn, corpus, batch_size, num_steps, seed):
    random.seed(seed)
    batches, total = 0, 0
    for X, Y in fn(corpus, batch_size, num_steps):
        batches += 1
        total += batches * (int(X.sum()) + 3 * int(Y.sum()))
    return batches, total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", help="the text file (Moby Dick: data/text/moby_dick.txt)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--num-steps", type=int, default=35)
    args = p.parse_args()
    torch.set_num_threads(1)

    out = {"seconds": {}, "counts": {}, "samplers": {}}
    char_corpus = None
    for token in ["word", "char"]:
        for step in STEPS:
            out["seconds"]["%s_%s" % (token, step)] = []
        for _ in range(args.repeats):
            t, lines, corpus, vocab = pipeline(args.corpus, token)
            for step in STEPS:
                out["seconds"]["%s_%s" % (token, step)].append(t[step])
        out["counts"][token] = {"lines": len(lines), "tokens": len(corpus), "vocab_size": len(vocab),
                                "top": [list(e) for e in vocab.token_freqs[:5]]}
        if token == "char":
            char_corpus = corpus

    for name, fn in SAMPLERS.items():
        key = "sampler_" + name
        out["seconds"][key] = []
        for _ in range(args.repeats):
            random.seed(args.seed)
            start = time.perf_counter()
            for X, Y in fn(char_corpus, args.batch_size, args.num_steps):
                pass
            out["seconds"][key].append(time.perf_counter() - start)
        batches, total = checksum(fn, char_corpus, args.batch_size, args.num_steps, args.seed)
        out["samplers"][name] = {"batches": batches, "checksum": total}
    out["env"] = {"python": sys.version.split()[0], "torch": torch.__version__}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
