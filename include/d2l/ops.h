#pragma once
// Differentiable operations. Binary ops broadcast by NumPy rules; every op records its
// backward when grad mode is on and an input requires grad.
#include <optional>
#include <utility>

#include "d2l/recurrent_cell.h"
#include "d2l/tensor.h"

namespace d2l {

// ---- arithmetic (broadcasting)
// The dtype an op on these operands computes in (torch.result_type).
DType result_type(const Tensor& a, const Tensor& b);
DType result_type(const Tensor& a, double b);
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, double exponent);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, double b);
Tensor mul(const Tensor& a, double b);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);
Tensor& operator+=(Tensor& a, const Tensor& b);
Tensor& operator-=(Tensor& a, const Tensor& b);
Tensor& operator*=(Tensor& a, const Tensor& b);
Tensor& operator/=(Tensor& a, const Tensor& b);
Tensor& operator+=(Tensor& a, double b);
Tensor& operator-=(Tensor& a, double b);
Tensor& operator*=(Tensor& a, double b);
Tensor& operator/=(Tensor& a, double b);
// For temporaries such as `param.data() -= lr * param.grad()`: updates the shared storage.
Tensor operator+=(Tensor&& a, const Tensor& b);
Tensor operator-=(Tensor&& a, const Tensor& b);

// ---- elementwise
Tensor neg(const Tensor& a);
Tensor exp(const Tensor& a);
Tensor log(const Tensor& a);
Tensor sqrt(const Tensor& a);
Tensor abs(const Tensor& a);
Tensor tanh(const Tensor& a);
Tensor sigmoid(const Tensor& a);
Tensor relu(const Tensor& a);
Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max);

// ---- comparisons: bool masks, no gradient
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, double b);
Tensor operator<(const Tensor& a, double b);
// Picks from `a` where `condition` is true, else from `b` (all three broadcast).
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);

// ---- reductions; `dims` empty means every dim
Tensor sum(const Tensor& a);
Tensor sum(const Tensor& a, const Shape& dims, bool keepdim = false);
Tensor mean(const Tensor& a);
Tensor mean(const Tensor& a, const Shape& dims, bool keepdim = false);
// The largest element (gradient shared evenly among ties, as PyTorch does).
Tensor max(const Tensor& a);
// Largest along `dim`: {values, indices}.
std::pair<Tensor, Tensor> max(const Tensor& a, std::int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& a);
Tensor argmax(const Tensor& a, std::int64_t dim, bool keepdim = false);
// Sums a broadcast gradient back down to `shape`.
Tensor sum_to(const Tensor& a, const Shape& shape);

// ---- linear algebra (float32 / float64 through BLAS)
Tensor mm(const Tensor& a, const Tensor& b);
// 1-D, 2-D and batched (3-D, broadcast over the batch) products, as torch.matmul.
Tensor matmul(const Tensor& a, const Tensor& b);
// x @ weight^T + bias, in one GEMM (bias may be undefined).
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias);
// torch.mm(a, b, out=out) / torch.matmul(a, b, out=out): the product written into `out`,
// which is given fresh storage first if its shape differs. Like PyTorch's out= forms they
// record no graph, and refuse arguments that require grad while grad mode is on.
Tensor& mm_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor& matmul_out(Tensor& out, const Tensor& a, const Tensor& b);

// ---- indexing and shape
Tensor index_select(const Tensor& a, std::int64_t dim, const Tensor& index);
Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim = 0);

// ---- classification: softmax family, gather, one-hot
// softmax / log_softmax along `dim` (any dim), stable: the max along dim is subtracted first.
Tensor softmax(const Tensor& x, std::int64_t dim);
Tensor log_softmax(const Tensor& x, std::int64_t dim);
// torch.gather: out has index's shape and out[i][j] = input[index[i][j]][j] for dim 0 (likewise
// for other dims). index is int64 with input's number of dims; its values must lie in
// [0, input.size(dim)). The gradient is scattered back (repeated indices add up).
Tensor gather(const Tensor& input, std::int64_t dim, const Tensor& index);
// torch.nn.functional.one_hot: int64, shape indices.shape + [num_classes]; -1 infers max + 1.
Tensor one_hot(const Tensor& indices, std::int64_t num_classes = -1);
// torch.flatten: dims start_dim..end_dim merged into one (a view when the layout allows).
Tensor flatten(const Tensor& x, std::int64_t start_dim = 0, std::int64_t end_dim = -1);

// ---- embeddings and recurrent layers
// torch.nn.functional.embedding: rows of `weight` (num_embeddings x dim) picked by the int64
// `indices` (any shape); the result has shape indices.shape + [dim]. The gradient of each
// picked row is added back into that row (repeated indices add up).
Tensor embedding(const Tensor& weight, const Tensor& indices);

// One recurrent layer over a whole sequence, recorded as a single graph node whose forward
// and backward each make one pass over the steps (what torch's _VF.rnn_tanh / gru / lstm do
// for one layer): the input projection of all steps is one product, each step adds h @ W_hh^T
// and applies the cell.
//   input  (T, B, C) floating; or int64 (T, B) token indices, read as one-hot rows of width C
//          (the projection is then a row gather of W_ih^T)
//   h0, c0 (B, H), or undefined for zeros; c0 only for LSTM
//   w_ih (G*H, C), w_hh (G*H, H), b_ih and b_hh (G*H) or undefined; G = recurrent_gates(cell)
// Returns the states of every step, (S, T, B, H): [0] the hidden states h_1..h_T (the layer's
// output), and for LSTM [1] the cell states c_1..c_T.
Tensor recurrent_layer(RecurrentCell cell, const Tensor& input, const Tensor& h0, const Tensor& c0,
                       const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh);

}  // namespace d2l
