"""Fashion-MNIST softmax regression and MLP, the course's PyTorch programs, timed.
Run with /usr/bin/python3 (Debian python3-torch).

    fashion_mnist.py --program softmax-scratch|softmax-concise|mlp-scratch|mlp-concise
                     [--data-dir data] [--epochs 10] [--seed 0] [--threads N]

Reads the IDX files that scripts/fetch-data writes (data/fashion-mnist/*.gz) into memory
and trains as the course does: batch 256, lr 0.1, SGD, a DataLoader over an in-memory
TensorDataset (num_workers=0), as in shared/reference/pytorch-baseline.md. Prints one JSON
line: per epoch the training seconds (loader + forward + backward + update + metric
accumulation), evaluation seconds (test accuracy pass), train loss, train acc, test acc;
and the process's peak RSS.
"""
import gzip
import os
import resource
import struct
import sys
import time

from common import torch, parser, setup  # sets OMP_WAIT_POLICY before torch loads
import json
import numpy as np
from torch import nn

BATCH_SIZE = 256
LR = 0.1


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">I", raw[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data_dir, split):
    root = os.path.join(data_dir, "fashion-mnist")
    images = read_idx(os.path.join(root, "%s-images-idx3-ubyte.gz" % split))
    labels = read_idx(os.path.join(root, "%s-labels-idx1-ubyte.gz" % split))
    X = torch.from_numpy(images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(labels.astype(np.int64))
    return torch.utils.data.TensorDataset(X, y)


# ---- softmax regression from scratch (the course's code)
def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(dim=1, keepdim=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    return -torch.log(y_hat.gather(1, y.view(-1, 1)))


def sgd(params, lr, batch_size):
    for param in params:
        param.data -= lr * param.grad / batch_size


def build(program):
    """(net, loss, params, optimizer): optimizer None means the course's sgd on params."""
    if program == "softmax-scratch":
        W = torch.tensor(np.random.normal(0, 0.01, (784, 10)), dtype=torch.float32, requires_grad=True)
        b = torch.zeros(10, dtype=torch.float32, requires_grad=True)
        net = lambda X: softmax(torch.mm(X.view((-1, 784)), W) + b)
        return net, cross_entropy, [W, b], None
    if program == "mlp-scratch":
        W1 = nn.Parameter(torch.randn(784, 256) * 0.01)
        b1 = nn.Parameter(torch.zeros(256))
        W2 = nn.Parameter(torch.randn(256, 10) * 0.01)
        b2 = nn.Parameter(torch.zeros(10))
        relu = lambda X: torch.max(X, torch.zeros_like(X))
        net = lambda X: relu(X.reshape((-1, 784)) @ W1 + b1) @ W2 + b2
        params = [W1, b1, W2, b2]
        return net, nn.CrossEntropyLoss(reduction="none"), params, torch.optim.SGD(params, lr=LR)
    if program == "softmax-concise":
        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    elif program == "mlp-concise":
        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    else:
        raise SystemExit("unknown program %r" % program)
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.01)
    return net, nn.CrossEntropyLoss(reduction="none"), list(net.parameters()), torch.optim.SGD(net.parameters(), lr=LR)


def evaluate_accuracy(net, data_iter):
    if isinstance(net, nn.Module):
        net.eval()
    correct, n = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += float((net(X).argmax(dim=1) == y).sum())
            n += y.numel()
    return correct / n


def train(program, data_dir, epochs, seed):
    torch.manual_seed(seed)
    np.random.seed(seed)
    train_set, test_set = load(data_dir, "train"), load(data_dir, "t10k")
    train_iter = torch.utils.data.DataLoader(train_set, BATCH_SIZE, shuffle=True, num_workers=0)
    test_iter = torch.utils.data.DataLoader(test_set, BATCH_SIZE, shuffle=False, num_workers=0)
    net, loss, params, optimizer = build(program)
    history = []
    for epoch in range(epochs):
        if isinstance(net, nn.Module):
            net.train()
        t0 = time.perf_counter()
        l_sum, acc_sum, n = 0.0, 0.0, 0
        for X, y in train_iter:
            y_hat = net(X)
            l = loss(y_hat, y)
            if optimizer is not None:
                optimizer.zero_grad()
                l.mean().backward()
                optimizer.step()
            else:
                l.sum().backward()
                sgd(params, LR, X.shape[0])
                for p in params:
                    p.grad.data.zero_()
            l_sum += float(l.sum())
            acc_sum += float((y_hat.argmax(dim=1) == y).sum())
            n += y.numel()
        train_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        test_acc = evaluate_accuracy(net, test_iter)
        eval_s = time.perf_counter() - t0
        history.append({"epoch": epoch + 1, "train_loss": l_sum / n, "train_acc": acc_sum / n, "test_acc": test_acc,
                        "seconds": train_s, "eval_seconds": eval_s})
        print("epoch %d, loss %.4f, train acc %.3f, test acc %.3f" % (
            epoch + 1, l_sum / n, acc_sum / n, test_acc), file=sys.stderr)
    return history


def main():
    p = parser(__doc__)
    p.add_argument("--program", required=True)
    p.add_argument("--data-dir", default=os.environ.get("D2L_DATA", "data"))
    p.add_argument("--epochs", type=int, default=10)
    args = p.parse_args()
    env = setup(args.threads)
    history = train(args.program, args.data_dir, args.epochs, args.seed)
    print(json.dumps({"program": args.program, "framework": "pytorch", "env": env, "history": history,
                      "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}))


if __name__ == "__main__":
    main()
