// gather (with its scatter-add backward) and one_hot.
#include <algorithm>

#include "kernels/cpu/classify.h"
#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;

Tensor gather(const Tensor& input, std::int64_t dim, const Tensor& index) {
  D2L_CHECK(index.dtype() == kInt64, "gather(): Expected dtype int64 for index, got ", dtype_name(index.dtype()));
  const std::int64_t ndim = std::max<std::int64_t>(input.dim(), 1);
  D2L_CHECK(std::max<std::int64_t>(index.dim(), 1) == ndim,
            "gather(): Index tensor must have the same number of dimensions as input tensor (input shape ",
            shape_str(input.shape()), ", index shape ", shape_str(index.shape()), ")");
  const std::int64_t d = wrap_dim(dim, ndim, "gather");
  const Tensor src = detail::at_least_1d(input);
  const Tensor idx = detail::at_least_1d(index.contiguous());
  for (std::int64_t k = 0; k < ndim; ++k)
    D2L_CHECK(k == d || idx.size(k) <= src.size(k), "gather(): Size does not match at dimension ", k,
              " expected index ", shape_str(index.shape()), " to be smaller than self ", shape_str(input.shape()),
              " apart from dimension ", d);
  const std::int64_t n = src.size(d);
  const std::int64_t* p = idx.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < idx.numel(); ++i)
    D2L_CHECK(p[i] >= 0 && p[i] < n, "gather(): index ", p[i], " is out of bounds for dimension ", d, " with size ", n);
  Tensor out = empty(index.shape(), input.dtype());
  kernels::gather(src, d, idx, detail::at_least_1d(out));
  const Shape in_shape = input.shape();
  // Each gathered element's gradient goes back to where it came from; repeated indices add up.
  return record(out, "GatherBackward0", {input}, {idx}, [in_shape, d, idx](const Tensor& g, const Node&) {
    Tensor gi = zeros(in_shape, g.dtype());
    kernels::scatter_add(detail::at_least_1d(gi), d, idx, detail::at_least_1d(g));
    return autograd::Grads{gi};
  });
}

Tensor one_hot(const Tensor& indices, std::int64_t num_classes) {
  D2L_CHECK(indices.dtype() == kInt64, "one_hot is only applicable to index tensor (int64), got ",
            dtype_name(indices.dtype()));
  D2L_CHECK(num_classes >= -1, "one_hot: num_classes must be -1 (inferred) or non-negative, got ", num_classes);
  const Tensor idx = indices.contiguous();
  const std::int64_t* p = idx.data_ptr<std::int64_t>();
  const std::int64_t n = idx.numel();
  for (std::int64_t i = 0; i < n; ++i)
    D2L_CHECK(p[i] >= 0, "one_hot: Class values must be non-negative, got ", p[i]);
  if (num_classes == -1) {
    D2L_CHECK(n > 0, "one_hot: Can not infer total number of classes from empty tensor; pass num_classes");
    num_classes = *std::max_element(p, p + n) + 1;
  }
  for (std::int64_t i = 0; i < n; ++i)
    D2L_CHECK(p[i] < num_classes, "one_hot: Class values must be smaller than num_classes (", num_classes, "), got ",
              p[i]);
  Shape shape = indices.shape();
  shape.push_back(num_classes);
  Tensor out = zeros(shape, kInt64);
  std::int64_t* o = out.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i) o[i * num_classes + p[i]] = 1;
  return out;
}

}  // namespace d2l
