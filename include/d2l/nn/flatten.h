#pragma once
// nn.Flatten: merges dims start_dim..end_dim (by default all but the batch dim).
#include <cstdint>
#include <string>

#include "d2l/nn/module.h"

namespace d2l::nn {

class Flatten : public Module {
 public:
  explicit Flatten(std::int64_t start = 1, std::int64_t end = -1) : start_dim(start), end_dim(end) {}
  Tensor forward(const Tensor& input) override { return input.flatten(start_dim, end_dim); }
  std::string type_name() const override { return "Flatten"; }
  std::string extra_repr() const override {
    return "start_dim=" + std::to_string(start_dim) + ", end_dim=" + std::to_string(end_dim);
  }
  std::int64_t start_dim, end_dim;
};

}  // namespace d2l::nn
