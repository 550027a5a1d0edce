#include "d2l/optim/sgd.h"

#include <cmath>

#include "d2l/autograd.h"
#include "d2l/ops.h"

namespace d2l::optim {

static Options sgd_defaults(const SGDOptions& o) {
  D2L_CHECK(std::isfinite(o.lr_) && o.lr_ >= 0, "Invalid learning rate: ", o.lr_);
  D2L_CHECK(o.momentum_ >= 0, "Invalid momentum value: ", o.momentum_);
  D2L_CHECK(o.weight_decay_ >= 0, "Invalid weight_decay value: ", o.weight_decay_);
  D2L_CHECK(!o.nesterov_ || (o.momentum_ > 0 && o.dampening_ == 0),
            "Nesterov momentum requires a momentum and zero dampening");
  // Printed like torch 1.13; foreach and differentiable are PyTorch's implementation switches,
  // shown with the values that describe this implementation.
  return {{"lr", o.lr_},
          {"momentum", o.momentum_},
          {"dampening", o.dampening_},
          {"weight_decay", o.weight_decay_},
          {"nesterov", o.nesterov_},
          {"maximize", o.maximize_},
          {"foreach", std::monostate{}},
          {"differentiable", false}};
}

SGD::SGD(std::vector<Tensor> params, SGDOptions options) : Optimizer(sgd_defaults(options)) {
  D2L_CHECK(!params.empty(), "optimizer got an empty parameter list");
  add_param_group(ParamGroup{std::move(params), {}});
}

SGD::SGD(std::vector<ParamGroup> groups, SGDOptions defaults) : Optimizer(sgd_defaults(defaults)) {
  D2L_CHECK(!groups.empty(), "optimizer got an empty parameter list");
  for (auto& g : groups) add_param_group(std::move(g));
}

void SGD::step() {
  NoGradGuard guard;
  for (auto& group : groups_) {
    const double lr = group.number("lr"), momentum = group.number("momentum");
    const double dampening = group.number("dampening"), weight_decay = group.number("weight_decay");
    const bool nesterov = group.flag("nesterov"), maximize = group.flag("maximize");
    for (auto& p : group.params) {
      Tensor d_p = p.grad();
      if (!d_p.defined()) continue;
      if (maximize) d_p = -d_p;
      if (weight_decay != 0) d_p = d_p + p * weight_decay;
      if (momentum != 0) {
        auto [it, first] = momentum_buffers_.try_emplace(p.impl());
        Tensor& buf = it->second;
        if (first) {
          buf = d_p.clone();
        } else {
          buf.mul_(momentum).add_(d_p, 1.0 - dampening);
        }
        d_p = nesterov ? d_p + buf * momentum : buf;
      }
      p.add_(d_p, -lr);
    }
  }
}

}  // namespace d2l::optim
