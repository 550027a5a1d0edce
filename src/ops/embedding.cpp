// embedding: a row lookup, with its scatter-add backward.
#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;

Tensor embedding(const Tensor& weight, const Tensor& indices) {
  D2L_CHECK(weight.dim() == 2, "embedding(): weight must be 2-D (num_embeddings, embedding_dim), got shape ",
            shape_str(weight.shape()));
  D2L_CHECK(indices.dtype() == kInt64,
            "embedding(): Expected tensor for argument #1 'indices' to have scalar type "
            "Long (int64); but got ",
            dtype_name(indices.dtype()), " instead");
  const Tensor idx = indices.contiguous().reshape({-1});
  const std::int64_t rows = weight.size(0);
  const std::int64_t* p = idx.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < idx.numel(); ++i)
    D2L_CHECK(p[i] >= 0 && p[i] < rows, "embedding(): index ", p[i], " is out of range for an embedding of ", rows,
              " rows (valid indices are 0..", rows - 1, ")");
  Shape shape = indices.shape();
  shape.push_back(weight.size(1));
  Tensor out = empty(shape, weight.dtype());
  const Tensor src = weight.is_contiguous() ? weight.detach() : weight.detach().contiguous();
  kernels::index_select(src, 0, idx, out.detach().view({idx.numel(), weight.size(1)}));
  if (!autograd::any_requires_grad(weight)) return out;
  const Shape weight_shape = weight.shape();
  return record(out, "EmbeddingBackward0", {weight}, {idx}, [weight_shape, idx](const Tensor& g, const Node&) {
    Tensor gw = zeros(weight_shape, g.dtype());
    kernels::index_add(gw, 0, idx, g.contiguous().view({idx.numel(), weight_shape[1]}));
    return autograd::Grads{gw};
  });
}

}  // namespace d2l
