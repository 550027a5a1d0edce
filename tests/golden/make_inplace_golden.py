#!/usr/bin/python3
"""Golden values for tests/autograd/inplace_autograd_test.cpp: PyTorch 1.13's in-place rules.

Run with Debian's interpreter, which has python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_inplace_golden.py
It rewrites tests/data/inplace_golden.json.

Each case is a short program, written the same way in the C++ test under the same name. It
returns named tensors (gradients, values, versions), or raises: then the file holds the
first sentence(s) of PyTorch's message, up to its " Hint:", which our message must start with.
All tensors are float64 unless the case says otherwise, so the comparison can be tight.
"""
import json
import os

import torch

D = torch.float64


def leaves():
    x = torch.tensor([1.0, 2.0, 3.0], dtype=D, requires_grad=True)
    w = torch.tensor([0.5, -1.0, 2.0], dtype=D, requires_grad=True)
    return x, w


def unary(op):
    """y = x * 2 - 3 (negative, zero-crossing values), then an in-place op, then backward of sum(y * y)."""
    def run():
        x, _ = leaves()
        y = x * 2 - 3
        op(y)
        (y * y).sum().backward()
        return {"x.grad": x.grad, "y": y.detach()}
    return run


def positive_unary(op):
    def run():
        x, _ = leaves()
        y = x * 0.5
        op(y)
        (y * y).sum().backward()
        return {"x.grad": x.grad, "y": y.detach()}
    return run


def with_w(op):
    def run():
        x, w = leaves()
        y = x * 1
        op(y, w)
        (y * y).sum().backward()
        return {"x.grad": x.grad, "w.grad": w.grad, "y": y.detach()}
    return run


def plain_add_w():
    _, w = leaves()
    p = torch.zeros(3, dtype=D)
    p.add_(w)
    r = {"requires_grad": torch.tensor(float(p.requires_grad), dtype=D)}
    (p * p).sum().backward()
    r["w.grad"] = w.grad
    return r


def consumer_keeps_old_history():
    x, _ = leaves()
    y = x * 2
    z = y + 3
    y.mul_(3)
    (z.sum() + y.sum()).backward()
    return {"x.grad": x.grad}


def chain():
    x, _ = leaves()
    y = x * 1
    y.mul_(0.5).add_(1).exp_()
    y.sum().backward()
    return {"x.grad": x.grad, "y": y.detach()}


def copy_from_w():
    x, w = leaves()
    y = x * 2
    y.copy_(w * 3)
    (y * x).sum().backward()
    return {"x.grad": x.grad, "w.grad": w.grad}


def fill_then_use():
    x, _ = leaves()
    y = x * 2
    y.fill_(4)
    (y * x).sum().backward()
    return {"x.grad": x.grad}


def zero_then_use():
    x, _ = leaves()
    y = x * 2
    z = y * x
    y.zero_()
    (z.sum() + (y * x).sum()).backward()
    return {"x.grad": x.grad}


def versions():
    x, _ = leaves()
    y = x * 2
    v = [y._version]
    y.add_(1)
    v.append(y._version)
    view = y[1:]
    view_before = view._version
    with torch.no_grad():
        view.mul_(2)
    v += [y._version, view_before, view._version]
    return {"versions": torch.tensor(v, dtype=D)}


def saved_output_modified():
    x, _ = leaves()
    y = x.exp()
    y.add_(1)
    y.sum().backward()


def saved_sigmoid_output_modified():
    x, _ = leaves()
    y = x.sigmoid()
    z = y * 2
    y.mul_(2)
    z.sum().backward()


def saved_plain_modified():
    x, _ = leaves()
    c = torch.ones(3, dtype=D)
    y = x * c
    c.add_(1)
    y.sum().backward()


def saved_leaf_modified_under_no_grad():
    x, _ = leaves()
    y = (x * x).sum()
    with torch.no_grad():
        x.add_(1)
    y.backward()


