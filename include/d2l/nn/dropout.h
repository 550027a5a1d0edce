#pragma once
// Dropout: in training, zeroes each element with probability p (drawn from d2l's seeded
// generator) and scales the survivors by 1 / (1 - p), so the expected value is unchanged;
// in evaluation it is the identity.
#include <string>

#include "d2l/nn/module.h"

namespace d2l::nn {

namespace functional {
// input * mask with mask 0 or 1 / (1 - p); the input itself when !training or p == 0.
Tensor dropout(const Tensor& input, double p = 0.5, bool training = true);
}  // namespace functional

class Dropout : public Module {
 public:
  explicit Dropout(double p = 0.5);
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Dropout"; }
  std::string extra_repr() const override;
  double p;
};

}  // namespace d2l::nn
