"""Character-level RNN language models, the course's PyTorch programs (d2l.ai chapter 8,
"RNN from scratch" and "Concise RNN", with nn.GRU / nn.LSTM as in its GRU and LSTM sections),
timed. Run with /usr/bin/python3 (Debian python3-torch).

    rnn.py --program rnn-scratch|rnn-concise [--cell rnn|gru|lstm] [--optimizer sgd|adam]
           [--corpus moby-dick|tang300|FILE] [--max-tokens 200000] [--epochs 5] [--hidden 256]
           [--batch-size 32] [--num-steps 35] [--lr 1] [--clip 1] [--sampling sequential|random]
           [--prefix P ...] [--num-preds 50] [--data-dir data] [--seed 0] [--threads N]

Data as our programs read it: moby-dick is <data>/text/moby_dick.txt with the course's English
cleaning (re.sub('[^A-Za-z]+', ' ', line).strip().lower()); tang300 (<data>/text/tang300.txt)
and any other file are kept as they are, their lines joined with one space. Char tokens, a Vocab built
from the whole text, the corpus cut to its first --max-tokens tokens (<= 0: all). The reading,
Vocab and samplers are the course's code from bench/reference/text_pipeline.py.

Training is the course's train_ch8: sequential sampling keeps the state across batches and
detaches it; mean cross-entropy; gradients clipped to a global norm of --clip; scratch: d2l.sgd
with batch_size 1, concise: torch.optim.SGD (or Adam). Per-epoch lines go to stderr; stdout
gets one JSON line shaped like our metrics file: history (epoch, perplexity, tokens_per_sec,
seconds: the whole epoch, sampler included, as the course's timer), final (perplexity,
tokens_per_sec of the last epoch, samples: prefix -> predicted text), config and env.
"""
import argparse
import math
import os
import random
import sys
import time

from common import torch, cores, setup  # sets OMP_WAIT_POLICY before torch loads
import json
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "reference"))
from text_pipeline import (Vocab, clean_lines, read_lines, seq_data_iter_random,  # noqa: E402
                           seq_data_iter_sequential, tokenize)

CORPORA = {"moby-dick": ("moby_dick.txt", True, "the "), "tang300": ("tang300.txt", False, "白日")}


# ---- data: the course's load_corpus_time_machine and SeqDataLoader, on our corpora
def load_corpus(path, clean, max_tokens):
    lines = read_lines(path)
    # Uncleaned text keeps every character, its lines joined with one space (the course's
    # Chinese chapter: corpus_chars.replace('\n', ' ')), as our programs read it.
    lines = clean_lines(lines) if clean else [" ".join(line.rstrip("\n").rstrip("\r") for line in lines)]
    tokens = tokenize(lines, "char")
    vocab = Vocab(tokens)
    corpus = [vocab[token] for line in tokens for token in line]
    if max_tokens > 0:
        corpus = corpus[:max_tokens]
    return corpus, vocab


class SeqDataLoader:
    """The course's loader: each iteration is a new pass with a new random offset."""

    def __init__(self, corpus, batch_size, num_steps, use_random_iter):
        self.data_iter_fn = seq_data_iter_random if use_random_iter else seq_data_iter_sequential
        self.corpus, self.batch_size, self.num_steps = corpus, batch_size, num_steps

    def __iter__(self):
        return self.data_iter_fn(self.corpus, self.batch_size, self.num_steps)


# ---- RNN from scratch (the course's code)
def get_params(vocab_size, num_hiddens, device):
    num_inputs = num_outputs = vocab_size

    def normal(shape):
        return torch.randn(size=shape, device=device) * 0.01

    W_xh = normal((num_inputs, num_hiddens))
    W_hh = normal((num_hiddens, num_hiddens))
    b_h = torch.zeros(num_hiddens, device=device)
    W_hq = normal((num_hiddens, num_outputs))
    b_q = torch.zeros(num_outputs, device=device)
    params = [W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params


def init_rnn_state(batch_size, num_hiddens, device):
    return (torch.zeros((batch_size, num_hiddens), device=device),)


def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.mm(X, W_xh) + torch.mm(H, W_hh) + b_h)
        Y = torch.mm(H, W_hq) + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H,)


class RNNModelScratch:
    def __init__(self, vocab_size, num_hiddens, device, get_params, init_state, forward_fn):
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens, device)
        self.init_state, self.forward_fn = init_state, forward_fn

    def __call__(self, X, state):
        X = F.one_hot(X.T, self.vocab_size).type(torch.float32)
        return self.forward_fn(X, state, self.params)

    def begin_state(self, batch_size, device):
        return self.init_state(batch_size, self.num_hiddens, device)


# ---- concise RNN (the course's RNNModel over nn.RNN / nn.GRU / nn.LSTM)
class RNNModel(nn.Module):
    def __init__(self, rnn_layer, vocab_size):
        super().__init__()
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        self.num_directions = 2 if self.rnn.bidirectional else 1
        self.linear = nn.Linear(self.num_hiddens * self.num_directions, self.vocab_size)

    def forward(self, inputs, state):
        X = F.one_hot(inputs.T.long(), self.vocab_size).to(torch.float32)
        Y, state = self.rnn(X, state)
        output = self.linear(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, device, batch_size=1):
        shape = (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens)
        if not isinstance(self.rnn, nn.LSTM):
            return torch.zeros(shape, device=device)
        return torch.zeros(shape, device=device), torch.zeros(shape, device=device)


