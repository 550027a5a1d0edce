"""Linear regression from scratch, the course's PyTorch program (Task01, 线性回归从0实现),
timed. Run with /usr/bin/python3 (Debian python3-torch).

Prints one JSON line: loop_seconds (sum of the mini-batch loops = data_iter + forward +
backward + sgd, per-epoch full-data loss excluded), steps, us_per_step (min/median over
--repeats), final w, b and the per-epoch full-data losses of the first repeat.
"""
import random
import sys
import time

from common import torch, parser, setup, summarize  # sets OMP_WAIT_POLICY before torch loads
import numpy as np

num_inputs = 2
num_examples = 1000
true_w = [2, -3.4]
true_b = 4.2
batch_size = 10
lr = 0.03
num_epochs = 5


def synthetic_data():
    features = torch.randn(num_examples, num_inputs, dtype=torch.float32)
    labels = true_w[0] * features[:, 0] + true_w[1] * features[:, 1] + true_b
    labels += torch.tensor(np.random.normal(0, 0.01, size=labels.size()), dtype=torch.float32)
    return features, labels


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        j = torch.LongTensor(indices[i: min(i + batch_size, num_examples)])
        yield features.index_select(0, j), labels.index_select(0, j)


def linreg(X, w, b):
    return torch.mm(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.view(y_hat.size())) ** 2 / 2


def sgd(params, lr, batch_size):
    for param in params:
        param.data -= lr * param.grad / batch_size


def train(seed, verbose):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    features, labels = synthetic_data()

    w = torch.tensor(np.random.normal(0, 0.01, (num_inputs, 1)), dtype=torch.float32)
    b = torch.zeros(1, dtype=torch.float32)
    w.requires_grad_(requires_grad=True)
    b.requires_grad_(requires_grad=True)

    net, loss = linreg, squared_loss
    loop_seconds, loop_cpu, steps, losses = 0.0, 0.0, 0, []
    for epoch in range(num_epochs):
        t0, c0 = time.perf_counter(), time.thread_time()
        for X, y in data_iter(batch_size, features, labels):
            l = loss(net(X, w, b), y).sum()
            l.backward()
            sgd([w, b], lr, batch_size)
            w.grad.data.zero_()
            b.grad.data.zero_()
            steps += 1
        loop_seconds += time.perf_counter() - t0
        loop_cpu += time.thread_time() - c0
        with torch.no_grad():  # the course evaluates with grad on; no_grad is outside the timing anyway
            train_l = loss(net(features, w, b), labels)
        losses.append(train_l.mean().item())
        if verbose:
            print('epoch %d, loss %f' % (epoch + 1, losses[-1]), file=sys.stderr)
    return {
        "loop_seconds": loop_seconds,
        "steps": steps,
        "us_per_step": loop_seconds / steps * 1e6,
        "cpu_us_per_step": loop_cpu / steps * 1e6,
        "w": [float(v) for v in w.detach().view(-1)],
        "b": float(b.detach()[0]),
        "losses": losses,
    }


def main():
    p = parser(__doc__)
    p.add_argument("--verbose", action="store_true", help="print the course's per-epoch loss lines to stderr")
    args = p.parse_args()
    env = setup(args.threads)
    config = {"examples": num_examples, "true_w": true_w, "true_b": true_b, "noise_std": 0.01,
              "batch_size": batch_size, "lr": lr, "epochs": num_epochs, "init": "w~N(0,0.01), b=0",
              "loss": "squared/2, l.sum().backward(), param -= lr*grad/batch_size", "seed": args.seed}
    runs = [train(args.seed + r, args.verbose and r == 0) for r in range(args.repeats)]
    summarize("linreg-scratch", env, config, runs)


if __name__ == "__main__":
    main()
