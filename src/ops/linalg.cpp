// Matrix products through BLAS. Backward passes have the GEMM read their operands transposed
// in place, so no transpose is ever copied or even made as a view.
#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;

static void check_matmul_dtypes(const Tensor& a, const Tensor& b, const char* op) {
  D2L_CHECK(a.dtype() == b.dtype(), op, ": expected both operands to have the same dtype, but got ",
            dtype_name(a.dtype()), " and ", dtype_name(b.dtype()));
  D2L_CHECK(a.dtype() != kBool, op, ": bool tensors are not supported");
}

// op(a) (m x k) @ op(b) (k x n) into a new contiguous tensor, no graph; op transposes an
// operand when its flag is set (the backward's products read their operands transposed in place).
static Tensor mm_forward(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false) {
  Tensor c = empty({a.size(transpose_a ? 1 : 0), b.size(transpose_b ? 0 : 1)}, a.dtype());
  kernels::gemm(a, b, c, 1.0, 0.0, transpose_a, transpose_b);
  return c;
}

static void check_mm(const Tensor& a, const Tensor& b) {
  D2L_CHECK(a.dim() == 2, "self must be a matrix (mm got a ", a.dim(), "-D tensor of shape ", shape_str(a.shape()), ")");
  D2L_CHECK(b.dim() == 2, "mat2 must be a matrix (mm got a ", b.dim(), "-D tensor of shape ", shape_str(b.shape()), ")");
  D2L_CHECK(a.size(1) == b.size(0), "mat1 and mat2 shapes cannot be multiplied (", shape_x(a.shape()), " and ",
            shape_x(b.shape()), ")");
  check_matmul_dtypes(a, b, "mm");
}

Tensor mm(const Tensor& a, const Tensor& b) {
  check_mm(a, b);
  Tensor out = mm_forward(a, b);
  if (!autograd::any_requires_grad(a, b)) return out;  // nothing to record: skip building the backward
  return record(out, "MmBackward0", {a, b}, {{a, 1}, {b, 0}}, [a, b](const Tensor& g, const Node& n) {
    return autograd::Grads{n.needs_grad(0) ? mm_forward(g, b, false, true) : Tensor(),   // g @ b^T
                               n.needs_grad(1) ? mm_forward(a, g, true, false) : Tensor()};  // a^T @ g
  });
}

// ---- out= forms

// Gets `out` ready to receive a result of `shape` and `dtype`: an out of another shape is
// given fresh storage of the right shape first, as torch resizes an out= tensor.
static void prepare_out(Tensor& out, const Shape& shape, DType dtype) {
  D2L_CHECK(out.defined(), "out= needs a defined tensor");
  D2L_CHECK(out.dtype() == dtype, "Expected out tensor to have dtype ", dtype_name(dtype), ", but got ",
            dtype_name(out.dtype()), " instead");
  if (out.shape() == shape) return;
  const Tensor fresh = empty(shape, dtype);
  TensorImpl& impl = *out.impl();
  impl.storage = fresh.impl()->storage;
  impl.shape = shape;
  impl.strides = fresh.strides();
  impl.offset = 0;
}

static bool shares_storage(const Tensor& a, const Tensor& b) { return a.impl()->storage == b.impl()->storage; }

static void check_out_not_differentiable(const Tensor& out, const Tensor& a, const Tensor& b, const char* op) {
  D2L_CHECK(!autograd::any_requires_grad(a, b, out), op,
            "(): functions with out=... arguments don't support automatic differentiation, but one of the "
            "arguments requires grad.");
}

Tensor& mm_out(Tensor& out, const Tensor& a, const Tensor& b) {
  check_mm(a, b);
  check_out_not_differentiable(out, a, b, "mm");
  prepare_out(out, {a.size(0), b.size(1)}, a.dtype());
  // GEMM writes a contiguous C that overlaps neither operand; anything else goes through a temporary.
  if (out.is_contiguous() && !shares_storage(out, a) && !shares_storage(out, b)) kernels::gemm(a, b, out, 1.0, 0.0);
  else kernels::copy(mm_forward(a, b), out);
  return out;
}

Tensor& matmul_out(Tensor& out, const Tensor& a, const Tensor& b) {
  if (a.dim() == 2 && b.dim() == 2) return mm_out(out, a, b);
  check_out_not_differentiable(out, a, b, "matmul");
  const Tensor result = matmul(a, b);
  prepare_out(out, result.shape(), result.dtype());
  kernels::copy(result, out);
  return out;
}