def unsaved_leaf_modified_under_no_grad():
    """x * c saves c for x's gradient, never x: changing x is fine."""
    x, _ = leaves()
    c = torch.tensor([2.0, 3.0, 4.0], dtype=D)
    y = (x * c).sum()
    with torch.no_grad():
        x.mul_(10)
    y.backward()
    return {"x.grad": x.grad}


def saved_nonleaf_modified():
    x, _ = leaves()
    y = x * 2
    z = y * y
    y.mul_(3)
    z.sum().backward()


def mul_by_itself():
    x, _ = leaves()
    y = x * 2
    y.mul_(y)
    y.sum().backward()


def add_itself():
    x, _ = leaves()
    y = x * 2
    y.add_(y)
    y.sum().backward()
    return {"x.grad": x.grad}


def saved_mm_operand_modified():
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=D, requires_grad=True)
    b = torch.tensor([[0.5, -1.0], [2.0, 1.0]], dtype=D)
    y = a.mm(b)
    b.t().mul_(2)
    y.sum().backward()


def leaf_inplace():
    x, _ = leaves()
    x.add_(1)


def leaf_view_inplace():
    x, _ = leaves()
    x[0:2].mul_(2)


def int_mul_half():
    torch.tensor([1, 2]).mul_(0.5)


def int_add_half():
    torch.tensor([1, 2]).add_(0.5)


def int_div_int():
    torch.tensor([4, 2]).div_(2)


def int_div_tensor():
    torch.tensor([4, 2]).div_(torch.tensor([2, 1]))


def int_add_float_tensor():
    torch.tensor([1, 2]).add_(torch.tensor([0.5, 0.5]))


def int_add_double_tensor():
    torch.tensor([1, 2]).add_(torch.tensor([0.5, 0.5], dtype=D))


def int_add_0d_float():
    torch.tensor([1, 2]).add_(torch.tensor(1.0))


def bool_add_int():
    torch.tensor([True, False]).add_(1)


def int_exp():
    torch.tensor([1, 2]).exp_()


def int_sigmoid():
    torch.tensor([1, 2]).sigmoid_()


def int_pow_negative():
    torch.tensor([1, 2]).pow_(-1)


def bool_neg():
    torch.tensor([True]).neg_()


def int_inplace_allowed():
    a = torch.tensor([1, -2, 3])
    a.mul_(2)
    a.add_(torch.tensor([True, False, True]))
    a.relu_()
    a.pow_(2)
    a.abs_()
    b = torch.tensor([1, 2, 3])
    b.fill_(2.7)  # fill_ and copy_ convert, as a cast does
    c = torch.tensor([0, 0, 0])
    c.copy_(torch.tensor([1.9, -1.9, 2.5]))
    f = torch.tensor([1.0, 2.0])
    f.add_(torch.tensor([0.5, 0.25], dtype=D))
    return {"a": a.to(D), "b": b.to(D), "c": c.to(D), "f": f.to(D)}


def expanded_add():
    torch.zeros(1, dtype=D).expand(3).add_(1)


def expanded_exp():
    torch.zeros(1, dtype=D).expand(3).exp_()


def expanded_copy():
    torch.zeros(1, dtype=D).expand(3).copy_(torch.ones(3, dtype=D))


def expanded_normal():
    torch.zeros(1, dtype=D).expand(3).normal_()


def expanded_fill():
    t = torch.zeros(1, dtype=D)
    t.expand(3).fill_(2)
    t.expand(2, 3).zero_()
    return {"t": t}


def partial_overlap_shifted():
    a = torch.arange(6, dtype=D)
    a[1:].add_(a[:-1])


def partial_overlap_transposed():
    m = torch.arange(9, dtype=D).reshape(3, 3)
    m.add_(m.t())


def partial_overlap_broadcast_row():
    a = torch.arange(12, dtype=D).reshape(3, 4)
    a.add_(a[0])


def partial_overlap_copy():
    a = torch.arange(6, dtype=D)
    a[1:].copy_(a[:-1])