# ---- training (the course's predict_ch8, grad_clipping, sgd, train_epoch_ch8, train_ch8)
def predict_ch8(prefix, num_preds, net, vocab, device):
    state = net.begin_state(batch_size=1, device=device)
    outputs = [vocab[prefix[0]]]
    get_input = lambda: torch.tensor([outputs[-1]], device=device).reshape((1, 1))
    for y in prefix[1:]:
        _, state = net(get_input(), state)
        outputs.append(vocab[y])
    for _ in range(num_preds):
        y, state = net(get_input(), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return "".join([vocab.idx_to_token[i] for i in outputs])


def grad_clipping(net, theta):
    if isinstance(net, nn.Module):
        params = [p for p in net.parameters() if p.requires_grad]
    else:
        params = net.params
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta):
    state, start = None, time.perf_counter()
    l_sum, n = 0.0, 0
    for X, Y in train_iter:
        if state is None or use_random_iter:
            state = net.begin_state(batch_size=X.shape[0], device=device)
        else:
            if isinstance(net, nn.Module) and not isinstance(state, tuple):
                state.detach_()
            else:
                for s in state:
                    s.detach_()
        y = Y.T.reshape(-1)
        X, y = X.to(device), y.to(device)
        y_hat, state = net(X, state)
        l = loss(y_hat, y.long()).mean()
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.backward()
            grad_clipping(net, theta)
            updater.step()
        else:
            l.backward()
            grad_clipping(net, theta)
            updater(batch_size=1)
        l_sum += float(l) * y.numel()
        n += y.numel()
    seconds = time.perf_counter() - start
    return math.exp(l_sum / n), n / seconds, seconds


def train_ch8(net, train_iter, lr, num_epochs, device, use_random_iter, theta, optimizer):
    loss = nn.CrossEntropyLoss()
    if isinstance(net, nn.Module):
        updater = (torch.optim.Adam if optimizer == "adam" else torch.optim.SGD)(net.parameters(), lr)
    else:
        updater = lambda batch_size: sgd(net.params, lr, batch_size)
    history = []
    for epoch in range(num_epochs):
        ppl, speed, seconds = train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta)
        history.append({"epoch": epoch + 1, "perplexity": ppl, "tokens_per_sec": speed, "seconds": seconds})
        print("epoch %d, perplexity %.2f, %.0f tokens/sec" % (epoch + 1, ppl, speed), file=sys.stderr)
    return history


def build(args, vocab_size, device):
    if args.program == "rnn-scratch":
        if args.cell != "rnn" or args.optimizer != "sgd":
            raise SystemExit("rnn-scratch is the plain RNN trained with sgd")
        return RNNModelScratch(vocab_size, args.hidden, device, get_params, init_rnn_state, rnn)
    if args.program != "rnn-concise":
        raise SystemExit("unknown program %r: expected rnn-scratch or rnn-concise" % args.program)
    layer = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[args.cell](vocab_size, args.hidden)
    return RNNModel(layer, vocab_size).to(device)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--program", required=True, help="rnn-scratch or rnn-concise")
    p.add_argument("--cell", default="rnn", choices=["rnn", "gru", "lstm"])
    p.add_argument("--optimizer", default="sgd", choices=["sgd", "adam"])
    p.add_argument("--corpus", default="moby-dick", help="moby-dick, tang300 or a UTF-8 text file (kept as is)")
    p.add_argument("--data-dir", default=os.environ.get("D2L_DATA", "data"))
    p.add_argument("--max-tokens", type=int, default=200000, help="train on the first N tokens (<= 0: all)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--num-steps", type=int, default=35)
    p.add_argument("--lr", type=float, default=1.0)
    p.add_argument("--clip", type=float, default=1.0, help="theta of grad_clipping")
    p.add_argument("--sampling", default="sequential", choices=["sequential", "random"])
    p.add_argument("--prefix", action="append", help="prefix to predict from (repeatable; default 'the ' or '白日')")
    p.add_argument("--num-preds", type=int, default=50)
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed and random.seed")
    p.add_argument("--threads", type=int, default=cores(), help="torch and OpenBLAS threads (default: all cores)")
    args = p.parse_args()

    env = setup(args.threads)
    name, clean, default_prefix = CORPORA.get(args.corpus, (None, False, "the "))
    path = os.path.join(args.data_dir, "text", name) if name else args.corpus
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    device = torch.device("cpu")
    corpus, vocab = load_corpus(path, clean, args.max_tokens)
    train_iter = SeqDataLoader(corpus, args.batch_size, args.num_steps, args.sampling == "random")
    net = build(args, len(vocab), device)
    history = train_ch8(net, train_iter, args.lr, args.epochs, device, args.sampling == "random", args.clip,
                        args.optimizer)
    with torch.no_grad():
        samples = {prefix: predict_ch8(prefix, args.num_preds, net, vocab, device)
                   for prefix in (args.prefix or [default_prefix])}
    for prefix, text in samples.items():
        print("%r -> %r" % (prefix, text), file=sys.stderr)
    last = history[-1]
    config = {k: v for k, v in vars(args).items() if k not in ("prefix", "data_dir")}
    config.update({"corpus_path": path, "clean": "letters" if clean else "none", "tokens": len(corpus),
                   "vocab_size": len(vocab)})
    print(json.dumps({"program": args.program, "framework": "pytorch", "env": env, "config": config,
                      "history": history,
                      "final": {"perplexity": last["perplexity"], "tokens_per_sec": last["tokens_per_sec"],
                                "samples": samples}}, ensure_ascii=False))


if __name__ == "__main__":
    main()
