// Matrix products through BLAS. Backward passes hand transposed views to the GEMM, so no
// transpose is ever copied.
#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;

static void check_matmul_dtypes(const Tensor& a, const Tensor& b, const char* op) {
  D2L_CHECK(a.dtype() == b.dtype(), op, ": expected both operands to have the same dtype, but got ",
            dtype_name(a.dtype()), " and ", dtype_name(b.dtype()));
  D2L_CHECK(a.dtype() != kBool, op, ": bool tensors are not supported");
}

// a (m x k) @ b (k x n) into a new contiguous tensor, no graph.
static Tensor mm_forward(const Tensor& a, const Tensor& b) {
  Tensor c = empty({a.size(0), b.size(1)}, a.dtype());
  kernels::gemm(a, b, c, 1.0, 0.0);
  return c;
}

// t.detach().t() in one step: a transposed view of a 2-D tensor, outside the graph (the
// backward's operands; making it through detach() and t() cost two tensor objects).
static Tensor transposed(const Tensor& t) {
  auto impl = detail::make_pooled<TensorImpl>();
  impl->storage = t.impl()->storage;
  impl->shape = {t.size(1), t.size(0)};
  impl->strides = {t.stride(1), t.stride(0)};
  impl->offset = t.storage_offset();
  impl->dtype = t.dtype();
  return Tensor(std::move(impl));
}

Tensor mm(const Tensor& a, const Tensor& b) {
  D2L_CHECK(a.dim() == 2, "self must be a matrix (mm got a ", a.dim(), "-D tensor of shape ", shape_str(a.shape()), ")");
  D2L_CHECK(b.dim() == 2, "mat2 must be a matrix (mm got a ", b.dim(), "-D tensor of shape ", shape_str(b.shape()), ")");
  D2L_CHECK(a.size(1) == b.size(0), "mat1 and mat2 shapes cannot be multiplied (", shape_x(a.shape()), " and ",
            shape_x(b.shape()), ")");
  check_matmul_dtypes(a, b, "mm");
  return record(mm_forward(a, b), "MmBackward0", {a, b}, [a, b](const Tensor& g, const Node& n) {
    return autograd::Grads{n.needs_grad(0) ? mm_forward(g, transposed(b)) : Tensor(),
                               n.needs_grad(1) ? mm_forward(transposed(a), g) : Tensor()};
  });
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
  return record(forward(a, b), "BmmBackward0", {a, b}, [a, b, forward](const Tensor& g, const Node& n) {
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
    kernels::copy(bias.detach().reshape({out_features}), out);  // every row starts as the bias
    beta = 1.0;
  }
  kernels::gemm(x.detach(), weight.detach().t(), out, 1.0, beta);
  // Named as PyTorch's F.linear records it: addmm with a bias, a plain mm without.
  return record(out, bias.defined() ? "AddmmBackward0" : "MmBackward0", {x, weight, bias}, [x, weight, bias](const Tensor& g, const Node& n) {
    return autograd::Grads{n.needs_grad(0) ? mm_forward(g, weight.detach()) : Tensor(),
                               n.needs_grad(1) ? mm_forward(g.t(), x.detach()) : Tensor(),
                               n.needs_grad(2) ? sum(g, {0}).reshape(bias.shape()) : Tensor()};
  });
}

Tensor Tensor::matmul(const Tensor& other) const { return d2l::matmul(*this, other); }
Tensor Tensor::mm(const Tensor& other) const { return d2l::mm(*this, other); }

}  // namespace d2l
