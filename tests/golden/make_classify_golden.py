#!/usr/bin/python3
"""Golden values for the classification ops and modules (tests/ops/classify_test.cpp,
tests/nn/classify_test.cpp): softmax / log_softmax over each dim with their input gradients,
gather, one_hot, cross_entropy and nll_loss for each reduction (including logits of 1e4),
and how PyTorch prints the modules.

Run with Debian's interpreter, which has python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_classify_golden.py
It rewrites tests/data/classify_golden.json.
"""
import json
import os

import torch
from torch import nn
import torch.nn.functional as F


def grid(shape, scale, shift):
    """Deterministic, distinct values: no random generator involved."""
    n = 1
    for s in shape:
        n *= s
    return [((i * 7919) % n) * scale + shift for i in range(n)]


def tensor(values, shape, dtype=torch.float64):
    return torch.tensor(values, dtype=dtype).reshape(shape)


def softmax_cases():
    shape = [2, 3, 4]
    x = grid(shape, 0.37, -4.1)
    u = grid(shape, -0.23, 2.5)
    out = {"shape": shape, "input": x, "upstream": u, "dims": {}}
    for dim in (0, 1, 2, -1):
        case = {}
        for name, fn in (("softmax", torch.softmax), ("log_softmax", torch.log_softmax)):
            xi = tensor(x, shape).requires_grad_()
            y = fn(xi, dim)
            y.backward(tensor(u, shape))
            case[name] = y.detach().flatten().tolist()
            case[name + "_grad"] = xi.grad.flatten().tolist()
        out["dims"][str(dim)] = case
    # float32 rows of 10 classes: the vectorized exp path.
    x32 = grid([4, 10], 1.3, -20.0)
    t = torch.tensor(x32, dtype=torch.float32).reshape(4, 10)
    out["float32"] = {"shape": [4, 10], "input": x32, "softmax": torch.softmax(t, 1).flatten().tolist(),
                      "log_softmax": torch.log_softmax(t, 1).flatten().tolist()}
    return out


def gather_cases():
    shape = [3, 4]
    x = grid(shape, 0.5, -2.0)
    cases = {"shape": shape, "input": x, "dims": {}}
    indices = {
        0: [[2, 0, 2, 1], [0, 0, 1, 2]],  # repeated rows
        1: [[3, 3, 0], [1, 2, 1], [0, 0, 0]],  # repeated columns, narrower than the input
    }
    for dim, index in indices.items():
        xi = tensor(x, shape).requires_grad_()
        idx = torch.tensor(index, dtype=torch.int64)
        y = torch.gather(xi, dim, idx)
        u = tensor(grid(list(y.shape), 0.75, -1.0), list(y.shape))
        y.backward(u)
        cases["dims"][str(dim)] = {"index": index, "index_shape": list(idx.shape), "upstream": u.flatten().tolist(),
                                   "output": y.detach().flatten().tolist(), "input_grad": xi.grad.flatten().tolist()}
    return cases


def loss_cases(fn, logits, target, dtype):
    shape = [len(logits), len(logits[0])]
    out = {"input": logits, "target": target}
    for reduction in ("mean", "sum", "none"):
        x = torch.tensor(logits, dtype=dtype, requires_grad=True)
        t = torch.tensor(target, dtype=torch.int64)
        loss = fn(x, t, reduction=reduction)
        # An upstream that is not all ones, so the per-row weighting of 'none' is checked.
        up = torch.tensor([0.5 + i for i in range(shape[0])], dtype=dtype) if reduction == "none" else torch.tensor(
            1.5, dtype=dtype)
        loss.backward(up)
        out[reduction] = {"loss": loss.detach().tolist(), "upstream": up.tolist(), "input_grad": x.grad.tolist()}
    return out


def cross_entropy_cases():
    logits = [[0.2, -1.3, 2.1, 0.0, 0.7], [1.5, 1.5, -0.5, 3.0, -2.0], [-0.3, 0.8, 0.1, -1.1, 2.4],
              [0.0, 0.0, 0.0, 0.0, 0.0]]
    target = [2, 3, 4, 1]
    huge = [[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [0.0, 0.0, 1e4], [-1e4, -1e4, -1e4]]
    huge_target = [0, 0, 1, 2]
    log_probs = torch.log_softmax(torch.tensor(logits, dtype=torch.float64), 1).tolist()
    return {
        "float64": loss_cases(F.cross_entropy, logits, target, torch.float64),
        "huge_float64": loss_cases(F.cross_entropy, huge, huge_target, torch.float64),
        "huge_float32": loss_cases(F.cross_entropy, huge, huge_target, torch.float32),
        "nll_float64": loss_cases(F.nll_loss, log_probs, target, torch.float64),
    }


def one_hot_cases():
    idx = torch.tensor([[0, 3], [2, 1]])
    return {"indices": idx.tolist(), "inferred": F.one_hot(idx).tolist(), "five": F.one_hot(idx, 5).tolist()}


def printed():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    dropout_mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 256),
                                nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
    modules = {
        "mlp": mlp,
        "dropout_mlp": dropout_mlp,
        "softmax_regression": nn.Sequential(nn.Flatten(), nn.Linear(784, 10)),
        "activations": nn.Sequential(nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=1), nn.LogSoftmax(dim=-1)),
        "dropout": nn.Dropout(),
        "dropout_0.2": nn.Dropout(0.2),
        "dropout_1e-05": nn.Dropout(1e-5),
        "softmax": nn.Softmax(dim=1),
        "log_softmax": nn.LogSoftmax(dim=1),
        "relu": nn.ReLU(),
        "flatten": nn.Flatten(),
        "flatten_0_2": nn.Flatten(0, 2),
        "cross_entropy": nn.CrossEntropyLoss(),
        "cross_entropy_none": nn.CrossEntropyLoss(reduction="none"),
        "nll_loss": nn.NLLLoss(),
    }
    return {name: str(m) for name, m in modules.items()}


def main():
    out = {
        "torch_version": torch.__version__,
        "softmax": softmax_cases(),
        "gather": gather_cases(),
        "one_hot": one_hot_cases(),
        "cross_entropy": cross_entropy_cases(),
        "printed": printed(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "classify_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
