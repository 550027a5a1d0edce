#!/usr/bin/python3
"""Golden values for tests/nn/rnn_test.cpp and tests/optim/adam_test.cpp: nn.RNN / GRU / LSTM
outputs and gradients for fixed weights and inputs, print(module), torch.optim.Adam
trajectories and print(optimizer), and clip_grad_norm_.

Run with Debian's interpreter, which has python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_rnn_golden.py
It rewrites tests/data/rnn_golden.json.

Everything runs in float64 from values written into the file (no random draws), so the C++
side rebuilds the same layers and inputs from the JSON alone.
"""
import json
import math
import os

import torch
import torch.nn.functional as F
from torch import nn

STEPS, BATCH, INPUT, HIDDEN = 5, 2, 3, 4


def pattern(shape, seed, scale=0.6):
    """Deterministic values in (-scale, scale), different for every seed."""
    n = math.prod(shape)
    values = [scale * math.sin(1.3 * seed + 0.77 * i + 0.1 * i * i) for i in range(n)]
    return torch.tensor(values, dtype=torch.float64).reshape(shape)


def flat(t):
    return t.detach().reshape(-1).tolist()


# name -> (class, keyword arguments, initial state given)
LAYERS = {
    "rnn_tanh_2layers": (nn.RNN, {"num_layers": 2}, False),
    "rnn_tanh_2layers_state": (nn.RNN, {"num_layers": 2}, True),
    "rnn_relu_2layers_state": (nn.RNN, {"num_layers": 2, "nonlinearity": "relu"}, True),
    "rnn_no_bias": (nn.RNN, {"bias": False}, True),
    "gru_2layers": (nn.GRU, {"num_layers": 2}, False),
    "gru_2layers_state": (nn.GRU, {"num_layers": 2}, True),
    "gru_no_bias": (nn.GRU, {"bias": False}, True),
    "lstm_2layers": (nn.LSTM, {"num_layers": 2}, False),
    "lstm_2layers_state": (nn.LSTM, {"num_layers": 2}, True),
    "lstm_no_bias": (nn.LSTM, {"bias": False}, True),
    # input and output (batch, steps, feature); the state stays (layers, batch, hidden)
    "rnn_batch_first_state": (nn.RNN, {"num_layers": 2, "batch_first": True}, True),
    "gru_batch_first": (nn.GRU, {"batch_first": True}, False),
    "lstm_batch_first_state": (nn.LSTM, {"num_layers": 2, "batch_first": True}, True),
}


def layer_case(cls, kwargs, with_state, seed):
    layer = cls(INPUT, HIDDEN, **kwargs).double()
    params = {}
    with torch.no_grad():
        for k, (name, p) in enumerate(layer.named_parameters()):
            p.copy_(pattern(p.shape, seed + 10 * k))
            params[name] = {"shape": list(p.shape), "values": flat(p)}
    layers = kwargs.get("num_layers", 1)
    x_shape = (BATCH, STEPS, INPUT) if kwargs.get("batch_first") else (STEPS, BATCH, INPUT)
    x = pattern(x_shape, seed + 1, scale=1.0).requires_grad_()
    is_lstm = cls is nn.LSTM
    h0 = pattern((layers, BATCH, HIDDEN), seed + 2).requires_grad_() if with_state else None
    c0 = pattern((layers, BATCH, HIDDEN), seed + 3).requires_grad_() if with_state and is_lstm else None
    if is_lstm:
        output, (h_n, c_n) = layer(x, (h0, c0)) if with_state else layer(x)
    else:
        output, h_n = layer(x, h0) if with_state else layer(x)
        c_n = None
    # A loss that weighs every output element differently, so misrouted gradients show.
    w_out = pattern(output.shape, seed + 4, scale=1.0)
    w_h = pattern(h_n.shape, seed + 5, scale=1.0)
    loss = (output * w_out).sum() + (h_n * w_h).sum()
    case = {"class": cls.__name__, "kwargs": kwargs, "params": params, "x": flat(x), "x_shape": list(x.shape),
            "w_out": flat(w_out), "w_h": flat(w_h), "output": flat(output), "output_shape": list(output.shape),
            "h_n": flat(h_n), "state_shape": list(h_n.shape)}
    if c_n is not None:
        w_c = pattern(c_n.shape, seed + 6, scale=1.0)
        loss = loss + (c_n * w_c).sum()
        case["w_c"] = flat(w_c)
        case["c_n"] = flat(c_n)
    loss.backward()
    case["loss"] = loss.item()
    case["grads"] = {name: flat(p.grad) for name, p in layer.named_parameters()}
    case["grad_x"] = flat(x.grad)
    if with_state:
        case["h0"] = flat(h0)
        case["grad_h0"] = flat(h0.grad)
        if c0 is not None:
            case["c0"] = flat(c0)
            case["grad_c0"] = flat(c0.grad)
    return case


