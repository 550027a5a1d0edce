#include "d2l/data/dataset.h"

#include "d2l/autograd.h"
#include "d2l/ops.h"

namespace d2l::data {

Example Dataset::get_batch(const std::vector<std::int64_t>& indices) const {
  std::vector<Tensor> xs, ys;
  for (auto i : indices) {
    Example e = get(i);
    xs.push_back(e.data);
    ys.push_back(e.target);
  }
  return {stack(xs), stack(ys)};
}

TensorDataset::TensorDataset(Tensor features, Tensor labels)
    : features_(std::move(features).contiguous()), labels_(std::move(labels).contiguous()) {
  D2L_CHECK(features_.dim() >= 1 && labels_.dim() >= 1 && features_.size(0) == labels_.size(0),
            "TensorDataset: size mismatch between tensors (features ", shape_str(features_.shape()), ", labels ",
            shape_str(labels_.shape()), ")");
}

Example TensorDataset::get(std::int64_t index) const {
  D2L_CHECK(index >= 0 && index < size(), "TensorDataset: index ", index, " out of range for ", size(), " examples");
  return {features_[index], labels_[index]};
}

Example TensorDataset::get_batch(const std::vector<std::int64_t>& indices) const {
  // Copy the rows straight into fresh contiguous batch tensors.
  NoGradGuard guard;
  const Tensor idx = from_vector(indices);
  return {index_select(features_, 0, idx), index_select(labels_, 0, idx)};
}

}  // namespace d2l::data
