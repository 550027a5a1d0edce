#include "d2l/data/dataset.h"

#include <cstring>

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

// Copies the rows at `indices` of a contiguous tensor into a fresh batch tensor.
static Tensor gather_rows(const Tensor& source, const std::vector<std::int64_t>& indices) {
  Shape shape = source.shape();
  const std::int64_t n = shape[0];
  shape[0] = static_cast<std::int64_t>(indices.size());
  Tensor batch = empty(shape, source.dtype());
  const std::size_t row_bytes = static_cast<std::size_t>(n ? source.numel() / n : 0) * element_size(source.dtype());
  const char* src = static_cast<const char*>(source.raw_data());
  char* dst = static_cast<char*>(batch.raw_data());
  for (std::size_t i = 0; i < indices.size(); ++i) {
    D2L_CHECK(indices[i] >= 0 && indices[i] < n, "TensorDataset: index ", indices[i], " out of range for ", n,
              " examples");
    std::memcpy(dst + i * row_bytes, src + static_cast<std::size_t>(indices[i]) * row_bytes, row_bytes);
  }
  return batch;
}

Example TensorDataset::get_batch(const std::vector<std::int64_t>& indices) const {
  return {gather_rows(features_, indices), gather_rows(labels_, indices)};
}

}  // namespace d2l::data
