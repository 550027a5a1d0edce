#!/usr/bin/python3
"""Golden values for cross_entropy's options (tests/nn/cross_entropy_test.cpp): the loss and
the input gradient for every combination of reduction, per-class weight, ignore_index and
label_smoothing, with class-index targets and with class-probability targets, for inputs
(C), (N, C), (N, C, d1) and (N, C, d1, d2); and the messages of the errors PyTorch raises.

Run with Debian's interpreter, which has python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_cross_entropy_golden.py
It rewrites tests/data/cross_entropy_golden.json.
"""
import json
import math
import os

import torch
import torch.nn.functional as F


def grid(n, scale, shift):
    """Deterministic, distinct values: no random generator involved."""
    return [((i * 7919) % n) * scale + shift for i in range(n)]


# input shape -> class-index target (flat); every target holds class 1 (ignored when
# ignore_index = 1) and the N-d ones hold -100 (ignored by default).
SHAPES = {
    "c": ([5], [3]),
    "nc": ([4, 5], [4, 1, 0, 1]),
    "ncd": ([3, 4, 2], [1, 3, 0, -100, 2, 1]),
    "ncdd": ([2, 3, 2, 2], [2, 1, 0, 1, -100, 2, 2, 0]),
}


def target_shape(shape):
    return [] if len(shape) == 1 else [shape[0]] + shape[2:]


def run(shape, target, weight, reduction, ignore_index, label_smoothing):
    n = 1
    for s in shape:
        n *= s
    x = torch.tensor(grid(n, 0.37, -2.9), dtype=torch.float64).reshape(shape).requires_grad_()
    loss = F.cross_entropy(x, target, weight=weight, reduction=reduction, ignore_index=ignore_index,
                           label_smoothing=label_smoothing)
    u = torch.tensor(grid(max(loss.numel(), 1), -0.41, 1.3)[: loss.numel()], dtype=torch.float64).reshape(loss.shape)
    loss.backward(u)
    return {"reduction": reduction, "weight": weight is not None, "ignore_index": ignore_index,
            "label_smoothing": label_smoothing, "loss_shape": list(loss.shape),
            # JSON has no NaN: null stands for it (0 / 0, every target ignored)
            "loss": [None if math.isnan(v) else v for v in loss.detach().flatten().tolist()],
            "upstream": u.flatten().tolist(), "input_grad": x.grad.flatten().tolist()}


def cases():
    out = []
    for name, (shape, target) in SHAPES.items():
        c = shape[0] if len(shape) == 1 else shape[1]
        weight = torch.tensor([0.5 + 0.3 * k for k in range(c)], dtype=torch.float64)
        m = 1
        for s in shape:
            m *= s
        probs = torch.softmax(torch.tensor(grid(m, 0.53, -1.7), dtype=torch.float64).reshape(shape),
                              0 if len(shape) == 1 else 1)
        for reduction in ("mean", "sum", "none"):
            for w in (None, weight):
                for smoothing in (0.0, 0.2):
                    for ignore_index in (-100, 1):
                        # with ignore_index = 1, the -100 entries become class 0
                        tv = target if ignore_index == -100 else [0 if v == -100 else v for v in target]
                        t = torch.tensor(tv, dtype=torch.int64).reshape(target_shape(shape))
                        case = run(shape, t, w, reduction, ignore_index, smoothing)
                        case.update(shape=shape, target_kind="index", target=tv)
                        out.append(case)
                    case = run(shape, probs, w, reduction, -100, smoothing)
                    case.update(shape=shape, target_kind="probs", target=probs.flatten().tolist())
                    out.append(case)
        # every target ignored: the weighted mean is 0 / 0
        for reduction in ("mean", "sum"):
            case = run(shape, torch.full(target_shape(shape), -100, dtype=torch.int64), None, reduction, -100, 0.0)
            case.update(shape=shape, target_kind="index", target=[-100] * len(target), name=name + "_all_ignored")
            out.append(case)
    return out


