#include "d2l/optim/adam.h"

#include <algorithm>
#include <cmath>

#include "d2l/autograd.h"
#include "d2l/ops.h"

namespace d2l::optim {

static Options adam_defaults(const AdamOptions& o) {
  D2L_CHECK(std::isfinite(o.lr_) && o.lr_ >= 0, "Invalid learning rate: ", o.lr_);
  D2L_CHECK(o.eps_ >= 0, "Invalid epsilon value: ", o.eps_);
  D2L_CHECK(o.betas_.first >= 0 && o.betas_.first < 1, "Invalid beta parameter at index 0: ", o.betas_.first);
  D2L_CHECK(o.betas_.second >= 0 && o.betas_.second < 1, "Invalid beta parameter at index 1: ", o.betas_.second);
  D2L_CHECK(o.weight_decay_ >= 0, "Invalid weight_decay value: ", o.weight_decay_);
  // Printed like torch 1.13; foreach, capturable, differentiable and fused are PyTorch's
  // implementation switches, shown with the values that describe this implementation.
  return {{"lr", o.lr_},
          {"betas", o.betas_},
          {"eps", o.eps_},
          {"weight_decay", o.weight_decay_},
          {"amsgrad", o.amsgrad_},
          {"maximize", o.maximize_},
          {"foreach", std::monostate{}},
          {"capturable", false},
          {"differentiable", false},
          {"fused", false}};
}

Adam::Adam(std::vector<Tensor> params, AdamOptions options) : Optimizer(adam_defaults(options)) {
  D2L_CHECK(!params.empty(), "optimizer got an empty parameter list");
  add_param_group(ParamGroup{std::move(params), {}});
}

Adam::Adam(std::vector<ParamGroup> groups, AdamOptions defaults) : Optimizer(adam_defaults(defaults)) {
  D2L_CHECK(!groups.empty(), "optimizer got an empty parameter list");
  for (auto& g : groups) add_param_group(std::move(g));
}

namespace {

struct AdamStep {
  double lr, beta1, beta2, eps, weight_decay;
  bool amsgrad, maximize;
  double step;  // this update's number, from 1
};

// One parameter's update in one pass, each operation in torch's order and precision (its
// scalars are cast to the parameter's type, as torch's kernels do):
//   grad += weight_decay * p; m = m * beta1 + (1 - beta1) * grad;
//   v = v * beta2 + (1 - beta2) * grad * grad; denom = sqrt(v) / sqrt(1 - beta2^step) + eps;
//   p += (-lr / (1 - beta1^step)) * m / denom.
template <class T>
void adam_update(const AdamStep& s, T* p, const T* g, T* m, T* v, T* v_max, std::int64_t n) {
  const T b1 = static_cast<T>(s.beta1), b2 = static_cast<T>(s.beta2);
  const T one_minus_b1 = static_cast<T>(1 - s.beta1), one_minus_b2 = static_cast<T>(1 - s.beta2);
  const T wd = static_cast<T>(s.weight_decay), eps = static_cast<T>(s.eps);
  const double bias_correction1 = 1 - std::pow(s.beta1, s.step);
  const T bias_correction2_sqrt = static_cast<T>(std::sqrt(1 - std::pow(s.beta2, s.step)));
  const T neg_step_size = static_cast<T>(-(s.lr / bias_correction1));
  for (std::int64_t i = 0; i < n; ++i) {
    T grad = s.maximize ? -g[i] : g[i];
    if (s.weight_decay != 0) grad = grad + wd * p[i];
    m[i] = m[i] * b1 + one_minus_b1 * grad;
    v[i] = v[i] * b2 + one_minus_b2 * grad * grad;
    T second = v[i];
    if (v_max) second = v_max[i] = std::max(v_max[i], v[i]);
    const T denom = std::sqrt(second) / bias_correction2_sqrt + eps;
    p[i] = p[i] + neg_step_size * m[i] / denom;
  }
}

}  // namespace

void Adam::step() {
  NoGradGuard guard;
  for (auto& group : groups_) {
    const auto [beta1, beta2] = group.number_pair("betas");
    AdamStep s{
        group.number("lr"),     beta1, beta2, group.number("eps"), group.number("weight_decay"), group.flag("amsgrad"),
        group.flag("maximize"), 0};
    for (auto& p : group.params) {
      const Tensor grad = p.grad();
      if (!grad.defined()) continue;
      D2L_CHECK(is_floating(p.dtype()), "Adam: parameter is ", dtype_name(p.dtype()), "; expected floating point");
      auto [it, first] = state_.try_emplace(p.impl());
      State& st = it->second;
      if (first) {
        st.exp_avg = zeros(p.shape(), p.dtype());
        st.exp_avg_sq = zeros(p.shape(), p.dtype());
        if (s.amsgrad) st.max_exp_avg_sq = zeros(p.shape(), p.dtype());
      }
      st.step += 1;
      s.step = st.step;
      // The update runs over contiguous buffers; a strided parameter is updated through a copy.
      Tensor target = p.is_contiguous() ? p : p.detach().contiguous();
      const Tensor g = grad.to(p.dtype()).contiguous();
      D2L_DISPATCH_FLOATING(p.dtype(), [&] {
        using T = scalar_t;
        adam_update<T>(s, target.data_ptr<T>(), g.data_ptr<T>(), st.exp_avg.data_ptr<T>(), st.exp_avg_sq.data_ptr<T>(),
                       st.max_exp_avg_sq.defined() ? st.max_exp_avg_sq.data_ptr<T>() : nullptr, p.numel());
      });
      // Written through raw pointers: mark the write, as the in-place ops do, so a graph that
      // saved the old values refuses to backward.
      if (target.is_same(p)) p.bump_version();
      else p.copy_(target);
    }
  }
}

}  // namespace d2l::optim
