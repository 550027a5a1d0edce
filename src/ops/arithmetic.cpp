// Broadcasting binary arithmetic, comparisons and where, with their backward passes.
#include <cmath>

#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;
using detail::cast;
using detail::grad_for;
using kernels::Binary;

namespace {

bool is_comparison(Binary op) { return op >= Binary::Eq; }

int category(DType t) { return t == kBool ? 0 : (is_floating(t) ? 2 : 1); }


// The dtype an arithmetic op computes in; true division of integers gives float32.
DType compute_dtype(Binary op, const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  if (is_comparison(op)) return dt;
  // bool + bool, bool * bool, maximum and minimum of bools stay bool (or / and), as in PyTorch.
  if (dt == kBool && op != Binary::Add && op != Binary::Mul && op != Binary::Max && op != Binary::Min) dt = kInt64;
  if ((op == Binary::Div) && !is_floating(dt)) dt = kFloat32;
  return dt;
}

Tensor binary_forward(Binary op, const Tensor& a, const Tensor& b, const char* name) {
  const DType dt = compute_dtype(op, a, b);
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), name);
  Tensor out = empty(shape, is_comparison(op) ? kBool : dt);
  if (a.dtype() == dt && b.dtype() == dt) kernels::binary(op, a, b, out);  // the usual case: no casts
  else kernels::binary(op, cast(a, dt), cast(b, dt), out);
  return out;
}

DType scalar_dtype(const Tensor& a, double b) { return result_type(a, b); }

Tensor scalar_forward(Binary op, const Tensor& a, double b) {
  const DType dt = op == Binary::Div && !is_floating(a.dtype()) ? kFloat32 : scalar_dtype(a, b);
  Tensor out = empty(a.shape(), is_comparison(op) ? kBool : dt);
  if (a.dtype() == dt) kernels::binary_scalar(op, a, b, out);
  else kernels::binary_scalar(op, cast(a, dt), b, out);
  return out;
}

}  // namespace

// PyTorch's result_type for two tensors: a 0-d operand decides the dtype only when it is of a
// higher category (bool < integer < floating) than a dimensioned one, so float32 [n] * a
// float64 0-d tensor stays float32, while int64 [n] * a float64 0-d tensor is float64.
DType result_type(const Tensor& a, const Tensor& b) {
  const bool a0 = a.dim() == 0, b0 = b.dim() == 0;
  if (a0 == b0) return promote_types(a.dtype(), b.dtype());
  const DType dimensioned = a0 ? b.dtype() : a.dtype(), zero_dim = a0 ? a.dtype() : b.dtype();
  return category(zero_dim) > category(dimensioned) ? zero_dim : dimensioned;
}

// With a number: a fractional one lifts an integer or bool tensor to float32, a whole one
// lifts bool to int64 (the C++ API takes every number as a double, so its value decides).
DType result_type(const Tensor& a, double b) {
  if (is_floating(a.dtype())) return a.dtype();
  return b == std::floor(b) ? kInt64 : kFloat32;
}

