// In-place variants equal their out-of-place twins, modify the tensor itself (and its
// views), and refuse tensors autograd is tracking.
#include <gtest/gtest.h>

#include <cmath>

#include "d2l/autograd.h"
#include "d2l/ops.h"

using namespace d2l;

TEST(Inplace, UnaryMatchOutOfPlace) {
  const Tensor x = tensor({0.5, 1.0, 2.0, 3.5}, kFloat64);
  struct Case {
    const char* name;
    Tensor (*out_of_place)(const Tensor&);
    Tensor& (Tensor::*in_place)();
  };
  const Case cases[] = {{"neg", d2l::neg, &Tensor::neg_},       {"exp", d2l::exp, &Tensor::exp_},
                        {"log", d2l::log, &Tensor::log_},       {"sqrt", d2l::sqrt, &Tensor::sqrt_},
                        {"abs", d2l::abs, &Tensor::abs_},       {"tanh", d2l::tanh, &Tensor::tanh_},
                        {"sigmoid", d2l::sigmoid, &Tensor::sigmoid_}, {"relu", d2l::relu, &Tensor::relu_}};
  for (const auto& c : cases) {
    Tensor y = x.clone();
    Tensor& r = (y.*c.in_place)();
    EXPECT_TRUE(r.is_same(y)) << c.name;
    EXPECT_EQ(y.to_vector<double>(), c.out_of_place(x).to_vector<double>()) << c.name;
  }
  Tensor y = x.clone();
  y.pow_(3.0);
  EXPECT_EQ(y.to_vector<double>(), pow(x, 3.0).to_vector<double>());
}

TEST(Inplace, WritesThroughViews) {
  Tensor m = zeros({2, 3});
  m.select(0, 1).fill_(2.0).exp_();
  EXPECT_NEAR(m.at({1, 2}), std::exp(2.0), 1e-6);
  EXPECT_EQ(m.at({0, 2}), 0.0);
}

TEST(Inplace, RefusedOnTrackedTensorsOutsideNoGrad) {
  Tensor w = ones({2}).requires_grad_();
  EXPECT_THROW(w.exp_(), Error);
  EXPECT_THROW(w.relu_(), Error);
  {
    NoGradGuard guard;
    w.exp_();
  }
  EXPECT_NEAR(w.at({0}), std::exp(1.0), 1e-6);
  Tensor i = tensor({1, 2}, kInt64);
  EXPECT_THROW(i.exp_(), Error);  // exp of an integer tensor has no integer result
  EXPECT_EQ(i.neg_().to_vector<std::int64_t>(), (std::vector<std::int64_t>{-1, -2}));
}
