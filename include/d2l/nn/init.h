#pragma once
// torch.nn.init: fill a parameter in place, without recording a graph.
#include "d2l/tensor.h"

namespace d2l::nn::init {

Tensor normal_(Tensor t, double mean = 0.0, double std = 1.0);
Tensor uniform_(Tensor t, double a = 0.0, double b = 1.0);
Tensor constant_(Tensor t, double value);
Tensor zeros_(Tensor t);
Tensor ones_(Tensor t);
// Glorot: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).
Tensor xavier_uniform_(Tensor t, double gain = 1.0);
// Glorot: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)).
Tensor xavier_normal_(Tensor t, double gain = 1.0);
// He (leaky_relu gain with slope a), fan_in mode: U(-b, b), b = gain * sqrt(3 / fan_in).
Tensor kaiming_uniform_(Tensor t, double a = 0.0);
// (fan_in, fan_out) of a weight, as torch.nn.init._calculate_fan_in_and_fan_out.
std::pair<std::int64_t, std::int64_t> calculate_fan_in_and_fan_out(const Tensor& t);

}  // namespace d2l::nn::init