Tensor add(const Tensor& a, const Tensor& b) {
  return record(binary_forward(Binary::Add, a, b, "add"), "AddBackward0", {a, b},
                [sa = a.shape(), sb = b.shape(), da = a.dtype(), db = b.dtype()](const Tensor& g, const Node& n) {
                  return autograd::Grads{n.needs_grad(0) ? grad_for(g, sa, da) : Tensor(),
                                             n.needs_grad(1) ? grad_for(g, sb, db) : Tensor()};
                });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  D2L_CHECK(a.dtype() != kBool || b.dtype() != kBool,
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
            "operator instead.");
  D2L_CHECK(a.dtype() != kBool && b.dtype() != kBool,
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, "
            "use the `~` or `logical_not()` operator instead.");
  return record(binary_forward(Binary::Sub, a, b, "sub"), "SubBackward0", {a, b},
                [sa = a.shape(), sb = b.shape(), da = a.dtype(), db = b.dtype()](const Tensor& g, const Node& n) {
                  return autograd::Grads{n.needs_grad(0) ? grad_for(g, sa, da) : Tensor(),
                                             n.needs_grad(1) ? grad_for(-g, sb, db) : Tensor()};
                });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  return record(binary_forward(Binary::Mul, a, b, "mul"), "MulBackward0", {a, b}, {{a, 1}, {b, 0}}, [a, b](const Tensor& g, const Node& n) {
    return autograd::Grads{n.needs_grad(0) ? grad_for(g * b, a.shape(), a.dtype()) : Tensor(),
                               n.needs_grad(1) ? grad_for(g * a, b.shape(), b.dtype()) : Tensor()};
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  return record(binary_forward(Binary::Div, a, b, "div"), "DivBackward0", {a, b}, {{a, 1}, b}, [a, b](const Tensor& g, const Node& n) {
    return autograd::Grads{n.needs_grad(0) ? grad_for(g / b, a.shape(), a.dtype()) : Tensor(),
                               n.needs_grad(1) ? grad_for(-g * a / (b * b), b.shape(), b.dtype()) : Tensor()};
  });
}

Tensor pow(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(Binary::Pow, a, b, "pow");
  return record(out, "PowBackward1", {a, b}, {a, b, {out, 1}}, [a, b, out = out.detach()](const Tensor& g, const Node& n) {
    Tensor ga, gb;
    // As torch 1.13's pow_backward_self / pow_backward_exponent, products in the same order:
    // d/da = g * (b * a^(b-1)), defined as 0 where b == 0 (also at a == 0, where the formula
    // gives 0 * inf); d/db = g * (a^b log a), defined as 0 where a == 0 and b >= 0 (where
    // b < 0 it stays inf * -inf = -inf).
    const Tensor zero = zeros({}, g.dtype());
    if (n.needs_grad(0)) ga = grad_for(where(b == zeros({}, b.dtype()), zero, g * (b * pow(a, b - 1.0))), a.shape(), a.dtype());
    if (n.needs_grad(1)) {
      const Tensor a_zero_b_nonneg = where(a == zeros({}, a.dtype()), b >= zeros({}, b.dtype()), zeros({}, kBool));
      gb = grad_for(g * where(a_zero_b_nonneg, zero, out * log(a)), b.shape(), b.dtype());
    }
    return autograd::Grads{ga, gb};
  });
}

Tensor pow(const Tensor& a, double exponent) {
  D2L_CHECK(is_floating(a.dtype()) || exponent >= 0 || exponent != std::floor(exponent),
            "Integers to negative integer powers are not allowed.");
  Tensor out = scalar_forward(Binary::Pow, a, exponent);
  return record(out, "PowBackward0", {a}, {a}, [a, exponent](const Tensor& g, const Node&) {
    if (exponent == 0.0) return autograd::Grads{zeros_like(a)};
    if (exponent == 2.0) {  // the squared loss: 2 a g, straight through the kernels
      Tensor grad;
      if (g.shape() == a.shape() && g.dtype() == a.dtype()) {
        grad = empty(a.shape(), a.dtype());
        kernels::binary(Binary::Mul, g, a, grad);
      } else {
        grad = g * a;
      }
      kernels::binary_scalar(Binary::Mul, grad, 2.0, grad);
      return autograd::Grads{grad};
    }
    return autograd::Grads{g * (pow(a, exponent - 1.0) * exponent)};  // torch's order: g * (e * a^(e-1))
  });
}

// torch.maximum's rule: the gradient goes to the larger input, split in half on ties (one
// fused pass; the composite of compares and wheres took six).
static autograd::Grads extremum_backward(const Tensor& g, const Node& n, const Tensor& a, const Tensor& b,
                                         bool is_max) {
  const DType dt = g.dtype();
  Tensor ga_full = n.needs_grad(0) ? empty(g.shape(), dt) : Tensor();
  Tensor gb_full = n.needs_grad(1) ? empty(g.shape(), dt) : Tensor();
  kernels::extremum_backward(g, cast(a, dt), cast(b, dt), is_max, ga_full, gb_full);
  return {n.needs_grad(0) ? grad_for(ga_full, a.shape(), a.dtype()) : Tensor(),
          n.needs_grad(1) ? grad_for(gb_full, b.shape(), b.dtype()) : Tensor()};
}

Tensor maximum(const Tensor& a, const Tensor& b) {
  return record(binary_forward(Binary::Max, a, b, "maximum"), "MaximumBackward0", {a, b}, {a, b},
                [a, b](const Tensor& g, const Node& n) { return extremum_backward(g, n, a, b, true); });
}

Tensor minimum(const Tensor& a, const Tensor& b) {
  return record(binary_forward(Binary::Min, a, b, "minimum"), "MinimumBackward0", {a, b}, {a, b},
                [a, b](const Tensor& g, const Node& n) { return extremum_backward(g, n, a, b, false); });
}

// Ops with a Python number are named as PyTorch names them when called from Python, which
// wraps the number in a tensor (AddBackward0, not libtorch's AddBackward1): the course's
// printed tensors then read the same as ours.
Tensor add(const Tensor& a, double b) {
  return record(scalar_forward(Binary::Add, a, b), "AddBackward0", {a},
                [](const Tensor& g, const Node&) { return autograd::Grads{g}; });
}

Tensor mul(const Tensor& a, double b) {
  return record(scalar_forward(Binary::Mul, a, b), "MulBackward0", {a},
                [b](const Tensor& g, const Node&) { return autograd::Grads{mul(g, b)}; });
}

static Tensor sub_scalar(const Tensor& a, double b) {
  return record(scalar_forward(Binary::Sub, a, b), "SubBackward0", {a},
                [](const Tensor& g, const Node&) { return autograd::Grads{g}; });
}

// b - a, PyTorch's rsub.
static Tensor rsub_scalar(double b, const Tensor& a) {
  // (-a) + b is exactly b - a (negation is exact), +0 included.
  Tensor out = empty(a.shape(), scalar_dtype(a, b));
  kernels::unary(kernels::Unary::Neg, cast(a, out.dtype()), out);
  kernels::binary_scalar(Binary::Add, out, b, out);
  return record(out, "RsubBackward1", {a}, [](const Tensor& g, const Node&) { return autograd::Grads{neg(g)}; });
}

// True division, as PyTorch does it: a * (1 / b) can differ from a / b in the last bit.
static Tensor div_scalar(const Tensor& a, double b) {
  return record(scalar_forward(Binary::Div, a, b), "DivBackward0", {a}, [b](const Tensor& g, const Node&) {
    Tensor r = empty(g.shape(), g.dtype());
    kernels::binary_scalar(Binary::Div, g, b, r);
    return autograd::Grads{r};
  });
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator+(const Tensor& a, double b) { return add(a, b); }
Tensor operator-(const Tensor& a, double b) { return sub_scalar(a, b); }
Tensor operator*(const Tensor& a, double b) { return mul(a, b); }
Tensor operator/(const Tensor& a, double b) { return div_scalar(a, b); }
Tensor operator+(double a, const Tensor& b) { return add(b, a); }
Tensor operator-(double a, const Tensor& b) { return rsub_scalar(a, b); }
Tensor operator*(double a, const Tensor& b) { return mul(b, a); }
Tensor operator/(double a, const Tensor& b) { return div(scalar_tensor(a, is_floating(b.dtype()) ? b.dtype() : kFloat32), b); }

// ---- comparisons and where

Tensor eq(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Eq, a, b, "eq"); }
Tensor ne(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Ne, a, b, "ne"); }
Tensor lt(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Lt, a, b, "lt"); }
Tensor le(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Le, a, b, "le"); }
Tensor gt(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Gt, a, b, "gt"); }
Tensor ge(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Ge, a, b, "ge"); }
Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator>(const Tensor& a, double b) { return scalar_forward(Binary::Gt, a, b); }
Tensor operator<(const Tensor& a, double b) { return scalar_forward(Binary::Lt, a, b); }

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  D2L_CHECK(condition.dtype() == kBool, "where expected condition to be a boolean tensor, but got a tensor with dtype ",
            dtype_name(condition.dtype()));
  const DType dt = result_type(a, b);
  const Shape shape = broadcast_shapes(broadcast_shapes(condition.shape(), a.shape(), "where"), b.shape(), "where");
  Tensor out = empty(shape, dt);
  kernels::where(condition, cast(a, dt), cast(b, dt), out);
  return record(out, "WhereBackward0", {a, b}, {condition}, [condition, a, b](const Tensor& g, const Node& n) {
    const Tensor zero = zeros({}, g.dtype());
    Tensor ga, gb;
    if (n.needs_grad(0)) ga = grad_for(where(condition, g, zero), a.shape(), a.dtype());
    if (n.needs_grad(1)) gb = grad_for(where(condition, zero, g), b.shape(), b.dtype());
    return autograd::Grads{ga, gb};
  });
}

}  // namespace d2l