def full_overlap_add():
    a = torch.arange(6, dtype=D)
    a.add_(a)
    b = torch.arange(6, dtype=D)
    b.mul_(b)
    return {"a": a, "b": b}


def disjoint_views():
    a = torch.arange(6, dtype=D)
    a[:3].add_(a[3:])
    b = torch.arange(6, dtype=D)
    b[::2].add_(b[1::2])
    return {"a": a, "b": b}


def strided_overlap_column():
    """PyTorch does not classify this overlap (neither side is dense) and computes from
    half-written values; the golden value is the correct product, from a copy of the column."""
    a = torch.arange(12, dtype=D).reshape(3, 4)
    a.mul_(a[:, :1].clone())
    m = torch.arange(12, dtype=D).reshape(3, 4)
    m[:, :2].add_(m[:, 1:3].clone())
    return {"a": a, "m": m}


def view_mul():
    x, _ = leaves()
    b = x * 1
    v = b[0:2]
    v.mul_(2)
    (b * b).sum().backward()
    return {"x.grad": x.grad, "b": b.detach()}


def view_then_use_view():
    x, _ = leaves()
    b = x * 1
    v = b[1:]
    v.exp_()
    (v * v).sum().add(b.sum()).backward()
    return {"x.grad": x.grad, "b": b.detach()}


def view_twice():
    x, _ = leaves()
    b = x * 1
    v = b[0:2]
    v.mul_(2)
    v.add_(1)
    (b * b).sum().backward()
    return {"x.grad": x.grad, "b": b.detach()}


def plain_view_add_w():
    _, w = leaves()
    p = torch.zeros(3, dtype=D)
    p[1:].add_(w[1:])
    r = {"requires_grad": torch.tensor(float(p.requires_grad), dtype=D)}
    (p * p).sum().backward()
    r["w.grad"] = w.grad
    return r


def matrix():
    return torch.tensor([[1.0, -2.0, 0.5], [3.0, 1.5, -1.0]], dtype=D, requires_grad=True)


def select_row_mul_x():
    x, _ = leaves()
    W = matrix()
    b = W * 1
    b[1].mul_(x)
    (b * b).sum().backward()
    return {"W.grad": W.grad, "x.grad": x.grad}


def transposed_view():
    W = matrix()
    b = W * 2
    b.t()[2].add_(1.5)
    b.t()[0].mul_(b.t()[1].detach())
    (b * b * b).sum().backward()
    return {"W.grad": W.grad, "b": b.detach()}


def transposed_view_scalar():
    W = matrix()
    b = W * 2
    b.t()[2].add_(1.5)
    b.t()[0].mul_(3)
    (b * b * b).sum().backward()
    return {"W.grad": W.grad, "b": b.detach()}


def view_fill():
    x, _ = leaves()
    b = x * 2
    b[0:1].fill_(0)
    (b * x).sum().backward()
    return {"x.grad": x.grad}


def view_copy():
    x, w = leaves()
    b = x * 2
    b[1:].copy_(w[1:] * 3)
    (b * b).sum().backward()
    return {"x.grad": x.grad, "w.grad": w.grad}


def nograd_view_inplace():
    x, _ = leaves()
    b = x * 1
    with torch.no_grad():
        v = b[0:2]
    v.mul_(2)