// Batched product of 3-D tensors with equal batch sizes (bmm).
static Tensor bmm(const Tensor& a, const Tensor& b) {
  D2L_CHECK(a.size(0) == b.size(0) && a.size(2) == b.size(1), "matmul: batch shapes cannot be multiplied (",
            shape_x(a.shape()), " and ", shape_x(b.shape()), ")");
  const std::int64_t batch = a.size(0);
  auto forward = [batch](const Tensor& x, const Tensor& y) {
    Tensor c = empty({batch, x.size(1), y.size(2)}, x.dtype());
    for (std::int64_t i = 0; i < batch; ++i) kernels::gemm(x.detach()[i], y.detach()[i], c[i], 1.0, 0.0);
    return c;
  };
  return record(forward(a, b), "BmmBackward0", {a, b}, {{a, 1}, {b, 0}}, [a, b, forward](const Tensor& g, const Node& n) {
    return autograd::Grads{n.needs_grad(0) ? forward(g, b.detach().transpose(1, 2)) : Tensor(),
                               n.needs_grad(1) ? forward(a.detach().transpose(1, 2), g) : Tensor()};
  });
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  D2L_CHECK(a.dim() >= 1 && b.dim() >= 1, "both arguments to matmul need to be at least 1D, but they are ", a.dim(),
            "D and ", b.dim(), "D");
  check_matmul_dtypes(a, b, "matmul");
  if (a.dim() == 1 && b.dim() == 1) {
    D2L_CHECK(a.size(0) == b.size(0), "inconsistent tensor size, expected tensor [", a.size(0),
              "] and src [", b.size(0), "] to have the same number of elements, but got ", a.size(0), " and ",
              b.size(0), " elements respectively");
    return mm(a.unsqueeze(0), b.unsqueeze(1)).reshape({});
  }
  if (a.dim() == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
  if (b.dim() == 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
  if (a.dim() == 2 && b.dim() == 2) return mm(a, b);
  D2L_CHECK(a.size(-1) == b.size(-2), "mat1 and mat2 shapes cannot be multiplied (", shape_x(a.shape()), " and ",
            shape_x(b.shape()), ")");
  if (b.dim() == 2) {  // (..., n, k) @ (k, m): one GEMM over all leading rows
    Shape out_shape = a.shape();
    out_shape.back() = b.size(1);
    return mm(a.reshape({-1, a.size(-1)}), b).reshape(out_shape);
  }
  // Broadcast the batch dims, fold them into one, and run bmm.
  const Shape batch_a(a.shape().begin(), a.shape().end() - 2), batch_b(b.shape().begin(), b.shape().end() - 2);
  const Shape batch = broadcast_shapes(batch_a, batch_b, "matmul");
  Shape ea = batch, eb = batch;
  ea.insert(ea.end(), a.shape().end() - 2, a.shape().end());
  eb.insert(eb.end(), b.shape().end() - 2, b.shape().end());
  const std::int64_t nb = numel(batch);
  Tensor c = bmm(a.expand(ea).reshape({nb, a.size(-2), a.size(-1)}), b.expand(eb).reshape({nb, b.size(-2), b.size(-1)}));
  Shape out_shape = batch;
  out_shape.push_back(a.size(-2));
  out_shape.push_back(b.size(-1));
  return c.reshape(out_shape);
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  D2L_CHECK(weight.dim() == 2, "linear: weight must be 2-D, got shape ", shape_str(weight.shape()));
  D2L_CHECK(x.dim() >= 1 && x.size(-1) == weight.size(1), "mat1 and mat2 shapes cannot be multiplied (",
            x.dim() == 2 ? shape_x(x.shape()) : shape_x({numel(x.shape()) / std::max<std::int64_t>(x.size(-1), 1), x.size(-1)}),
            " and ", shape_x({weight.size(1), weight.size(0)}), ")");
  if (x.dim() != 2) {
    Shape out_shape = x.shape();
    out_shape.back() = weight.size(0);
    return linear(x.reshape({-1, x.size(-1)}), weight, bias).reshape(out_shape);
  }
  check_matmul_dtypes(x, weight, "linear");
  const std::int64_t rows = x.size(0), out_features = weight.size(0);
  Tensor out = empty({rows, out_features}, x.dtype());
  double beta = 0.0;
  if (bias.defined()) {
    D2L_CHECK(bias.numel() == out_features, "linear: bias has ", bias.numel(), " elements, expected ", out_features);
    // Every row starts as the bias (a 1-D bias broadcasts as it is; kernels record nothing).
    kernels::copy(bias.dim() == 1 ? bias : bias.detach().reshape({out_features}), out);
    beta = 1.0;
  }
  kernels::gemm(x, weight, out, 1.0, beta, false, true);  // x @ weight^T; kernels record nothing
  if (!autograd::any_requires_grad(x, weight, bias)) return out;
  // Named as PyTorch's F.linear records it: addmm with a bias, a plain mm without.
  return record(out, bias.defined() ? "AddmmBackward0" : "MmBackward0", {x, weight, bias}, {{x, 1}, {weight, 0}}, [x, weight, bias](const Tensor& g, const Node& n) {
    return autograd::Grads{n.needs_grad(0) ? mm_forward(g, weight.detach()) : Tensor(),
                               n.needs_grad(1) ? mm_forward(g, x, true, false) : Tensor(),  // g^T @ x
                               n.needs_grad(2) ? sum(g, {0}).reshape(bias.shape()) : Tensor()};
  });
}

Tensor Tensor::matmul(const Tensor& other) const { return d2l::matmul(*this, other); }
Tensor Tensor::mm(const Tensor& other) const { return d2l::mm(*this, other); }

}  // namespace d2l
