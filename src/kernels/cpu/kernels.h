#pragma once
// CPU kernels over raw strided memory. They allocate nothing: callers pass the output.
// Shapes and dtypes are checked by the ops layer above; kernels trust them.
#include <cstdint>

#include "d2l/tensor.h"

namespace d2l::kernels {

// dst = src (src broadcast to dst's shape, converted to dst's dtype).
void copy(const Tensor& src, const Tensor& dst);
void fill(const Tensor& dst, double value);

enum class Binary { Add, Sub, Mul, Div, Pow, Max, Min, Eq, Ne, Lt, Le, Gt, Ge };
// out = a op b; a and b share one dtype and broadcast to out's shape; out is that dtype, or
// bool for comparisons. out may alias a (in-place ops).
void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out);
// out = a op scalar (a's dtype).
void binary_scalar(Binary op, const Tensor& a, double b, const Tensor& out);

// y += alpha * x for contiguous floating tensors of one shape and dtype.
void axpy(double alpha, const Tensor& x, const Tensor& y);

enum class Unary { Neg, Exp, Log, Sqrt, Abs, Tanh, Sigmoid, Relu };
void unary(Unary op, const Tensor& a, const Tensor& out);
void clamp(const Tensor& a, double lo, double hi, const Tensor& out);
void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out);
// The gradients of maximum (is_max) or minimum, as torch computes them: g to the larger
// (smaller) input, g / 2 to each on ties, g to both where either is NaN. a and b broadcast to
// g's shape; ga and gb are contiguous of g's shape, and either may be undefined (not wanted).
void extremum_backward(const Tensor& g, const Tensor& a, const Tensor& b, bool is_max, const Tensor& ga,
                       const Tensor& gb);
// grad_in = 0 where out <= 0, else g: ReLU's gradient from its output, as torch's
// threshold_backward. Contiguous, one shape.
void relu_backward(const Tensor& g, const Tensor& out, const Tensor& grad_in);
// grad_in = g * (1 - out^2) (tanh) and g * (1 - out) * out (sigmoid), from the op's output, in
// torch's order of operations. Contiguous, one shape.
void tanh_backward(const Tensor& g, const Tensor& out, const Tensor& grad_in);
void sigmoid_backward(const Tensor& g, const Tensor& out, const Tensor& grad_in);

// out (a's shape with reduced dims of size 1) = sum of a over those dims.
void sum(const Tensor& a, const Tensor& out);
// The sum of x * x over a contiguous floating tensor, in double: gradient clipping's norm.
// Eight partial sums, each taken in order: a single running sum is one add latency per
// element (a million elements per clipping step).
double sum_of_squares(const Tensor& a);
// Max along the last dim of a contiguous (rows x n) tensor: values and int64 indices.
void max_last_dim(const Tensor& a, const Tensor& values, const Tensor& indices);

// C = alpha * op(A) @ op(B) + beta * C for 2-D op(A) (m x k), op(B) (k x n) and contiguous C
// (m x n), where op(X) is X, or X^T when its transpose flag is set (read in place, no copy).
// A and B may be transposed views; any other layout is copied first.
void gemm(const Tensor& a, const Tensor& b, const Tensor& c, double alpha, double beta, bool transpose_a = false,
          bool transpose_b = false);

// out = a.index_select(dim, index) for contiguous a and out.
void index_select(const Tensor& a, std::int64_t dim, const Tensor& index, const Tensor& out);
// out.index_select(dim, index) += src, for contiguous out and src (repeated indices add up).
void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& src);

}  // namespace d2l::kernels
