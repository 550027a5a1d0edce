#!/usr/bin/python3
"""Golden values for the op table (tests/op_table/op_table_test.cpp), PyTorch's OpInfo pattern.

Every op has one entry in OPS below: its name (as the C++ table spells it), how PyTorch
computes it, and its samples. A sample lists its inputs with explicit values, dtype and
layout (contiguous, transposed, strided or expanded), and scalar arguments. For each sample
this script stores what PyTorch 1.13 gives: the outputs (values, dtype, shape, whether they
require grad), for differentiable floating samples an upstream gradient and the gradients
of the inputs, whether torch.autograd.gradcheck holds there (the C++ side then runs its own
central differences), and for error samples the message PyTorch raises.

Run with Debian's interpreter, which has python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_op_table_golden.py
It rewrites tests/data/op_table_golden.json.

To add an op: add an entry here and one in tests/op_table/op_table.cpp with the same name.
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float32)

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}
INF, NAN = math.inf, math.nan


# ---------------------------------------------------------------- input specs

def _rng_values(n, seed, lo=-2.0, hi=2.0):
    g = torch.Generator().manual_seed(seed)
    v = torch.rand(n, generator=g, dtype=torch.float64) * (hi - lo) + lo
    # Quarter steps away from zero keep values tidy and avoid ties of max and kinks of
    # relu/abs (0.125 offsets), while still covering both signs.
    return [round(x * 8) / 8 + (0.0625 if round(x * 8) % 2 == 0 else 0.0) for x in v.tolist()]


def numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def T(shape, dtype="float32", values=None, seed=0, lo=-2.0, hi=2.0, layout="contiguous", expand=None, grad=True,
      distinct=False, shift=0.0):
    """An input: shape (the stored tensor's logical shape), values row-major (generated from
    seed when omitted; distinct: pairwise different, a shuffled grid, so max has no ties;
    shift: added to every generated value), layout, and for layout 'expanded' the target shape."""
    shape = list(shape)
    n = numel(shape)
    if values is None:
        if distinct:
            g = torch.Generator().manual_seed(seed + 1)
            values = [(p - n // 2) * 0.25 + 0.0625 for p in torch.randperm(n, generator=g).tolist()]
        elif dtype in ("float32", "float64"):
            values = [v + shift for v in _rng_values(n, seed + 1, lo, hi)]
        elif dtype == "int64":
            g = torch.Generator().manual_seed(seed + 1)
            values = torch.randint(int(lo) if lo > -100 else -5, int(hi) + 1 if hi < 100 else 6, (n,), generator=g).tolist()
        else:
            g = torch.Generator().manual_seed(seed + 1)
            values = (torch.rand(n, generator=g) < 0.5).tolist()
    values = list(values)
    assert len(values) == n, (shape, len(values))
    spec = {"dtype": dtype, "shape": shape, "values": values, "layout": layout, "grad": grad}
    if expand is not None:
        spec["expand"] = list(expand)
    return spec


def I(values, shape=None):
    """An int64 index tensor."""
    return T(shape if shape is not None else [len(values)], "int64", values=values, grad=False)


def B(values, shape=None):
    return T(shape if shape is not None else [len(values)], "bool", values=values, grad=False)


def S(name, inputs, args=None, error=None, gradcheck=True):
    """A sample. error: True when PyTorch must raise here (the script checks it does and
    stores its message)."""
    return {"name": name, "inputs": inputs, "args": args or {}, "expect_error": bool(error), "gradcheck": gradcheck}


def build(spec):
    """The torch tensor a spec describes, and the leaf its gradient lands on."""
    dt = DTYPES[spec["dtype"]]
    vals = spec["values"]
    shape = spec["shape"]
    if dt == torch.bool:
        base = torch.tensor([bool(v) for v in vals], dtype=dt).reshape(shape)
    else:
        base = torch.tensor(vals, dtype=dt).reshape(shape) if vals else torch.empty(shape, dtype=dt)
    layout = spec["layout"]
    if layout == "transposed":
        x = base.transpose(-1, -2).contiguous().transpose(-1, -2)
    elif layout == "strided":
        wide = torch.zeros(shape[:-1] + [2 * shape[-1]], dtype=dt)
        wide[..., ::2] = base
        x = wide[..., ::2]
    else:
        x = base.clone()
    leaf = x.detach()
    if spec["grad"] and dt.is_floating_point:
        leaf.requires_grad_(True)
    x = leaf
    if layout == "expanded":
        x = leaf.expand(spec["expand"])
    return x, leaf


# ---------------------------------------------------------------- value encoding

def enc(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def enc_tensor(t):
    t = t.detach()
    vals = t.reshape(-1).tolist()
    if t.dtype == torch.float32:  # 9 significant digits round-trip a float32 exactly
        vals = [float("%.9g" % v) for v in vals]
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "values": [enc(v) for v in vals]}


def compact(spec):
    """An input spec as stored: defaults (contiguous layout, grad) left out."""
    out = {"dtype": spec["dtype"], "shape": spec["shape"], "values": [enc(v) for v in spec["values"]]}
    if spec["layout"] != "contiguous":
        out["layout"] = spec["layout"]
    if "expand" in spec:
        out["expand"] = spec["expand"]
    if not spec["grad"]:
        out["grad"] = False
    return out


def upstream_for(out, seed):
    g = torch.Generator().manual_seed(seed)
    u = torch.randn(out.shape, generator=g, dtype=torch.float64)
    return (torch.round(u * 8) / 8).to(out.dtype)


# ---------------------------------------------------------------- sample families

SPECIAL = [0.0, -0.0, 1.0, -1.0, INF, -INF, NAN, 0.5, -2.5, 3.0, 1e-3, 100.0]
# Binary ops pair every value with every other: a shorter list keeps the file small.
BINARY_SPECIAL = [0.0, -0.0, 1.0, -2.5, INF, -INF, NAN, 0.5]


def unary_samples(dtypes=("float32", "float64"), lo=-2.0, hi=2.0, int_ok=True, special=True):
    out = []
    for dt in dtypes:
        out.append(S(f"{dt}_2x3", [T([2, 3], dt, seed=1, lo=lo, hi=hi)]))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=2, lo=lo, hi=hi, layout="transposed")]))
        out.append(S(f"{dt}_strided", [T([5], dt, seed=3, lo=lo, hi=hi, layout="strided")]))
        out.append(S(f"{dt}_expanded", [T([1, 3], dt, seed=4, lo=lo, hi=hi, layout="expanded", expand=[2, 3])],
                     gradcheck=False))
        out.append(S(f"{dt}_0d", [T([], dt, seed=5, lo=lo, hi=hi)]))
        out.append(S(f"{dt}_empty", [T([0, 3], dt)]))
        out.append(S(f"{dt}_size1", [T([1, 1, 2], dt, seed=6, lo=lo, hi=hi)]))
        if special:
            out.append(S(f"{dt}_special", [T([len(SPECIAL)], dt, values=SPECIAL)], gradcheck=False))
    if int_ok:
        out.append(S("int64_2x3", [T([2, 3], "int64", values=[0, 1, -2, 3, 4, -5] if lo < 0 else [0, 1, 2, 3, 4, 5])]))
        out.append(S("int64_empty", [T([0], "int64")]))
    return out


BROADCAST_PAIRS = [
    ("same", [3, 4], [3, 4]),
    ("col_row", [3, 1], [1, 4]),
    ("rank_ext", [2, 3, 4], [4]),
    ("rank_ext_left", [4], [2, 3, 4]),
    ("0d_left", [], [2, 3]),
    ("0d_right", [2, 3], []),
    ("both_0d", [], []),
    ("both_stretched", [2, 1, 4], [3, 1]),
]


def binary_samples(name, dtypes=("float32", "float64"), lo=-2.0, hi=2.0, blo=None, bhi=None, int_ok=True,
                   special=True, bool_ok=True, mixed=True, bshift=0.0):
    blo = lo if blo is None else blo
    bhi = hi if bhi is None else bhi
    out = []
    for dt in dtypes:
        for tag, sa, sb in BROADCAST_PAIRS:
            if dt == "float32" and tag not in ("same", "col_row", "0d_left"):
                continue  # every broadcast in float64; float32 runs the same kernels
            out.append(S(f"{dt}_{tag}", [T(sa, dt, seed=11, lo=lo, hi=hi), T(sb, dt, seed=12, lo=blo, hi=bhi, shift=bshift)]))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=13, lo=lo, hi=hi, layout="transposed"),
                                          T([3, 4], dt, seed=14, lo=blo, hi=bhi, layout="strided", shift=bshift)]))
        out.append(S(f"{dt}_expanded", [T([3, 1], dt, seed=15, lo=lo, hi=hi, layout="expanded", expand=[3, 4]),
                                        T([3, 4], dt, seed=16, lo=blo, hi=bhi, shift=bshift)], gradcheck=False))
        out.append(S(f"{dt}_empty", [T([0, 3], dt), T([3], dt, seed=17, lo=blo, hi=bhi, shift=bshift)]))
        out.append(S(f"{dt}_size1", [T([1, 3], dt, seed=18, lo=lo, hi=hi), T([1, 1], dt, seed=19, lo=blo, hi=bhi, shift=bshift)]))
        if special:
            k = len(BINARY_SPECIAL)
            out.append(S(f"{dt}_special", [T([k, 1], dt, values=BINARY_SPECIAL), T([1, k], dt, values=BINARY_SPECIAL)],
                         gradcheck=False))
    if int_ok:
        out.append(S("int64_same", [T([2, 3], "int64", values=[0, 1, -2, 3, 4, -5]),
                                    T([2, 3], "int64", values=[2, -3, 1, 2, -1, 3])]))
        out.append(S("int64_broadcast", [T([2, 1], "int64", values=[3, -4]), T([3], "int64", values=[1, 2, 5])]))
    if mixed:
        out.append(S("int64_float32", [T([2, 3], "int64", values=[0, 1, -2, 3, 4, -5]),
                                       T([2, 3], "float32", seed=20, lo=blo, hi=bhi, shift=bshift)]))
        out.append(S("float32_float64", [T([2, 3], "float32", seed=21, lo=lo, hi=hi),
                                         T([3], "float64", seed=22, lo=blo, hi=bhi, shift=bshift)]))
        out.append(S("float32_0d_float64", [T([2, 3], "float32", seed=23, lo=lo, hi=hi),
                                            T([], "float64", seed=24, lo=blo, hi=bhi, shift=bshift)]))
        out.append(S("int64_0d_float64", [T([3], "int64", values=[1, 2, 3]), T([], "float64", seed=25, lo=blo, hi=bhi, shift=bshift)]))
        if bool_ok:
            out.append(S("bool_float32", [B([True, False, True]), T([3], "float32", seed=26, lo=blo, hi=bhi, shift=bshift)]))
            out.append(S("int64_bool", [T([3], "int64", values=[2, 3, 4]), B([True, False, True])]))
    if bool_ok:
        out.append(S("bool_bool", [B([True, False, True, False]), B([True, True, False, False])]))
    out.append(S("error_shapes", [T([2, 3], "float32", seed=27), T([4], "float32", seed=28)], error=True))
    return out


def compare_samples():
    out = []
    a = [0.0, 1.0, -1.0, INF, -INF, NAN, 2.0, 2.0]
    b = [0.0, 2.0, -1.0, INF, 3.0, NAN, NAN, 1.0]
    for dt in ("float32", "float64"):
        out.append(S(f"{dt}_special", [T([8], dt, values=a, grad=False), T([8], dt, values=b, grad=False)]))
        out.append(S(f"{dt}_broadcast", [T([3, 1], dt, values=[1.0, 2.0, 3.0], grad=False),
                                         T([1, 3], dt, values=[3.0, 2.0, 1.0], layout="strided", grad=False)]))
    out.append(S("int64_same", [T([4], "int64", values=[1, 2, 3, 4]), T([4], "int64", values=[4, 2, 3, 1])]))
    out.append(S("int64_float32", [T([3], "int64", values=[1, 2, 3]), T([3], "float32", values=[1.5, 2.0, 2.5], grad=False)]))
    out.append(S("int64_0d_float64", [T([3], "int64", values=[1, 2, 3]), T([], "float64", values=[2.0], grad=False)]))
    out.append(S("bool_bool", [B([True, False, True, False]), B([True, True, False, False])]))
    out.append(S("empty", [T([0], "float32", grad=False), T([1], "float32", values=[1.0], grad=False)]))
    out.append(S("error_shapes", [T([2], "float32", grad=False, seed=1), T([3], "float32", grad=False, seed=2)], error=True))
    return out


def scalar_samples(scalars, dtypes=("float32", "float64"), lo=-2.0, hi=2.0, int_scalars=(), int_lo=-3, int_hi=3,
                   special=True):
    out = []
    for s in scalars:
        st = repr(s).replace("-", "m").replace(".", "p")
        for dt in dtypes:
            out.append(S(f"{dt}_{st}", [T([2, 3], dt, seed=31, lo=lo, hi=hi)], {"scalar": s}))
        out.append(S(f"float64_strided_{st}", [T([4], "float64", seed=32, lo=lo, hi=hi, layout="strided")], {"scalar": s}))
        if special:
            out.append(S(f"float32_special_{st}", [T([len(SPECIAL)], "float32", values=SPECIAL)], {"scalar": s},
                         gradcheck=False))
        out.append(S(f"float32_empty_{st}", [T([0], "float32")], {"scalar": s}))
        out.append(S(f"float32_0d_{st}", [T([], "float32", seed=33, lo=lo, hi=hi)], {"scalar": s}))
    for s in int_scalars:
        st = repr(s).replace("-", "m").replace(".", "p")
        out.append(S(f"int64_{st}", [T([5], "int64", values=list(range(int_lo, int_lo + 5)))], {"scalar": s}))
    return out


def reduce_dim_samples(dtypes=("float32", "float64"), int_ok=True, empty_ok=True):
    out = []
    for dt in dtypes:
        for dims, kd in (([1], False), ([0], True), ([-1], False), ([0, 2], False), ([0, 2], True), ([], False)):
            if dt == "float32" and dims not in ([1], [0, 2]):
                continue
            tag = "_".join(str(d).replace("-", "m") for d in dims) or "all"
            out.append(S(f"{dt}_dims{tag}{'_keep' if kd else ''}", [T([2, 3, 4], dt, seed=41)],
                         {"dim": dims, "keepdim": kd}))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=42, layout="transposed")], {"dim": [0], "keepdim": False}))
        out.append(S(f"{dt}_expanded", [T([3, 1], dt, seed=43, layout="expanded", expand=[3, 4])],
                     {"dim": [1], "keepdim": False}, gradcheck=False))
        out.append(S(f"{dt}_special", [T([3, 4], dt, values=[0.0, 1.0, INF, -INF, NAN, 2.0, 3.0, -1.0, INF, INF, 1.0, 2.0])],
                     {"dim": [1], "keepdim": False}, gradcheck=False))
        out.append(S(f"{dt}_size1", [T([1, 3, 1], dt, seed=44)], {"dim": [0, 2], "keepdim": False}))
        if empty_ok:
            out.append(S(f"{dt}_empty", [T([0, 3], dt)], {"dim": [0], "keepdim": False}))
    if int_ok:
        out.append(S("int64_dims1", [T([2, 3], "int64", values=[1, -2, 3, 4, 5, -6])], {"dim": [1], "keepdim": False}))
        out.append(S("bool_dims0", [B([True, False, True, True, True, False], [2, 3])], {"dim": [0], "keepdim": True}))
    out.append(S("error_dim_range", [T([2, 3], "float32", seed=45)], {"dim": [2], "keepdim": False}, error=True))
    out.append(S("error_dim_repeated", [T([2, 3], "float32", seed=46)], {"dim": [1, -1], "keepdim": False}, error=True))
    return out


def full_reduce_samples(dtypes=("float32", "float64"), int_ok=True, empty=True):
    out = []
    for dt in dtypes:
        out.append(S(f"{dt}_2x3x4", [T([2, 3, 4], dt, seed=51, distinct=True)]))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=52, layout="transposed", distinct=True)]))
        out.append(S(f"{dt}_expanded", [T([1, 4], dt, seed=53, layout="expanded", expand=[3, 4])], gradcheck=False))
        out.append(S(f"{dt}_0d", [T([], dt, seed=54)]))
        out.append(S(f"{dt}_with_inf", [T([4], dt, values=[1.0, INF, 2.0, -1.0])], gradcheck=False))
        out.append(S(f"{dt}_with_nan", [T([4], dt, values=[1.0, NAN, 2.0, INF])], gradcheck=False))
        out.append(S(f"{dt}_ties", [T([5], dt, values=[1.0, 3.0, 3.0, -1.0, 3.0])], gradcheck=False))
        if empty:
            out.append(S(f"{dt}_empty", [T([0, 3], dt)]))
    if int_ok:
        out.append(S("int64", [T([2, 3], "int64", values=[1, -2, 3, 4, 5, -6])]))
        out.append(S("bool", [B([True, False, True, True])]))
    return out


def max_dim_samples(dtypes=("float32", "float64")):
    out = []
    for dt in dtypes:
        for d, kd in ((0, False), (1, True), (-1, False), (2, False)):
            if dt == "float32" and d != 1:
                continue
            out.append(S(f"{dt}_dim{str(d).replace('-', 'm')}{'_keep' if kd else ''}", [T([2, 3, 4], dt, seed=61, distinct=True)],
                         {"dim": d, "keepdim": kd}))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=62, layout="transposed", distinct=True)], {"dim": 1, "keepdim": False}))
        out.append(S(f"{dt}_0d", [T([], dt, seed=63)], {"dim": 0, "keepdim": False}))
        out.append(S(f"{dt}_special", [T([3, 4], dt, values=[0.0, NAN, 1.0, 2.0, -INF, -INF, -INF, -INF, 1.0, INF, 3.0, INF])],
                     {"dim": 1, "keepdim": False}, gradcheck=False))
        out.append(S(f"{dt}_ties", [T([2, 3], dt, values=[1.0, 3.0, 3.0, 2.0, 2.0, 0.0])], {"dim": 1, "keepdim": False},
                     gradcheck=False))
        out.append(S(f"{dt}_empty_kept_dim", [T([0, 3], dt)], {"dim": 1, "keepdim": False}))
    out.append(S("int64", [T([2, 3], "int64", values=[1, -2, 3, 4, 5, -6])], {"dim": 0, "keepdim": False}))
    out.append(S("error_empty_dim", [T([0, 3], "float32")], {"dim": 0, "keepdim": False}, error=True))
    out.append(S("error_dim_range", [T([2, 3], "float32", seed=64)], {"dim": 2, "keepdim": False}, error=True))
    return out


def matmul_samples():
    out = []
    shapes = [
        ("vec_vec", [4], [4]), ("mat_vec", [3, 4], [4]), ("vec_mat", [4], [4, 2]), ("mat_mat", [3, 4], [4, 2]),
        ("batch_mat", [2, 3, 4], [4, 2]), ("mat_batch", [3, 4], [2, 4, 2]), ("batch_batch", [2, 3, 4], [2, 4, 2]),
        ("batch_broadcast", [2, 3, 4], [1, 4, 2]), ("batch_vec", [2, 3, 4], [4]), ("vec_batch", [4], [2, 4, 3]),
    ]
    for dt in ("float32", "float64"):
        for tag, sa, sb in shapes:
            if dt == "float32" and tag not in ("vec_vec", "mat_mat", "batch_batch"):
                continue
            out.append(S(f"{dt}_{tag}", [T(sa, dt, seed=71), T(sb, dt, seed=72)]))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=73, layout="transposed"), T([4, 2], dt, seed=74, layout="transposed")]))
        out.append(S(f"{dt}_strided", [T([3, 4], dt, seed=75, layout="strided"), T([4, 2], dt, seed=76, layout="strided")]))
        out.append(S(f"{dt}_expanded", [T([1, 4], dt, seed=77, layout="expanded", expand=[3, 4]), T([4, 2], dt, seed=78)],
                     gradcheck=False))
        out.append(S(f"{dt}_empty_inner", [T([3, 0], dt), T([0, 2], dt)]))
        out.append(S(f"{dt}_empty_outer", [T([0, 4], dt), T([4, 2], dt, seed=79)]))
        out.append(S(f"{dt}_special", [T([2, 2], dt, values=[INF, 1.0, NAN, 0.0]), T([2, 2], dt, values=[1.0, 0.0, 2.0, -1.0])],
                     gradcheck=False))
    out.append(S("error_shapes", [T([3, 4], "float32", seed=80), T([3, 2], "float32", seed=81)], error=True))
    out.append(S("error_dtypes", [T([3, 4], "float32", seed=82), T([4, 2], "float64", seed=83)], error=True))
    out.append(S("error_0d", [T([], "float32", seed=84), T([4, 2], "float32", seed=85)], error=True))
    return out


def mm_samples():
    out = []
    for dt in ("float32", "float64"):
        out.append(S(f"{dt}_3x4_4x2", [T([3, 4], dt, seed=91), T([4, 2], dt, seed=92)]))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=93, layout="transposed"), T([4, 2], dt, seed=94, layout="strided")]))
        out.append(S(f"{dt}_1x1", [T([1, 1], dt, seed=95), T([1, 3], dt, seed=96)]))
        out.append(S(f"{dt}_empty_inner", [T([2, 0], dt), T([0, 3], dt)]))
    out.append(S("error_shapes", [T([3, 4], "float32", seed=97), T([3, 2], "float32", seed=98)], error=True))
    out.append(S("error_1d", [T([4], "float32", seed=99), T([4, 2], "float32", seed=100)], error=True))
    out.append(S("int64", [T([2, 2], "int64", values=[1, 2, 3, 4]), T([2, 2], "int64", values=[1, 0, 0, 1])]))
    return out


def view_samples(shape, args_list, dtypes=("float64",), layouts=("contiguous", "transposed"), errors=()):
    out = []
    for dt in dtypes:
        for i, args in enumerate(args_list):
            for lay in layouts:
                if lay == "transposed" and len(shape) < 2:
                    continue
                out.append(S(f"{dt}_{i}_{lay}", [T(shape, dt, seed=100 + i, layout=lay)], args))
    out.append(S("int64", [T(shape, "int64", values=list(range(numel(shape))))], args_list[0]))
    for i, (args, sh) in enumerate(errors):
        out.append(S(f"error_{i}", [T(sh if sh is not None else shape, "float32", seed=120 + i)], args, error=True))
    return out


# ---------------------------------------------------------------- the ops

def where_samples():
    out = []
    for dt in ("float32", "float64"):
        out.append(S(f"{dt}_same", [B([True, False, True, False, False, True], [2, 3]), T([2, 3], dt, seed=1), T([2, 3], dt, seed=2)]))
        out.append(S(f"{dt}_broadcast", [B([True, False, True], [3, 1]), T([1, 4], dt, seed=3), T([], dt, seed=4)]))
        out.append(S(f"{dt}_special", [B([True, False, True, False]), T([4], dt, values=[NAN, 1.0, INF, 2.0]),
                                       T([4], dt, values=[0.0, NAN, 3.0, -INF])], gradcheck=False))
        out.append(S(f"{dt}_strided", [B([True, False, True, True]), T([4], dt, seed=5, layout="strided"),
                                       T([2, 4], dt, seed=6, layout="transposed")]))
    out.append(S("int64", [B([True, False, True]), T([3], "int64", values=[1, 2, 3]), T([3], "int64", values=[-1, -2, -3])]))
    out.append(S("float32_int64", [B([True, False]), T([2], "float32", seed=7), T([2], "int64", values=[5, 6])]))
    out.append(S("empty", [B([], [0]), T([0], "float32"), T([0], "float32")]))
    out.append(S("error_condition_dtype", [T([2], "float32", seed=8, grad=False), T([2], "float32", seed=9),
                                           T([2], "float32", seed=10)], error=True))
    return out


def clamp_samples():
    out = []
    for dt in ("float32", "float64"):
        for tag, lo, hi in (("both", -0.5, 0.75), ("min_only", 0.0, None), ("max_only", None, 0.3),
                            ("min_gt_max", 1.0, -1.0), ("inf_bounds", -INF, INF)):
            out.append(S(f"{dt}_{tag}", [T([2, 3], dt, seed=130)], {"min": lo, "max": hi}))
        out.append(S(f"{dt}_special", [T([len(SPECIAL)], dt, values=SPECIAL)], {"min": -1.0, "max": 2.0}, gradcheck=False))
        out.append(S(f"{dt}_special_min_gt_max", [T([len(SPECIAL)], dt, values=SPECIAL)], {"min": 2.0, "max": -1.0},
                     gradcheck=False))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=131, layout="transposed")], {"min": -1.0, "max": 1.0}))
        out.append(S(f"{dt}_empty", [T([0], dt)], {"min": -1.0, "max": 1.0}))
    out.append(S("int64", [T([5], "int64", values=[-3, -1, 0, 2, 5])], {"min": -1, "max": 3}))
    out.append(S("int64_min_gt_max", [T([5], "int64", values=[-3, -1, 0, 2, 5])], {"min": 3, "max": -1}))
    out.append(S("error_no_bounds", [T([2], "float32", seed=132)], {"min": None, "max": None}, error=True))
    return out


def pow_samples():
    out = binary_samples("pow", lo=0.25, hi=2.0, blo=-2.0, bhi=2.0, bool_ok=False, special=True, mixed=True)
    # The gradients at a zero or negative base, as torch 1.13 defines them.
    base = [0.0, 0.0, 0.0, 0.0, 0.0, -2.0, -2.0, -0.5, 2.0, 0.0]
    expo = [0.0, -1.0, 0.5, 2.0, 1.0, 2.0, 0.5, 3.0, -1.5, -0.5]
    for dt in ("float32", "float64"):
        out.append(S(f"{dt}_base_zero_or_negative", [T([10], dt, values=base), T([10], dt, values=expo)], gradcheck=False))
    out = [s for s in out if not s["name"].startswith("int64")]  # integer pow: below, with valid exponents
    out.append(S("int64_same", [T([4], "int64", values=[2, -3, 0, 5]), T([4], "int64", values=[3, 2, 0, 1])]))
    return out


def pow_scalar_samples():
    out = scalar_samples([2.0, 3.0, 0.5, -1.0, 0.0, -0.5], lo=0.25, hi=2.0)
    base = [0.0, -0.0, -1.5, 2.0, INF, -INF, NAN]
    for e in (2.0, 0.5, -1.0, 0.0, 3.0, -2.0, 1.5):
        st = repr(e).replace("-", "m").replace(".", "p")
        for dt in ("float32", "float64"):
            out.append(S(f"{dt}_edge_{st}", [T([7], dt, values=base)], {"scalar": e}, gradcheck=False))
    out.append(S("int64_2", [T([4], "int64", values=[-2, 0, 3, 5])], {"scalar": 2}))
    out.append(S("int64_half", [T([4], "int64", values=[0, 1, 4, 9])], {"scalar": 0.5}))
    out.append(S("error_int64_negative", [T([4], "int64", values=[1, 2, 3, 4])], {"scalar": -1}, error=True))
    return out


def gather_samples():
    out = []
    for dt in ("float32", "float64"):
        out.append(S(f"{dt}_dim1", [T([3, 4], dt, seed=141), I([0, 3, 3, 1, 2, 0], [3, 2])], {"dim": 1}))
        out.append(S(f"{dt}_dim0_repeat", [T([3, 4], dt, seed=142), I([2, 2, 2, 2, 0, 0, 1, 1], [2, 4])], {"dim": 0}))
        out.append(S(f"{dt}_dimm1_transposed", [T([3, 4], dt, seed=143, layout="transposed"), I([1, 0, 3], [3, 1])],
                     {"dim": -1}))
        out.append(S(f"{dt}_0d", [T([], dt, seed=144), I([0], [])], {"dim": 0}))
        out.append(S(f"{dt}_empty_index", [T([3, 4], dt, seed=145), I([], [3, 0])], {"dim": 1}))
    out.append(S("int64", [T([2, 3], "int64", values=[1, 2, 3, 4, 5, 6]), I([2, 0, 1, 1], [2, 2])], {"dim": 1}))
    out.append(S("error_out_of_range", [T([2, 3], "float32", seed=146), I([3, 0], [2, 1])], {"dim": 1}, error=True))
    out.append(S("error_negative_index", [T([2, 3], "float32", seed=147), I([-1, 0], [2, 1])], {"dim": 1}, error=True))
    out.append(S("error_index_dtype", [T([2, 3], "float32", seed=148), T([2, 1], "float32", values=[0.0, 1.0], grad=False)],
                 {"dim": 1}, error=True))
    out.append(S("error_index_rank", [T([2, 3], "float32", seed=149), I([0, 1])], {"dim": 1}, error=True))
    return out


def index_select_samples():
    out = []
    for dt in ("float32", "float64"):
        out.append(S(f"{dt}_dim0", [T([3, 4], dt, seed=151), I([2, 0, 2])], {"dim": 0}))
        out.append(S(f"{dt}_dim1_transposed", [T([3, 4], dt, seed=152, layout="transposed"), I([3, 1])], {"dim": 1}))
        out.append(S(f"{dt}_dimm1_3d", [T([2, 2, 3], dt, seed=153), I([0, 0, 2, 1])], {"dim": -1}))
        out.append(S(f"{dt}_empty_index", [T([3, 4], dt, seed=154), I([])], {"dim": 0}))
        out.append(S(f"{dt}_0d", [T([], dt, seed=155), I([0])], {"dim": 0}))
        out.append(S(f"{dt}_strided_index", [T([4, 2], dt, seed=156), dict(I([3, 1, 0]), layout="strided")], {"dim": 0}))
    out.append(S("int64", [T([3, 2], "int64", values=[1, 2, 3, 4, 5, 6]), I([1, 1])], {"dim": 0}))
    out.append(S("bool", [B([True, False, False, True], [2, 2]), I([1, 0])], {"dim": 1}))
    out.append(S("error_out_of_range", [T([3], "float32", seed=157), I([3])], {"dim": 0}, error=True))
    out.append(S("error_index_dtype", [T([3], "float32", seed=158), T([1], "float32", values=[0.0], grad=False)],
                 {"dim": 0}, error=True))
    out.append(S("error_index_2d", [T([3], "float32", seed=159), I([0, 1], [1, 2])], {"dim": 0}, error=True))
    return out


def cat_samples(stack=False):
    out = []
    for dt in ("float32", "float64"):
        if stack:
            out.append(S(f"{dt}_dim0", [T([2, 3], dt, seed=161), T([2, 3], dt, seed=162)], {"dim": 0}))
            out.append(S(f"{dt}_dim2", [T([2, 3], dt, seed=163), T([2, 3], dt, seed=164, layout="transposed"),
                                        T([2, 3], dt, seed=165)], {"dim": 2}))
            out.append(S(f"{dt}_dimm1_0d", [T([], dt, seed=166), T([], dt, seed=167)], {"dim": -1}))
            out.append(S(f"{dt}_empty", [T([0, 2], dt), T([0, 2], dt)], {"dim": 1}))
        else:
            out.append(S(f"{dt}_dim0", [T([2, 3], dt, seed=161), T([1, 3], dt, seed=162)], {"dim": 0}))
            out.append(S(f"{dt}_dim1_three", [T([2, 1], dt, seed=163), T([2, 3], dt, seed=164, layout="transposed"),
                                              T([2, 2], dt, seed=165, layout="strided")], {"dim": 1}))
            out.append(S(f"{dt}_dimm1", [T([2, 2], dt, seed=166), T([2, 3], dt, seed=167)], {"dim": -1}))
            out.append(S(f"{dt}_with_empty", [T([2, 3], dt, seed=168), T([0, 3], dt)], {"dim": 0}))
            out.append(S(f"{dt}_single", [T([3], dt, seed=169)], {"dim": 0}))
    out.append(S("int64", [T([2], "int64", values=[1, 2]), T([2], "int64", values=[3, 4])], {"dim": 0}))
    out.append(S("float32_float64", [T([2], "float32", seed=170), T([2], "float64", seed=171)], {"dim": 0}))
    if stack:
        out.append(S("error_shapes", [T([2], "float32", seed=172), T([3], "float32", seed=173)], {"dim": 0}, error=True))
        out.append(S("error_dim_range", [T([2], "float32", seed=174), T([2], "float32", seed=175)], {"dim": 2}, error=True))
    else:
        out.append(S("error_shapes", [T([2, 3], "float32", seed=172), T([2, 4], "float32", seed=173)], {"dim": 0},
                     error=True))
        out.append(S("error_0d", [T([], "float32", seed=174), T([], "float32", seed=175)], {"dim": 0}, error=True))
        out.append(S("error_ranks", [T([2, 3], "float32", seed=176), T([3], "float32", seed=177)], {"dim": 0}, error=True))
    return out


def softmax_samples():
    out = []
    for dt in ("float32", "float64"):
        for d in ((1, 0, -1) if dt == "float64" else (1,)):
            out.append(S(f"{dt}_dim{str(d).replace('-', 'm')}", [T([3, 4], dt, seed=181)], {"dim": d}))
        out.append(S(f"{dt}_3d_dim1", [T([2, 3, 2], dt, seed=182)], {"dim": 1}))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=183, layout="transposed")], {"dim": 1}))
        out.append(S(f"{dt}_expanded", [T([1, 4], dt, seed=184, layout="expanded", expand=[2, 4])], {"dim": 1},
                     gradcheck=False))
        out.append(S(f"{dt}_0d", [T([], dt, seed=185)], {"dim": 0}))
        out.append(S(f"{dt}_empty", [T([0, 3], dt)], {"dim": 1}))
        out.append(S(f"{dt}_large", [T([3], dt, values=[1e4, 1e4 - 1.0, -1e4])], {"dim": 0}))
        out.append(S(f"{dt}_special", [T([4, 3], dt, values=[-INF, 0.0, 1.0, -INF, -INF, -INF, INF, 0.0, 1.0, NAN, 0.0, 1.0])],
                     {"dim": 1}, gradcheck=False))
    out.append(S("error_int64", [T([3], "int64", values=[1, 2, 3])], {"dim": 0}, error=True))
    out.append(S("error_dim_range", [T([3], "float32", seed=186)], {"dim": 1}, error=True))
    return out


def one_hot_samples():
    return [
        S("int64", [I([0, 2, 1, 2])], {"num_classes": 3}),
        S("inferred", [I([1, 3, 0], [3])], {"num_classes": -1}),
        S("2d", [I([0, 1, 1, 0], [2, 2])], {"num_classes": 2}),
        S("empty", [I([], [0])], {"num_classes": 4}),
        S("0d", [I([2], [])], {"num_classes": 3}),
        S("error_too_large", [I([0, 3])], {"num_classes": 3}, error=True),
        S("error_negative", [I([-1, 0])], {"num_classes": 3}, error=True),
        S("error_float", [T([2], "float32", values=[0.0, 1.0], grad=False)], {"num_classes": 3}, error=True),
        S("error_infer_empty", [I([], [0])], {"num_classes": -1}, error=True),
    ]


def embedding_samples():
    out = []
    for dt in ("float32", "float64"):
        out.append(S(f"{dt}_1d", [T([5, 3], dt, seed=191), I([4, 0, 4, 2])]))
        out.append(S(f"{dt}_2d_indices", [T([4, 2], dt, seed=192), I([1, 1, 3, 0, 2, 1], [2, 3])]))
        out.append(S(f"{dt}_0d_index", [T([4, 2], dt, seed=193), I([2], [])]))
        out.append(S(f"{dt}_empty", [T([4, 2], dt, seed=194), I([], [0])]))
    out.append(S("error_out_of_range", [T([3, 2], "float32", seed=195), I([3])], error=True))
    return out


def linear_samples():
    out = []
    for dt in ("float32", "float64"):
        out.append(S(f"{dt}_bias", [T([4, 3], dt, seed=201), T([2, 3], dt, seed=202), T([2], dt, seed=203)]))
        out.append(S(f"{dt}_no_bias", [T([4, 3], dt, seed=204), T([2, 3], dt, seed=205)]))
        out.append(S(f"{dt}_1d_input", [T([3], dt, seed=206), T([2, 3], dt, seed=207), T([2], dt, seed=208)]))
        out.append(S(f"{dt}_3d_input", [T([2, 2, 3], dt, seed=209), T([2, 3], dt, seed=210), T([2], dt, seed=211)]))
        out.append(S(f"{dt}_transposed_weight", [T([4, 3], dt, seed=212), T([2, 3], dt, seed=213, layout="transposed"),
                                                 T([2], dt, seed=214)]))
        out.append(S(f"{dt}_empty_batch", [T([0, 3], dt), T([2, 3], dt, seed=215), T([2], dt, seed=216)]))
    out.append(S("error_shapes", [T([4, 3], "float32", seed=217), T([2, 4], "float32", seed=218)], error=True))
    return out


def sum_to_samples():
    out = []
    for dt in ("float32", "float64"):
        for i, (sh, to) in enumerate((([2, 3, 4], [3, 1]), ([2, 3], [2, 3]), ([2, 3], [1, 1]), ([2, 3], []),
                                     ([3, 4], [4]))):
            out.append(S(f"{dt}_{i}", [T(sh, dt, seed=220 + i)], {"shape": to}))
        out.append(S(f"{dt}_transposed", [T([3, 4], dt, seed=226, layout="transposed")], {"shape": [1, 4]}))
    out.append(S("int64", [T([2, 3], "int64", values=[1, 2, 3, 4, 5, 6])], {"shape": [3]}))
    return out


def to_samples():
    out = []
    for src, dst in (("float32", "float64"), ("float64", "float32"), ("float32", "int64"), ("int64", "float32"),
                     ("bool", "float32"), ("float32", "bool"), ("int64", "bool"), ("float32", "float32")):
        if src == "bool":
            x = B([True, False, True])
        elif src == "int64":
            x = T([4], "int64", values=[0, 3, -2, 7])
        else:
            x = T([5], src, values=[0.0, 1.75, -2.5, -0.25, 3.0])
        out.append(S(f"{src}_to_{dst}", [x], {"dtype": dst}))
    out.append(S("float64_to_float32_transposed", [T([2, 3], "float64", seed=231, layout="transposed")],
                 {"dtype": "float32"}))
    out.append(S("float32_special_to_float64", [T([len(SPECIAL)], "float32", values=SPECIAL)], {"dtype": "float64"},
                 gradcheck=False))
    return out


def torch_sum_to(x, shape):
    return x.sum_to_size(shape) if shape else x.sum()


def torch_slice(x, dim, start, end, step):
    idx = [slice(None)] * x.dim()
    idx[dim] = slice(start, end, step)
    return x[tuple(idx)]


def torch_embedding(w, idx):
    return torch.nn.functional.embedding(idx, w)


def torch_linear(x, w, b=None):
    return torch.nn.functional.linear(x, w, b)


def dims_or_all(f):
    return lambda x, dim, keepdim: f(x, dim, keepdim=keepdim) if dim else f(x)


def build_ops():
    ops = {}

    def op(name, fn, samples, differentiable=True):
        assert name not in ops, name
        ops[name] = {"fn": fn, "samples": samples, "differentiable": differentiable}

    # elementwise unary
    op("neg", lambda x: torch.neg(x), unary_samples() + [S("error_bool", [B([True, False])], error=True)])
    op("exp", torch.exp, unary_samples())
    op("log", torch.log, unary_samples(lo=0.25, hi=3.0) + [S("float32_negative", [T([3], values=[-1.0, -0.0, 0.0])],
                                                             gradcheck=False)])
    op("sqrt", torch.sqrt, unary_samples(lo=0.25, hi=3.0) + [S("float32_negative", [T([3], values=[-1.0, -0.0, 0.0])],
                                                               gradcheck=False)])
    op("abs", torch.abs, unary_samples())
    op("tanh", torch.tanh, unary_samples())
    op("sigmoid", torch.sigmoid, unary_samples())
    op("relu", torch.relu, unary_samples())
    op("clamp", lambda x, min, max: torch.clamp(x, min, max), clamp_samples())

    # binary with broadcasting and type promotion
    op("add", torch.add, binary_samples("add"))
    op("sub", torch.sub, [s for s in binary_samples("sub") if s["name"] != "bool_bool"] +
       [S("error_bool_bool", [B([True, False]), B([True, True])], error=True)])
    op("mul", torch.mul, binary_samples("mul"))
    op("div", torch.div, binary_samples("div", blo=0.25, bhi=2.0))
    op("pow", torch.pow, pow_samples())
    op("maximum", torch.maximum, [s for s in binary_samples("maximum", bshift=1 / 32) if not s["name"].startswith(("int64_float32", "int64_0d", "bool_float32", "int64_bool", "float32_float64", "float32_0d"))])
    op("minimum", torch.minimum, [s for s in binary_samples("minimum", bshift=1 / 32) if not s["name"].startswith(("int64_float32", "int64_0d", "bool_float32", "int64_bool", "float32_float64", "float32_0d"))])
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        op(name, getattr(torch, name), compare_samples(), differentiable=False)
    op("where", torch.where, where_samples())

    # with a Python number
    op("add_scalar", lambda x, scalar: x + scalar, scalar_samples([2.5, -1.0, 0.0], int_scalars=(3, 2.5)))
    op("sub_scalar", lambda x, scalar: x - scalar, scalar_samples([2.5, -1.0], int_scalars=(3, 0.5)))
    op("rsub_scalar", lambda x, scalar: scalar - x, scalar_samples([2.5, 0.0], int_scalars=(3, 0.5)))
    op("mul_scalar", lambda x, scalar: x * scalar, scalar_samples([2.5, -1.0, 0.0, INF], int_scalars=(3, 0.5)))
    op("div_scalar", lambda x, scalar: x / scalar, scalar_samples([2.5, -4.0, 0.0], int_scalars=(2, 0.5)))
    op("rdiv_scalar", lambda x, scalar: scalar / x, scalar_samples([2.5, 1.0], lo=0.25, hi=2.0, int_scalars=(2,), int_lo=1))
    op("pow_scalar", lambda x, scalar: torch.pow(x, scalar), pow_scalar_samples())
    op("gt_scalar", lambda x, scalar: x > scalar, scalar_samples([0.5, 0.0, NAN], int_scalars=(1, 0.5)), differentiable=False)
    op("lt_scalar", lambda x, scalar: x < scalar, scalar_samples([0.5, -INF], int_scalars=(1,)), differentiable=False)

    # reductions
    op("sum", torch.sum, full_reduce_samples())
    op("sum_dim", lambda x, dim, keepdim: torch.sum(x, dim, keepdim=keepdim), reduce_dim_samples())
    op("mean", torch.mean, full_reduce_samples(int_ok=False) + [S("error_int64", [I([1, 2, 3])], error=True)])
    op("mean_dim", lambda x, dim, keepdim: torch.mean(x, dim, keepdim=keepdim),
       [s for s in reduce_dim_samples(int_ok=False)] + [S("error_int64", [I([1, 2, 3])], {"dim": [0], "keepdim": False}, error=True)])
    op("max", torch.max, [s for s in full_reduce_samples() if not s["name"].endswith("empty")] +
       [S("error_empty", [T([0, 3])], error=True)])
    op("max_dim", lambda x, dim, keepdim: torch.max(x, dim, keepdim=keepdim), max_dim_samples())
    op("argmax", torch.argmax, [s for s in full_reduce_samples() if not s["name"].endswith("empty") and s["name"] != "bool"] +
       [S("error_empty", [T([0, 3])], error=True)], differentiable=False)
    op("argmax_dim", lambda x, dim, keepdim: torch.argmax(x, dim, keepdim=keepdim),
       [s for s in max_dim_samples()], differentiable=False)
    op("sum_to", torch_sum_to, sum_to_samples())

    # linear algebra
    op("mm", torch.mm, mm_samples())
    op("matmul", torch.matmul, matmul_samples())
    op("linear", torch_linear, linear_samples())

    # softmax, gather, indexing
    op("softmax", lambda x, dim: torch.softmax(x, dim), softmax_samples())
    op("log_softmax", lambda x, dim: torch.log_softmax(x, dim), softmax_samples())
    op("gather", lambda x, i, dim: torch.gather(x, dim, i), gather_samples())
    op("index_select", lambda x, i, dim: torch.index_select(x, dim, i), index_select_samples())
    op("cat", lambda *xs, dim: torch.cat(xs, dim), cat_samples())
    op("stack", lambda *xs, dim: torch.stack(xs, dim), cat_samples(stack=True))
    op("one_hot", lambda i, num_classes: torch.nn.functional.one_hot(i, num_classes), one_hot_samples(),
       differentiable=False)
    op("embedding", torch_embedding, embedding_samples())

    # views and copies
    op("view", lambda x, shape: x.view(shape),
       view_samples([2, 3, 2], [{"shape": [3, 4]}, {"shape": [-1]}, {"shape": [2, -1, 1]}], layouts=("contiguous",),
                    errors=[({"shape": [5, -1]}, None), ({"shape": [-1, -1]}, None), ({"shape": [4, 2]}, [2, 3])]) +
       [S("error_noncontiguous", [T([2, 3], seed=5, layout="transposed")], {"shape": [6]}, error=True)])
    op("reshape", lambda x, shape: x.reshape(shape),
       view_samples([2, 3, 2], [{"shape": [3, 4]}, {"shape": [-1]}, {"shape": [2, -1, 1]}, {"shape": [12, 1]}],
                    layouts=("contiguous", "transposed", "strided"), errors=[({"shape": [5, -1]}, None)]) +
       [S("0d_to_1", [T([], seed=6)], {"shape": [1]}), S("empty", [T([0, 3])], {"shape": [3, 0]})])
    op("flatten", lambda x, start_dim, end_dim: torch.flatten(x, start_dim, end_dim),
       view_samples([2, 3, 2], [{"start_dim": 0, "end_dim": -1}, {"start_dim": 1, "end_dim": 2},
                                {"start_dim": 0, "end_dim": 1}, {"start_dim": 1, "end_dim": 1}],
                    layouts=("contiguous", "transposed"),
                    errors=[({"start_dim": 2, "end_dim": 1}, None), ({"start_dim": 0, "end_dim": 3}, None)]) +
       [S("0d", [T([], seed=7)], {"start_dim": 0, "end_dim": -1})])
    op("transpose", lambda x, dim0, dim1: x.transpose(dim0, dim1),
       view_samples([2, 3, 2], [{"dim0": 0, "dim1": 1}, {"dim0": -1, "dim1": 0}, {"dim0": 1, "dim1": 1}],
                    errors=[({"dim0": 0, "dim1": 3}, None)]))
    op("t", lambda x: x.t(), view_samples([2, 3], [{}], layouts=("contiguous", "transposed", "strided"),
                                          errors=[({}, [2, 2, 2])]) +
       [S("1d", [T([3], seed=8)]), S("0d", [T([], seed=9)])])
    op("permute", lambda x, dims: x.permute(dims),
       view_samples([2, 3, 2], [{"dims": [2, 0, 1]}, {"dims": [0, -1, 1]}],
                    errors=[({"dims": [0, 1]}, None), ({"dims": [0, 1, 1]}, None)]))
    op("narrow", lambda x, dim, start, length: x.narrow(dim, start, length),
       view_samples([3, 4], [{"dim": 0, "start": 1, "length": 2}, {"dim": -1, "start": 0, "length": 0},
                             {"dim": 1, "start": -2, "length": 2}],
                    layouts=("contiguous", "transposed", "strided"),
                    errors=[({"dim": 0, "start": 2, "length": 2}, None), ({"dim": 2, "start": 0, "length": 1}, None)]))
    op("slice", torch_slice,
       view_samples([4, 5], [{"dim": 1, "start": 1, "end": 4, "step": 2}, {"dim": 0, "start": -3, "end": None, "step": 1},
                             {"dim": 1, "start": None, "end": 100, "step": 3}, {"dim": 0, "start": 3, "end": 1, "step": 1}],
                    layouts=("contiguous", "transposed", "strided")))
    op("select", lambda x, dim, index: x.select(dim, index),
       view_samples([3, 4], [{"dim": 0, "index": 1}, {"dim": 1, "index": -1}], layouts=("contiguous", "transposed", "strided"),
                    errors=[({"dim": 0, "index": 3}, None), ({"dim": 1, "index": -5}, None)]) +
       [S("1d_to_0d", [T([3], seed=10)], {"dim": 0, "index": 2})])
    op("unsqueeze", lambda x, dim: x.unsqueeze(dim),
       view_samples([2, 3], [{"dim": 0}, {"dim": 2}, {"dim": -1}, {"dim": -3}], layouts=("contiguous", "transposed"),
                    errors=[({"dim": 3}, None)]) + [S("0d", [T([], seed=11)], {"dim": 0})])
    op("squeeze", lambda x: x.squeeze(),
       view_samples([1, 3, 1, 2], [{}], layouts=("contiguous", "transposed")) +
       [S("0d", [T([], seed=12)]), S("all_ones", [T([1, 1], seed=13)]), S("empty", [T([0, 1])])])
    op("squeeze_dim", lambda x, dim: x.squeeze(dim),
       view_samples([1, 3, 1, 2], [{"dim": 0}, {"dim": 1}, {"dim": -2}], layouts=("contiguous", "transposed"),
                    errors=[({"dim": 4}, None)]) + [S("0d", [T([], seed=14)], {"dim": 0})])
    op("expand", lambda x, shape: x.expand(shape),
       view_samples([3, 1], [{"shape": [3, 4]}, {"shape": [2, 3, 2]}, {"shape": [-1, 0]}, {"shape": [3, 1]}],
                    layouts=("contiguous", "strided"),
                    errors=[({"shape": [4, 4]}, None), ({"shape": [3]}, None), ({"shape": [-1, 3, 1]}, None)]) +
       [S("0d", [T([], seed=15)], {"shape": [2, 2]})])
    op("contiguous", lambda x: x.contiguous(), view_samples([2, 3], [{}], layouts=("contiguous", "transposed", "strided")) +
       [S("expanded", [T([3, 1], seed=16, layout="expanded", expand=[3, 2])], gradcheck=False)])
    op("clone", lambda x: x.clone(), view_samples([2, 3], [{}], layouts=("contiguous", "transposed", "strided")) +
       [S("bool", [B([True, False])]), S("empty", [T([0, 2])])])
    op("to", lambda x, dtype: x.to(DTYPES[dtype]), to_samples())

    # creation
    op("arange", lambda start, end, step, dtype: torch.arange(start, end, step, dtype=DTYPES[dtype]), [
        S("int64", [], {"start": 0, "end": 5, "step": 1, "dtype": "int64"}),
        S("int64_step3", [], {"start": -2, "end": 7, "step": 3, "dtype": "int64"}),
        S("int64_negative_step", [], {"start": 5, "end": 0, "step": -2, "dtype": "int64"}),
        S("float32_fractional", [], {"start": 1.0, "end": 2.5, "step": 0.5, "dtype": "float32"}),
        S("float64_tenths", [], {"start": 0.0, "end": 1.0, "step": 0.1, "dtype": "float64"}),
        S("empty", [], {"start": 3, "end": 3, "step": 1, "dtype": "int64"}),
        S("error_step_zero", [], {"start": 0, "end": 3, "step": 0, "dtype": "int64"}, error=True),
        S("error_step_sign", [], {"start": 0, "end": 3, "step": -1, "dtype": "int64"}, error=True),
    ], differentiable=False)
    op("full", lambda shape, value, dtype: torch.full(shape, value, dtype=DTYPES[dtype]), [
        S("float32", [], {"shape": [2, 3], "value": 1.5, "dtype": "float32"}),
        S("int64", [], {"shape": [3], "value": -4, "dtype": "int64"}),
        S("float64_inf", [], {"shape": [2], "value": -INF, "dtype": "float64"}),
        S("bool", [], {"shape": [2], "value": 1, "dtype": "bool"}),
        S("0d", [], {"shape": [], "value": 2.0, "dtype": "float32"}),
        S("empty", [], {"shape": [0, 2], "value": 2.0, "dtype": "float32"}),
    ], differentiable=False)
    op("zeros", lambda shape, dtype: torch.zeros(shape, dtype=DTYPES[dtype]),
       [S(f"{dt}", [], {"shape": [2, 2], "dtype": dt}) for dt in DTYPES] + [S("0d", [], {"shape": [], "dtype": "float32"})],
       differentiable=False)
    op("ones", lambda shape, dtype: torch.ones(shape, dtype=DTYPES[dtype]),
       [S(f"{dt}", [], {"shape": [3], "dtype": dt}) for dt in DTYPES] + [S("empty", [], {"shape": [0], "dtype": "int64"})],
       differentiable=False)
    op("eye", lambda n, dtype: torch.eye(n, dtype=DTYPES[dtype]),
       [S("float32", [], {"n": 3, "dtype": "float32"}), S("int64", [], {"n": 2, "dtype": "int64"}),
        S("n0", [], {"n": 0, "dtype": "float32"}), S("n1", [], {"n": 1, "dtype": "float64"})], differentiable=False)
    op("scalar_tensor", lambda value, dtype: torch.scalar_tensor(value, dtype=DTYPES[dtype]),
       [S("float32", [], {"value": 2.5, "dtype": "float32"}), S("int64", [], {"value": 3, "dtype": "int64"}),
        S("nan", [], {"value": NAN, "dtype": "float64"})], differentiable=False)
    op("zeros_like", torch.zeros_like, [S("float32", [T([2, 3], seed=1)]), S("int64_transposed", [
        T([2, 3], "int64", values=[1, 2, 3, 4, 5, 6], layout="transposed")]), S("bool", [B([True])])], differentiable=False)
    op("ones_like", torch.ones_like, [S("float64", [T([3], "float64", seed=2)]), S("int64", [I([1, 2])]),
                                      S("empty", [T([0, 2])])], differentiable=False)

    # in place, forward values only, on a copy that is out of any graph
    def inplace(f):
        return lambda x, *rest, **kw: f(x.detach().clone(), *[r.detach() for r in rest], **kw)

    float_unary = [s for s in unary_samples(special=True) if not s["name"].startswith("int64")]
    for name in ("neg_", "exp_", "log_", "sqrt_", "abs_", "tanh_", "sigmoid_", "relu_"):
        op(name, inplace(lambda x, _n=name: getattr(x, _n)()),
           [s for s in float_unary if s["name"].endswith(("2x3", "transposed", "special", "empty"))] +
           [S("int64", [T([3], "int64", values=[-1, 0, 2])])], differentiable=False)
    op("clamp_", inplace(lambda x, min, max: x.clamp_(min, max)),
       [s for s in clamp_samples() if not s["name"].endswith(("expanded",))], differentiable=False)
    op("pow_", inplace(lambda x, scalar: x.pow_(scalar)),
       [s for s in pow_scalar_samples() if "edge" in s["name"] or "strided" in s["name"]], differentiable=False)
    op("fill_", inplace(lambda x, value: x.fill_(value)),
       [S("float32", [T([2, 3], seed=3)], {"value": 1.5}), S("int64", [I([1, 2])], {"value": 7}),
        S("transposed", [T([2, 3], seed=4, layout="transposed")], {"value": -INF})], differentiable=False)
    op("zero_", inplace(lambda x: x.zero_()), [S("float32", [T([2, 3], seed=5)]), S("strided", [T([3], seed=6, layout="strided")])],
       differentiable=False)
    for name in ("add_", "sub_", "mul_", "div_"):
        op(name, inplace(lambda x, y, _n=name: getattr(x, _n)(y)), [
            S("same", [T([2, 3], "float32", seed=7), T([2, 3], "float32", seed=8, lo=0.25)]),
            S("broadcast", [T([2, 3], "float64", seed=9, layout="transposed"), T([3], "float64", seed=10, lo=0.25)]),
            S("0d_other", [T([3], "float32", seed=11), T([], "float32", seed=12, lo=0.25)]),
            S("special", [T([4], "float32", values=[INF, NAN, 0.0, -1.0]), T([4], "float32", values=[-INF, 1.0, 0.0, 0.0])]),
            S("error_broadcast_self", [T([3], "float32", seed=13), T([2, 3], "float32", seed=14)], error=True),
        ], differentiable=False)
    op("add_alpha_", inplace(lambda x, y, alpha: x.add_(y, alpha=alpha)),
       [S("float32", [T([2, 3], seed=15), T([2, 3], seed=16)], {"alpha": -0.5}),
        S("float64_broadcast", [T([2, 3], "float64", seed=17), T([1, 3], "float64", seed=18)], {"alpha": 2.0})],
       differentiable=False)
    op("add_scalar_", inplace(lambda x, scalar: x.add_(scalar)),
       [S("float32", [T([2, 3], seed=19)], {"scalar": 2.5}), S("int64", [I([1, 2])], {"scalar": 3})], differentiable=False)
    op("mul_scalar_", inplace(lambda x, scalar: x.mul_(scalar)),
       [S("float32", [T([2, 3], seed=20, layout="transposed")], {"scalar": -1.5}), S("int64", [I([1, 2])], {"scalar": 3})],
       differentiable=False)
    op("copy_", inplace(lambda x, y: x.copy_(y)),
       [S("broadcast", [T([2, 3], seed=21), T([3], "float64", seed=22)]),
        S("from_int64", [T([3], seed=23), I([1, -2, 3])]),
        S("error_shape", [T([3], seed=24), T([2, 3], seed=25)], error=True)], differentiable=False)
    return ops


# Error samples where our message is worded as PyTorch's: a phrase both must contain (the
# script checks PyTorch's message has it, the C++ test that ours does). Every
# "Dimension out of range (...)" error gets its "out of range (...)" part as the phrase.
PHRASES = {
    ("sub", "error_bool_bool"): "with two bool tensors is not supported",
    ("sub", "bool_float32"): "with a bool tensor is not supported",
    ("sub", "int64_bool"): "with a bool tensor is not supported",
    ("clamp", "error_no_bounds"): "one of 'min' or 'max' must not be None",
    ("where", "error_condition_dtype"): "where expected condition to be a boolean tensor",
    ("pow_scalar", "error_int64_negative"): "Integers to negative integer powers are not allowed.",
    ("sum_dim", "error_dim_repeated"): "appears multiple times in the list of dims",
    ("mean_dim", "error_dim_repeated"): "appears multiple times in the list of dims",
    ("mean", "error_int64"): "mean(): could not infer output dtype. Input dtype must be",
    ("mean_dim", "error_int64"): "mean(): could not infer output dtype. Input dtype must be",
    ("max", "error_empty"): "max(): Expected reduction dim to be specified for input.numel() == 0",
    ("max_dim", "error_empty_dim"): "max(): Expected reduction dim 0 to have non-zero size",
    ("argmax", "error_empty"): "argmax(): Expected reduction dim to be specified for input.numel() == 0",
    ("argmax_dim", "error_empty_dim"): "argmax(): Expected reduction dim 0 to have non-zero size",
    ("mm", "error_shapes"): "mat1 and mat2 shapes cannot be multiplied (3x4 and 3x2)",
    ("mm", "error_1d"): "self must be a matrix",
    ("matmul", "error_shapes"): "mat1 and mat2 shapes cannot be multiplied (3x4 and 3x2)",
    ("matmul", "error_0d"): "both arguments to matmul need to be at least 1D, but they are 0D and 2D",
    ("linear", "error_shapes"): "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x2)",
    ("gather", "error_out_of_range"): "index 3 is out of bounds for dimension 1 with size 3",
    ("gather", "error_negative_index"): "index -1 is out of bounds for dimension 1 with size 3",
    ("gather", "error_index_dtype"): "gather(): Expected dtype int64 for index",
    ("gather", "error_index_rank"): "Index tensor must have the same number of dimensions as input tensor",
    ("index_select", "error_index_2d"): "index_select(): Index is supposed to be a vector",
    ("cat", "error_0d"): "zero-dimensional tensor (at position 0) cannot be concatenated",
    ("cat", "error_shapes"): "must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1",
    ("stack", "error_shapes"): "stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1",
    ("one_hot", "error_too_large"): "Class values must be smaller than num_classes",
    ("one_hot", "error_negative"): "Class values must be non-negative",
    ("one_hot", "error_float"): "one_hot is only applicable to index tensor",
    ("one_hot", "error_infer_empty"): "Can not infer total number of classes from empty tensor",
    ("view", "error_0"): "shape '[5, -1]' is invalid for input of size 12",
    ("view", "error_1"): "only one dimension can be inferred",
    ("view", "error_2"): "shape '[4, 2]' is invalid for input of size 6",
    ("view", "error_noncontiguous"): "view size is not compatible with input tensor's size and stride",
    ("reshape", "error_0"): "shape '[5, -1]' is invalid for input of size 12",
    ("flatten", "error_0"): "flatten() has invalid args: start_dim cannot come after end_dim",
    ("t", "error_0"): "t() expects a tensor with <= 2 dimensions, but self is 3D",
    ("narrow", "error_0"): "start (2) + length (2) exceeds dimension size (3)",
    ("expand", "error_0"): "The expanded size of the tensor (4) must match the existing size (3) at non-singleton "
                           "dimension 0.  Target sizes: [4, 4].  Tensor sizes: [3, 1]",
    ("expand", "error_1"): "the number of sizes provided (1) must be greater or equal to the number of dimensions "
                           "in the tensor (2)",
}


# ---------------------------------------------------------------- running the samples

def call(fn, xs, args):
    return fn(*xs, **args)


def as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def run_sample(name, entry, sample, seed):
    built = [build(s) for s in sample["inputs"]]
    xs = [b[0] for b in built]
    leaves = [b[1] for b in built]
    rec = {"name": sample["name"], "inputs": [compact(s) for s in sample["inputs"]], "args": {k: v if isinstance(v, bool) else enc(v) for k, v in sample["args"].items()}}
    if isinstance(sample["args"].get("dim"), list):
        rec["args"]["dim"] = sample["args"]["dim"]
    if isinstance(sample["args"].get("shape"), list):
        rec["args"]["shape"] = sample["args"]["shape"]
    if isinstance(sample["args"].get("dims"), list):
        rec["args"]["dims"] = sample["args"]["dims"]
    try:
        outs = as_tuple(call(entry["fn"], xs, sample["args"]))
    except Exception as e:  # noqa: BLE001 - any error PyTorch raises is the golden value
        # Where torch raises, ours must too (a sample need not be marked to be an error case).
        rec["error"] = str(e).split("\n")[0][:300]
        phrase = PHRASES.get((name, sample["name"]))
        if phrase is None and rec["error"].startswith("Dimension out of range"):
            phrase = rec["error"][len("Dimension "):]
        if phrase is not None:
            assert phrase in rec["error"], (name, sample["name"], rec["error"])
            rec["phrase"] = phrase
        return rec
    if sample["expect_error"]:
        raise RuntimeError(f"{name}/{sample['name']}: torch did not raise")
    rec["outputs"] = [dict(enc_tensor(o), requires_grad=o.requires_grad) for o in outs]
    grad_leaves = [l for l in leaves if l.requires_grad]
    out0 = outs[0]
    if entry["differentiable"] and out0.requires_grad and grad_leaves:
        u = upstream_for(out0, seed)
        grads = torch.autograd.grad(out0, grad_leaves, u, allow_unused=True)
        # Bare values: the upstream gradient has the first output's dtype and shape, each
        # gradient its input's (the leaf's, for an expanded input).
        rec["upstream"] = enc_tensor(u)["values"]
        it = iter(grads)
        rec["grads"] = []
        for l in leaves:
            if l.requires_grad:
                g = next(it)
                assert g is None or (g.shape == l.shape and g.dtype == l.dtype)
                rec["grads"].append(None if g is None else enc_tensor(g)["values"])
            else:
                rec["grads"].append(None)
        # Central differences on the C++ side only where torch's own gradcheck holds (smooth points).
        if (sample["gradcheck"] and all(l.dtype == torch.float64 for l in grad_leaves)
                and all(s["layout"] != "expanded" for s in sample["inputs"])
                and all(torch.isfinite(l).all() for l in grad_leaves) and out0.numel() > 0):
            def f(*ls):
                xs2 = []
                it2 = iter(ls)
                for s, (x, l) in zip(sample["inputs"], built):
                    xs2.append(next(it2) if l.requires_grad else x)
                return as_tuple(call(entry["fn"], xs2, sample["args"]))[0]
            try:
                ok = torch.autograd.gradcheck(f, tuple(grad_leaves), eps=1e-6, atol=1e-6, rtol=1e-5)
            except Exception:  # noqa: BLE001
                ok = False
            rec["gradcheck"] = bool(ok)
    return rec


def main():
    ops = build_ops()
    for op_name, sample_name in PHRASES:
        assert any(s["name"] == sample_name for s in ops[op_name]["samples"]), (op_name, sample_name)
    table = {}
    seed = 1000
    for name, entry in ops.items():
        samples = []
        seen = set()
        for sample in entry["samples"]:
            assert sample["name"] not in seen, (name, sample["name"])
            seen.add(sample["name"])
            seed += 1
            samples.append(run_sample(name, entry, sample, seed))
        table[name] = {"differentiable": entry["differentiable"], "samples": samples}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "op_table_golden.json")
    with open(path, "w") as f:
        json.dump({"torch_version": torch.__version__, "ops": table}, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    n = sum(len(t["samples"]) for t in table.values())
    print(f"{len(table)} ops, {n} samples -> {os.path.normpath(path)} ({os.path.getsize(path) // 1024} KB)")


if __name__ == "__main__":
    main()