def weights_of(shape):
    c = shape[0] if len(shape) == 1 else shape[1]
    return [0.5 + 0.3 * k for k in range(c)]


ERRORS = [
    # name, input shape, target (values, shape, dtype), kwargs
    ("target_too_large", [3, 10], ([1, 12, 0], [3], "int64"), {}),
    ("target_negative", [3, 10], ([-1, 2, 0], [3], "int64"), {}),
    ("target_too_large_ncd", [2, 3, 2], ([0, 1, 2, 3], [2, 2], "int64"), {}),
    ("target_too_large_ignore", [3, 10], ([1, 10, 0], [3], "int64"), {"ignore_index": 1}),
    ("batch_mismatch", [3, 10], ([1, 2], [2], "int64"), {}),
    ("target_n_1", [3, 10], ([0, 0, 0], [3, 1], "int64"), {}),
    ("spatial_mismatch", [2, 3, 4], ([0] * 10, [2, 5], "int64"), {}),
    ("spatial_mismatch_4d", [2, 3, 4, 4], ([0] * 40, [2, 4, 5], "int64"), {}),
    ("spatial_mismatch_5d", [2, 3, 2, 2, 2], ([0] * 12, [2, 2, 3], "int64"), {}),
    ("target_dims_1d_input", [10], ([0, 1], [2], "int64"), {}),
    ("scalar_input", [], ([0], [], "int64"), {}),
    ("weight_size", [3, 10], ([1, 2, 0], [3], "int64"), {"weight": 9}),
    ("weight_size_probs", [3, 10], (None, [3, 10], "float64"), {"weight": 9}),
    ("probs_ignore_index", [3, 10], (None, [3, 10], "float64"), {"ignore_index": 1}),
    ("label_smoothing_range", [3, 10], ([1, 2, 0], [3], "int64"), {"label_smoothing": 1.5}),
    ("label_smoothing_range_probs", [3, 10], (None, [3, 10], "float64"), {"label_smoothing": 1.5}),
    ("float_target_wrong_shape", [3, 10], ([1, 2, 0], [3], "float64"), {}),
    ("index_target_same_shape", [3, 10], (None, [3, 10], "int64"), {}),
]


def errors():
    out = {}
    for name, shape, (values, tshape, tdtype), kwargs in ERRORS:
        n = 1
        for s in shape:
            n *= s
        x = torch.tensor(grid(max(n, 1), 0.1, 0.0)[:n], dtype=torch.float64).reshape(shape)
        m = 1
        for s in tshape:
            m *= s
        if values is None:
            values = [0] * m
        t = torch.tensor(values, dtype=torch.float64 if tdtype == "float64" else torch.int64).reshape(tshape)
        kw = dict(kwargs)
        if "weight" in kw:
            kw["weight"] = torch.ones(kw["weight"], dtype=torch.float64)
        try:
            F.cross_entropy(x, t, **kw)
            raise SystemExit("expected an error for " + name)
        except (RuntimeError, ValueError, IndexError) as e:
            message = str(e).splitlines()[0]
        out[name] = {"shape": shape, "target": values, "target_shape": tshape, "target_dtype": tdtype,
                     "ignore_index": kwargs.get("ignore_index", -100), "weight": kwargs.get("weight", 0),
                     "label_smoothing": kwargs.get("label_smoothing", 0.0), "message": message}
    return out


def main():
    assert torch.__version__.startswith("1.13"), torch.__version__
    golden = {"torch_version": torch.__version__, "cases": cases(), "errors": errors(),
              "print": {"default": repr(torch.nn.CrossEntropyLoss()),
                        "options": repr(torch.nn.CrossEntropyLoss(ignore_index=-1, reduction="sum",
                                                                  label_smoothing=0.1))}}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "cross_entropy_golden.json")
    with open(path, "w") as f:
        json.dump(golden, f, indent=None, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print("wrote", os.path.normpath(path), len(golden["cases"]), "cases,", len(golden["errors"]), "errors")
    for k, v in golden["errors"].items():
        print(" ", k, ":", v["message"])


if __name__ == "__main__":
    main()
