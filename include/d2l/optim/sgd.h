#pragma once
// Stochastic gradient descent with momentum, dampening, weight decay and Nesterov momentum,
// step for step the same as torch.optim.SGD.
#include <unordered_map>

#include "d2l/optim/optimizer.h"

namespace d2l::optim {

struct SGDOptions {
  explicit SGDOptions(double lr) : lr_(lr) {}
  SGDOptions& lr(double v) { lr_ = v; return *this; }
  SGDOptions& momentum(double v) { momentum_ = v; return *this; }
  SGDOptions& dampening(double v) { dampening_ = v; return *this; }
  SGDOptions& weight_decay(double v) { weight_decay_ = v; return *this; }
  SGDOptions& nesterov(bool v) { nesterov_ = v; return *this; }
  SGDOptions& maximize(bool v) { maximize_ = v; return *this; }
  double lr_, momentum_ = 0, dampening_ = 0, weight_decay_ = 0;
  bool nesterov_ = false, maximize_ = false;
};

class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, SGDOptions options);
  SGD(std::vector<ParamGroup> groups, SGDOptions defaults);
  void step() override;
  std::string type_name() const override { return "SGD"; }

 private:
  std::unordered_map<TensorImpl*, Tensor> momentum_buffers_;
};

}  // namespace d2l::optim
