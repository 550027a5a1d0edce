#!/usr/bin/python3
"""Golden strings for tests/core/print_test.cpp: repr() of tensors as PyTorch prints them.

Run with Debian's interpreter, which has python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_print_golden.py
It rewrites tests/data/print_golden.json.

Every case builds its tensor from explicit values or arange (never from random numbers: our
generator is not torch's), and print_test.cpp builds the same tensor under the same name with
the same operations, so the two reprs must be equal character for character.
"""
import json
import os

import torch


def grad_fn_cases():
    """Results of differentiable ops, for the grad_fn=<...> suffix and its line wrapping."""
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    return {
        "grad_mul": a * b,
        "grad_mul_scalar": a * 2.0,
        "grad_add": a + b,
        "grad_add_scalar": a + 1.0,
        "grad_sub": a - b,
        "grad_sub_scalar": a - 1.0,
        "grad_div": a / b,
        "grad_div_scalar": a / 4.0,
        "grad_neg": -a,
        "grad_sum": (a * b).sum(),
        "grad_sum_dim": a.sum(0),
        "grad_mean": a.mean(),
        "grad_mean_dim": a.mean(1),
        "grad_mm": a.mm(b),
        "grad_matmul": a.matmul(b),
        # Not a.exp(): torch's vectorised expf is 1-ulp accurate and rounds exp(4) to the float
        # above 54.59815, ours is correctly rounded (below), and the 4th decimal differs. The
        # point here is the repr, so the values are ones both round alike.
        "grad_exp": (a * 0.5).exp(),
        "grad_sqrt": a.sqrt(),
        "grad_abs": b.abs(),
        "grad_clamp": a.clamp(1.5, 3.5),
        "grad_where": torch.where(a > 2.5, a, b),
        "grad_maximum": torch.maximum(a, b),
        "grad_minimum": torch.minimum(a, b),
        "grad_pow_tensor": a.pow(b),
        "grad_rsub": 1.0 - a,
        "grad_t": a.t(),
        "grad_narrow": a.narrow(1, 1, 1),
        "grad_slice_step": torch.arange(6.0, requires_grad=True)[1::2],
        "grad_squeeze": a[:1].squeeze(),
        "grad_squeeze_dim": a[:1].squeeze(0),
        "grad_clone": a.clone(),
        "grad_contiguous": a.t().contiguous(),
        "grad_stack": torch.stack([a, b]),
        "grad_linear_no_bias": torch.nn.functional.linear(a, b),
        "grad_log": a.log(),
        "grad_tanh": a.tanh(),
        "grad_sigmoid": a.sigmoid(),
        "grad_relu": b.relu(),
        "grad_pow": a.pow(2),
        "grad_view": a.view(4),
        "grad_transpose": a.transpose(0, 1),
        "grad_permute": a.permute(1, 0),
        "grad_select": a[1],
        "grad_unsqueeze": a.unsqueeze(0),
        "grad_expand": a[0].expand(2, 2),
        "grad_index_select": a.index_select(0, torch.tensor([1, 0])),
        "grad_cat": torch.cat([a, b]),
        "grad_max": a.max(),
        "grad_max_dim": a.max(1)[0],
        "grad_linear": torch.nn.functional.linear(a, b, torch.tensor([1.0, -1.0])),
        "grad_float64": a.double(),
        # A float64 result with a grad_fn: dtype comes before grad_fn.
        "grad_float64_mul": a.double() * 3.0,
        # The suffix no longer fits on the last line: PyTorch moves it to a new one.
        "grad_wrap_suffix": (torch.arange(8.0, requires_grad=True) * 1.5) / 7.0,
    }


def cases():
    c = {}
    # fixed-point mode, the course's first print
    c["fixed_requires_grad"] = torch.tensor([[1.9996, -3.4005]], requires_grad=True)
    c["fixed_1d"] = torch.tensor([0.5, -0.25, 3.125])
    c["fixed_mixed_width"] = torch.tensor([[10.5, -0.25], [123.456, 7.0]])
    # integer-valued floats print as "1."
    c["int_valued"] = torch.tensor([1.0, 2.0, -3.0, 0.0])
    c["int_valued_2d"] = torch.arange(12.0).reshape(3, 4)
    c["zeros"] = torch.zeros(2, 3)
    # scientific notation: tiny values, large ratios, huge values
    c["sci_small"] = torch.tensor([1e-5, 1.0])
    c["sci_ratio"] = torch.tensor([0.5, 1234.5])
    c["sci_huge"] = torch.tensor([1e10])
    c["sci_huge_int_ratio"] = torch.tensor([1.0, 2000.0])
    c["sci_negative"] = torch.tensor([[-1e-7, 2.5e-3], [3.0, -4.0e2]])
    # other dtypes
    c["int64"] = torch.arange(10)
    c["int64_2d"] = torch.tensor([[-1, 20], [300, 4]])
    c["float64"] = torch.tensor([1.5, -2.25], dtype=torch.float64)
    c["float64_requires_grad"] = torch.tensor([[1.0, 2.0]], dtype=torch.float64, requires_grad=True)
    c["bool"] = torch.tensor([1.0, 2.0, 3.0]) > 1.5
    c["bool_2d"] = torch.tensor([[1.0, 2.0], [3.0, 0.0]]) > 1.5
    # 0-d tensors
    c["scalar_float"] = torch.tensor(3.5)
    c["scalar_int"] = torch.tensor(7)
    c["scalar_float64"] = torch.tensor(-0.125, dtype=torch.float64)
    # empty tensors
    c["empty_1d"] = torch.zeros(0)
    c["empty_2d"] = torch.zeros(2, 0)
    c["empty_int64"] = torch.zeros(0, dtype=torch.int64)
    c["empty_float64_2d"] = torch.zeros(0, 3, dtype=torch.float64)
    # more dims
    c["3d"] = torch.arange(24.0).reshape(2, 3, 4) / 10.0
    c["4d"] = torch.arange(16).reshape(2, 2, 2, 2)
    c["transposed"] = torch.arange(6.0).reshape(2, 3).t()
    # line wrapping
    c["long_1d"] = torch.arange(30.0) / 7.0
    c["long_int64"] = torch.arange(100, 160)
    # summarised with "..." (more than 1000 elements)
    c["summarized_1d"] = torch.arange(2000.0)
    c["summarized_2d"] = torch.arange(1200.0).reshape(30, 40) / 3.0
    c["summarized_3d"] = torch.arange(1331).reshape(11, 11, 11)
    c["summarized_narrow"] = torch.arange(1010.0).reshape(1010, 1)
    # non-finite values
    c["nan_inf"] = torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5])
    c["nan_int_valued"] = torch.tensor([1.0, float("nan"), 2.0])
    c["all_nan"] = torch.tensor([float("nan"), float("nan")])
    c["inf_sci"] = torch.tensor([float("inf"), 1e-6, 1.0])
    c.update(grad_fn_cases())
    return c


def main():
    out = {name: repr(t) for name, t in cases().items()}
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "data", "print_golden.json")
    with open(path, "w") as f:
        json.dump({"generated_by": "tests/golden/make_print_golden.py (torch " + torch.__version__ + "); do not edit",
                   "repr": out}, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.normpath(path), len(out), "cases")


if __name__ == "__main__":
    main()