CASES = {
    "view_mul": view_mul,
    "view_then_use_view": view_then_use_view,
    "view_twice": view_twice,
    "plain_view_add_w": plain_view_add_w,
    "select_row_mul_x": select_row_mul_x,
    "transposed_view": transposed_view,
    "transposed_view_scalar": transposed_view_scalar,
    "view_fill": view_fill,
    "view_copy": view_copy,
    "nograd_view_inplace": nograd_view_inplace,
    "add_scalar": unary(lambda y: y.add_(1.5)),
    "sub_scalar": unary(lambda y: y.sub_(0.5)),
    "mul_scalar": unary(lambda y: y.mul_(3)),
    "div_scalar": unary(lambda y: y.div_(4)),
    "pow_scalar": unary(lambda y: y.pow_(3)),
    "neg": unary(lambda y: y.neg_()),
    "abs": unary(lambda y: y.abs_()),
    "relu": unary(lambda y: y.relu_()),
    "tanh": unary(lambda y: y.tanh_()),
    "sigmoid": unary(lambda y: y.sigmoid_()),
    "clamp": unary(lambda y: y.clamp_(-0.5, 2.0)),
    "clamp_min": unary(lambda y: y.clamp_(min=0.0)),
    "exp": unary(lambda y: y.exp_()),
    "log": positive_unary(lambda y: y.log_()),
    "sqrt": positive_unary(lambda y: y.sqrt_()),
    "add_tensor": with_w(lambda y, w: y.add_(w)),
    "add_alpha": with_w(lambda y, w: y.add_(w, alpha=2.5)),
    "sub_tensor": with_w(lambda y, w: y.sub_(w)),
    "sub_alpha": with_w(lambda y, w: y.sub_(w, alpha=0.5)),
    "mul_tensor": with_w(lambda y, w: y.mul_(w)),
    "div_tensor": with_w(lambda y, w: y.div_(w)),
    "add_broadcast": with_w(lambda y, w: y.add_(w[1])),
    "plain_add_w": plain_add_w,
    "consumer_keeps_old_history": consumer_keeps_old_history,
    "chain": chain,
    "copy_from_w": copy_from_w,
    "fill_then_use": fill_then_use,
    "zero_then_use": zero_then_use,
    "versions": versions,
    "saved_output_modified": saved_output_modified,
    "saved_sigmoid_output_modified": saved_sigmoid_output_modified,
    "saved_plain_modified": saved_plain_modified,
    "saved_leaf_modified_under_no_grad": saved_leaf_modified_under_no_grad,
    "unsaved_leaf_modified_under_no_grad": unsaved_leaf_modified_under_no_grad,
    "saved_nonleaf_modified": saved_nonleaf_modified,
    "mul_by_itself": mul_by_itself,
    "add_itself": add_itself,
    "saved_mm_operand_modified": saved_mm_operand_modified,
    "leaf_inplace": leaf_inplace,
    "leaf_view_inplace": leaf_view_inplace,
    "int_mul_half": int_mul_half,
    "int_add_half": int_add_half,
    "int_div_int": int_div_int,
    "int_div_tensor": int_div_tensor,
    "int_add_float_tensor": int_add_float_tensor,
    "int_add_double_tensor": int_add_double_tensor,
    "int_add_0d_float": int_add_0d_float,
    "bool_add_int": bool_add_int,
    "int_exp": int_exp,
    "int_sigmoid": int_sigmoid,
    "int_pow_negative": int_pow_negative,
    "bool_neg": bool_neg,
    "int_inplace_allowed": int_inplace_allowed,
    "expanded_add": expanded_add,
    "expanded_exp": expanded_exp,
    "expanded_copy": expanded_copy,
    "expanded_normal": expanded_normal,
    "expanded_fill": expanded_fill,
    "partial_overlap_shifted": partial_overlap_shifted,
    "partial_overlap_transposed": partial_overlap_transposed,
    "partial_overlap_broadcast_row": partial_overlap_broadcast_row,
    "partial_overlap_copy": partial_overlap_copy,
    "full_overlap_add": full_overlap_add,
    "disjoint_views": disjoint_views,
    "strided_overlap_column": strided_overlap_column,
}


def main():
    out = {"torch_version": torch.__version__, "cases": {}}
    for name, run in CASES.items():
        try:
            result = run()
        except RuntimeError as e:
            out["cases"][name] = {"error": str(e).split(" Hint:")[0]}
            continue
        assert result is not None, name + " returned nothing and raised nothing"
        out["cases"][name] = {"values": {k: v.detach().reshape(-1).tolist() for k, v in result.items()}}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "inplace_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
