#!/usr/bin/python3
"""Golden values for tests/nn/*.cpp: print(net), named_parameters() names and MSELoss values
as PyTorch gives them.

Run with Debian's interpreter, which has python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_nn_golden.py
It rewrites tests/data/nn_golden.json.
"""
import json
import os
from collections import OrderedDict

import torch
from torch import nn


class LinearNet(nn.Module):
    """The course's custom module: one Linear child called `linear`."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, X):
        return self.linear(X)


class TwoLayer(nn.Module):
    """A custom module holding a parameter of its own and a nested Sequential."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(1))
        self.body = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))


def nets():
    positional = nn.Sequential(nn.Linear(2, 1))
    added = nn.Sequential()
    added.add_module("linear", nn.Linear(2, 1))
    ordered = nn.Sequential(OrderedDict([("linear", nn.Linear(2, 1))]))
    nested = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.Linear(3, 1), nn.Linear(1, 1, bias=False)))
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    shared = nn.Linear(3, 3)
    tied = nn.Sequential(nn.Linear(2, 3), shared, shared, nn.Linear(3, 1))
    return {
        "positional": positional,
        "add_module": added,
        "ordered_dict": ordered,
        "nested": nested,
        "linear_net": LinearNet(),
        "two_layer": TwoLayer(),
        "mlp": mlp,
        "tied": tied,
        "empty_sequential": nn.Sequential(),
        "linear_no_bias": nn.Linear(5, 7, bias=False),
        "mse_loss": nn.MSELoss(),
    }


def mse_cases():
    inp = [[0.5, -1.25, 2.0], [3.0, 0.125, -0.75]]
    tgt = [[1.0, 0.5, -2.0], [2.5, 0.0, 0.25]]
    i = torch.tensor(inp, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(tgt, dtype=torch.float64)
    out = {"input": inp, "target": tgt}
    for reduction in ("mean", "sum", "none"):
        i.grad = None
        loss = nn.MSELoss(reduction=reduction)(i, t)
        loss.backward(torch.ones_like(loss))
        out[reduction] = {"loss": loss.detach().tolist(), "input_grad": i.grad.tolist()}
    return out


def main():
    out = {"torch_version": torch.__version__, "printed": {}, "named_parameters": {}}
    for name, net in nets().items():
        out["printed"][name] = str(net)
        out["named_parameters"][name] = [[n, list(p.shape)] for n, p in net.named_parameters()]
    out["mse_loss"] = mse_cases()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "nn_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
