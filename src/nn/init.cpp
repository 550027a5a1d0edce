#include "d2l/nn/init.h"

#include <cmath>

#include "d2l/autograd.h"

namespace d2l::nn::init {

Tensor normal_(Tensor t, double mean, double std) {
  NoGradGuard guard;
  t.normal_(mean, std);
  return t;
}

Tensor uniform_(Tensor t, double a, double b) {
  NoGradGuard guard;
  t.uniform_(a, b);
  return t;
}

Tensor constant_(Tensor t, double value) {
  NoGradGuard guard;
  t.fill_(value);
  return t;
}

Tensor zeros_(Tensor t) { return constant_(std::move(t), 0.0); }
Tensor ones_(Tensor t) { return constant_(std::move(t), 1.0); }

std::pair<std::int64_t, std::int64_t> calculate_fan_in_and_fan_out(const Tensor& t) {
  D2L_CHECK(t.dim() >= 2, "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape ",
            shape_str(t.shape()), ")");
  std::int64_t receptive = 1;
  for (std::int64_t d = 2; d < t.dim(); ++d) receptive *= t.size(d);
  return {t.size(1) * receptive, t.size(0) * receptive};
}

Tensor xavier_uniform_(Tensor t, double gain) {
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  const double a = gain * std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  return uniform_(std::move(t), -a, a);
}

Tensor xavier_normal_(Tensor t, double gain) {
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  return normal_(std::move(t), 0.0, gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out)));
}

Tensor kaiming_uniform_(Tensor t, double a) {
  const auto fan_in = calculate_fan_in_and_fan_out(t).first;
  if (fan_in == 0) return t;  // an empty weight: nothing to draw
  const double gain = std::sqrt(2.0 / (1.0 + a * a));
  const double bound = gain * std::sqrt(3.0 / static_cast<double>(fan_in));
  return uniform_(std::move(t), -bound, bound);
}

}  // namespace d2l::nn::init
