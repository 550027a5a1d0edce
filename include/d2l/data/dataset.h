#pragma once
// Datasets: indexable collections of (data, target) examples.
#include <cstdint>
#include <vector>

#include "d2l/tensor.h"

namespace d2l::data {

// One example or one batch; `auto [X, y] = ...` unpacks it.
struct Example {
  Tensor data;
  Tensor target;
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual std::int64_t size() const = 0;
  virtual Example get(std::int64_t index) const = 0;
  // The examples at `indices`, stacked along a new first dim. Datasets backed by one
  // contiguous array override this with a row gather.
  virtual Example get_batch(const std::vector<std::int64_t>& indices) const;
};

// Wraps a features tensor and a labels tensor with the same first dim (torch's TensorDataset).
class TensorDataset : public Dataset {
 public:
  TensorDataset(Tensor features, Tensor labels);
  std::int64_t size() const override { return features_.size(0); }
  Example get(std::int64_t index) const override;
  Example get_batch(const std::vector<std::int64_t>& indices) const override;

 private:
  Tensor features_, labels_;
};

}  // namespace d2l::data
