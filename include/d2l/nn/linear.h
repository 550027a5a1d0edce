#pragma once
#include "d2l/nn/module.h"

namespace d2l::nn {

// y = x W^T + b, with weight (out_features x in_features). PyTorch's default init:
// weight and bias ~ U(-1/sqrt(in_features), 1/sqrt(in_features)).
class Linear : public Module {
 public:
  // dtype: the parameters' (PyTorch's dtype= factory argument), kFloat32 or kFloat64.
  Linear(std::int64_t in_features, std::int64_t out_features, bool bias = true, DType dtype = kFloat32);
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Linear"; }
  std::string extra_repr() const override;
  void reset_parameters();

  std::int64_t in_features, out_features;
  Tensor weight, bias;  // bias undefined when built without one
};

}  // namespace d2l::nn
