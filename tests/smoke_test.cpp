#include <gtest/gtest.h>
#include "d2l/ops.h"
#include "d2l/autograd.h"
#include <iostream>
using namespace d2l;
TEST(Smoke, Basic) {
  Tensor a = tensor({{1.9996, -3.4005}}).requires_grad_();
  std::cout << a << "\n";
  Tensor b = (a * a).sum();
  b.backward();
  std::cout << b << a.grad() << "\n";
  std::cout << randn({3,4,2}) << arange(30.0, kFloat32) / 7 << "\n";
  std::cout << tensor({1e-5, 1.0}) << tensor({3.0}, kInt64) << tensor({1.0}, kFloat64) << (tensor({1.0,2.0}) > 1.5) << "\n";
}
