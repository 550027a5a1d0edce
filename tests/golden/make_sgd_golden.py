#!/usr/bin/python3
"""Golden values for tests/optim/sgd_test.cpp: torch.optim.SGD trajectories and print(optimizer).

Run with Debian's interpreter, which has python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_sgd_golden.py
It rewrites tests/data/sgd_golden.json.

The problem: two float64 parameter tensors W (2x3) and b (2), fixed data X (4x3), Y (4x2),
loss = mean((X @ W^T + b - Y)^2), i.e. F.mse_loss(F.linear(X, W, b), Y). Each configuration
starts from the same W and b, runs STEPS iterations of zero_grad / backward / step, and
records W and b (flattened, row-major) after every step.
"""
import json
import os

import torch
import torch.nn.functional as F

STEPS = 5
W0 = [[0.5, -0.25, 1.0], [-0.75, 0.3, 0.2]]
B0 = [0.1, -0.4]
X = [[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-2.0, 0.25, 0.75], [1.5, 1.0, 0.5]]
Y = [[1.0, -1.0], [0.0, 2.0], [-1.5, 0.5], [2.0, 1.0]]

# name -> (defaults, groups). groups None: one group with both tensors; otherwise a list of
# (tensor names, per-group overrides).
CONFIGS = {
    "plain": ({"lr": 0.1}, None),
    "momentum": ({"lr": 0.1, "momentum": 0.9}, None),
    "weight_decay": ({"lr": 0.1, "weight_decay": 0.05}, None),
    "nesterov": ({"lr": 0.1, "momentum": 0.9, "nesterov": True}, None),
    "dampening": ({"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, None),
    "maximize": ({"lr": 0.1, "maximize": True}, None),
    "maximize_momentum_weight_decay": ({"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1, "maximize": True}, None),
    "nesterov_weight_decay": ({"lr": 0.05, "momentum": 0.8, "weight_decay": 0.01, "nesterov": True}, None),
    "two_groups": ({"lr": 0.1, "momentum": 0.9},
                   [(["W"], {}), (["b"], {"lr": 0.01, "momentum": 0.5})]),
}

# Only printed: print(optim.SGD(...)) for these option sets (one group).
PRINT_ONLY = {
    "lr_0.03": {"lr": 0.03},
    "momentum_nesterov": {"lr": 0.03, "momentum": 0.9, "nesterov": True},
    "int_lr": {"lr": 1},
    "small_weight_decay": {"lr": 0.5, "weight_decay": 1e-4},
    "tiny_weight_decay": {"lr": 0.0003, "weight_decay": 1e-5, "dampening": 0.25, "momentum": 0.125},
    "float_repr": {"lr": 0.1 + 0.2, "momentum": 0.95, "weight_decay": 2.5e-7},
    "float_repr_large": {"lr": 123.456, "weight_decay": 1.5e16, "momentum": 0.001},
}


def make_params():
    W = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B0, dtype=torch.float64, requires_grad=True)
    return {"W": W, "b": b}


def run(defaults, groups):
    params = make_params()
    if groups is None:
        opt = torch.optim.SGD([params["W"], params["b"]], **defaults)
    else:
        opt = torch.optim.SGD([dict(params=[params[n] for n in names], **over) for names, over in groups],
                              **defaults)
    X_t = torch.tensor(X, dtype=torch.float64)
    Y_t = torch.tensor(Y, dtype=torch.float64)
    trajectory = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = F.mse_loss(F.linear(X_t, params["W"], params["b"]), Y_t)
        loss.backward()
        opt.step()
        trajectory.append({"W": params["W"].detach().flatten().tolist(), "b": params["b"].detach().tolist()})
    return str(opt), trajectory


def main():
    out = {"torch_version": torch.__version__, "steps": STEPS, "W0": W0, "b0": B0, "X": X, "Y": Y,
           "configs": {}, "print_only": {}}
    for name, (defaults, groups) in CONFIGS.items():
        printed, trajectory = run(defaults, groups)
        out["configs"][name] = {
            "defaults": defaults,
            "groups": None if groups is None else [{"params": names, "options": over} for names, over in groups],
            "printed": printed,
            "trajectory": trajectory,
        }
    for name, defaults in PRINT_ONLY.items():
        p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        out["print_only"][name] = {"defaults": defaults, "printed": str(torch.optim.SGD([p], **defaults))}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "sgd_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
