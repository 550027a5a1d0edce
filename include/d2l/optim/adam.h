#pragma once
// Adam (with weight decay, AMSGrad and maximize), step for step the same as torch.optim.Adam.
#include <unordered_map>
#include <utility>

#include "d2l/optim/optimizer.h"

namespace d2l::optim {

struct AdamOptions {
  explicit AdamOptions(double lr = 1e-3) : lr_(lr) {}
  AdamOptions& lr(double v) { lr_ = v; return *this; }
  AdamOptions& betas(std::pair<double, double> v) { betas_ = v; return *this; }
  AdamOptions& eps(double v) { eps_ = v; return *this; }
  AdamOptions& weight_decay(double v) { weight_decay_ = v; return *this; }
  AdamOptions& amsgrad(bool v) { amsgrad_ = v; return *this; }
  AdamOptions& maximize(bool v) { maximize_ = v; return *this; }
  double lr_;
  std::pair<double, double> betas_{0.9, 0.999};
  double eps_ = 1e-8, weight_decay_ = 0;
  bool amsgrad_ = false, maximize_ = false;
};

class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, AdamOptions options = AdamOptions());
  Adam(std::vector<ParamGroup> groups, AdamOptions defaults = AdamOptions());
  void step() override;
  std::string type_name() const override { return "Adam"; }

 private:
  // torch's per-parameter state: the step count and the moment estimates.
  struct State {
    double step = 0;
    Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;
  };
  std::unordered_map<TensorImpl*, State> state_;
};

}  // namespace d2l::optim