# print(module) for these constructions: (class name, positional args, keyword args)
PRINTED = [
    ("RNN", [28, 256], {}),
    ("RNN", [28, 256], {"nonlinearity": "relu"}),
    ("RNN", [5, 7], {"num_layers": 3, "bias": False}),
    ("GRU", [28, 256], {}),
    ("GRU", [3, 4], {"bias": False}),
    ("LSTM", [28, 256], {"num_layers": 2}),
    ("LSTM", [2579, 256], {}),
    ("Embedding", [28, 8], {}),
    ("RNN", [28, 256], {"batch_first": True}),
    ("GRU", [3, 4], {"num_layers": 2, "bias": False, "batch_first": True, "dropout": 0.25}),
    ("LSTM", [28, 256], {"num_layers": 2, "batch_first": True, "dropout": 0.5}),
    ("RNN", [5, 7], {"num_layers": 2, "dropout": 0.1}),
]

# ---- Adam: the same problem as tests/golden/make_sgd_golden.py
ADAM_STEPS = 5
W0 = [[0.5, -0.25, 1.0], [-0.75, 0.3, 0.2]]
B0 = [0.1, -0.4]
X = [[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-2.0, 0.25, 0.75], [1.5, 1.0, 0.5]]
Y = [[1.0, -1.0], [0.0, 2.0], [-1.5, 0.5], [2.0, 1.0]]
ADAM_CONFIGS = {
    "default": ({}, None),
    "lr": ({"lr": 0.1}, None),
    "betas_eps": ({"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6}, None),
    "weight_decay": ({"lr": 0.1, "weight_decay": 0.05}, None),
    "amsgrad": ({"lr": 0.1, "amsgrad": True}, None),
    "maximize": ({"lr": 0.1, "maximize": True}, None),
    "amsgrad_weight_decay_maximize": ({"lr": 0.02, "amsgrad": True, "weight_decay": 0.1, "maximize": True}, None),
    "two_groups": ({"lr": 0.1}, [(["W"], {}), (["b"], {"lr": 0.01, "betas": (0.5, 0.9)})]),
}


def adam_run(defaults, groups):
    params = {"W": torch.tensor(W0, dtype=torch.float64, requires_grad=True),
              "b": torch.tensor(B0, dtype=torch.float64, requires_grad=True)}
    if groups is None:
        opt = torch.optim.Adam([params["W"], params["b"]], **defaults)
    else:
        opt = torch.optim.Adam([dict(params=[params[n] for n in names], **over) for names, over in groups],
                               **defaults)
    x = torch.tensor(X, dtype=torch.float64)
    y = torch.tensor(Y, dtype=torch.float64)
    trajectory = []
    for _ in range(ADAM_STEPS):
        opt.zero_grad()
        F.mse_loss(F.linear(x, params["W"], params["b"]), y).backward()
        opt.step()
        trajectory.append({"W": flat(params["W"]), "b": flat(params["b"])})
    return str(opt), trajectory


# ---- clip_grad_norm_: two float64 gradients, clipped to max_norm in the given norm
CLIP_GRADS = {"a": ([2, 3], [0.5, -1.25, 2.0, 0.0, -0.75, 1.5]), "b": ([4], [3.0, -0.5, 0.25, -2.0])}
CLIP_CASES = [(1.0, 2.0), (100.0, 2.0), (1.0, 1.0), (0.5, math.inf), (10.0, math.inf), (2.0, 3.0)]


def clip_case(max_norm, norm_type):
    params = []
    for shape, values in CLIP_GRADS.values():
        p = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(values, dtype=torch.float64).reshape(shape)
        params.append(p)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
    return {"max_norm": max_norm, "norm_type": "inf" if math.isinf(norm_type) else norm_type,
            "total_norm": total.item(), "grads": [flat(p.grad) for p in params]}


def main():
    out = {"torch_version": torch.__version__, "sizes": {"steps": STEPS, "batch": BATCH, "input": INPUT,
                                                         "hidden": HIDDEN}, "layers": {}}
    for i, (name, (cls, kwargs, with_state)) in enumerate(LAYERS.items()):
        out["layers"][name] = layer_case(cls, kwargs, with_state, seed=100 * (i + 1))
    out["printed"] = []
    for cls_name, args, kwargs in PRINTED:
        module = getattr(nn, cls_name)(*args, **kwargs)
        out["printed"].append({"class": cls_name, "args": args, "kwargs": kwargs, "printed": str(module)})
    out["adam"] = {"steps": ADAM_STEPS, "W0": W0, "b0": B0, "X": X, "Y": Y, "configs": {}}
    for name, (defaults, groups) in ADAM_CONFIGS.items():
        printed, trajectory = adam_run(defaults, groups)
        out["adam"]["configs"][name] = {
            "defaults": defaults,
            "groups": None if groups is None else [{"params": names, "options": over} for names, over in groups],
            "printed": printed,
            "trajectory": trajectory,
        }
    out["clip"] = {"grads": {k: {"shape": s, "values": v} for k, (s, v) in CLIP_GRADS.items()},
                   "cases": [clip_case(m, n) for m, n in CLIP_CASES]}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "rnn_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
