"""Linear regression, concise: the course's PyTorch program (Task01, 线性回归的简洁实现),
timed. Run with /usr/bin/python3 (Debian python3-torch).

TensorDataset + DataLoader(batch 10, shuffle=True), nn.Sequential(nn.Linear(2, 1)),
init.normal_(std=0.01), bias 0, nn.MSELoss, optim.SGD(lr=0.03), 3 epochs.
The course passes num_workers=2; the default here is 0 (5x faster), --num-workers 2 for the
course's setting.

Prints one JSON line: loop_seconds (sum of the mini-batch loops = DataLoader + forward +
backward + step, per-epoch full-data loss excluded), steps, us_per_step (min/median over
--repeats), final w, b, the per-epoch full-data MSE (`losses`) and the course's printed
last-batch loss (`last_batch_losses`) of the first repeat.
"""
import sys
import time

from common import torch, parser, setup, summarize  # sets OMP_WAIT_POLICY before torch loads
import numpy as np
import torch.optim as optim
import torch.utils.data as Data
from torch import nn
from torch.nn import init

num_inputs = 2
num_examples = 1000
true_w = [2, -3.4]
true_b = 4.2
batch_size = 10
lr = 0.03
num_epochs = 3


def train(seed, num_workers, verbose):
    np.random.seed(seed)
    torch.manual_seed(seed)
    features = torch.tensor(np.random.normal(0, 1, (num_examples, num_inputs)), dtype=torch.float)
    labels = true_w[0] * features[:, 0] + true_w[1] * features[:, 1] + true_b
    labels += torch.tensor(np.random.normal(0, 0.01, size=labels.size()), dtype=torch.float)

    dataset = Data.TensorDataset(features, labels)
    data_iter = Data.DataLoader(dataset=dataset, batch_size=batch_size, shuffle=True, num_workers=num_workers)

    net = nn.Sequential(nn.Linear(num_inputs, 1))
    init.normal_(net[0].weight, mean=0.0, std=0.01)
    init.constant_(net[0].bias, val=0.0)
    loss = nn.MSELoss()
    optimizer = optim.SGD(net.parameters(), lr=lr)

    loop_seconds, loop_cpu, steps, losses, last = 0.0, 0.0, 0, [], []
    for epoch in range(1, num_epochs + 1):
        t0, c0 = time.perf_counter(), time.thread_time()
        for X, y in data_iter:
            output = net(X)
            l = loss(output, y.view(-1, 1))
            optimizer.zero_grad()
            l.backward()
            optimizer.step()
            steps += 1
        loop_seconds += time.perf_counter() - t0
        loop_cpu += time.thread_time() - c0
        last.append(l.item())
        with torch.no_grad():
            losses.append(loss(net(features), labels.view(-1, 1)).item())
        if verbose:
            print('epoch %d, loss: %f' % (epoch, last[-1]), file=sys.stderr)
    dense = net[0]
    return {
        "loop_seconds": loop_seconds,
        "steps": steps,
        "us_per_step": loop_seconds / steps * 1e6,
        "cpu_us_per_step": loop_cpu / steps * 1e6,
        "w": [float(v) for v in dense.weight.data.view(-1)],
        "b": float(dense.bias.data[0]),
        "losses": losses,
        "last_batch_losses": last,
    }


def main():
    p = parser(__doc__)
    p.add_argument("--num-workers", type=int, default=0, help="DataLoader workers (the course uses 2)")
    p.add_argument("--verbose", action="store_true", help="print the course's per-epoch loss lines to stderr")
    args = p.parse_args()
    env = setup(args.threads)
    config = {"examples": num_examples, "batch_size": batch_size, "lr": lr, "epochs": num_epochs,
              "model": "nn.Sequential(nn.Linear(2,1)), normal_(std=0.01), bias 0",
              "loss": "nn.MSELoss (mean, no /2)", "optimizer": "optim.SGD",
              "loader": "TensorDataset + DataLoader(shuffle=True, num_workers=%d)" % args.num_workers,
              "seed": args.seed}
    runs = [train(args.seed + r, args.num_workers, args.verbose and r == 0) for r in range(args.repeats)]
    summarize("linreg-concise" if args.num_workers == 0 else "linreg-concise-w%d" % args.num_workers,
              env, config, runs)


if __name__ == "__main__":
    main()
