// The vectorizable float32 exp / tanh / sigmoid (kernels/cpu/vec_math.h) against the C
// library's float64 results: within 2 ulp over the whole range, and the special values.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/cpu/vec_math.h"

namespace d2l::kernels {
namespace {

// Distance in units in the last place between a float and the float nearest an exact value;
// results below FLT_MIN (denormals) count by their absolute error instead.
std::int64_t ulps(float got, double exact) {
  if (std::abs(exact) < std::numeric_limits<float>::min())
    return std::abs(got - exact) <= std::numeric_limits<float>::denorm_min() ? 0 : 1000000;
  const auto a = std::bit_cast<std::int32_t>(got), b = std::bit_cast<std::int32_t>(static_cast<float>(exact));
  return std::abs(static_cast<std::int64_t>(a) - b);
}

TEST(VecMath, WithinTwoUlpOverTheRange) {
  std::int64_t worst_exp = 0, worst_tanh = 0, worst_sigmoid = 0;
  for (double v = -110; v < 110; v += 0.0013) {
    const float x = static_cast<float>(v);
    const double xd = x;
    if (x <= 0) worst_exp = std::max(worst_exp, ulps(vec::exp_nonpositive(x), std::exp(xd)));
    worst_tanh = std::max(worst_tanh, ulps(vec::tanh(x), std::tanh(xd)));
    worst_sigmoid = std::max(worst_sigmoid, ulps(vec::sigmoid(x), 1.0 / (1.0 + std::exp(-xd))));
  }
  for (float x : {1e-30f, -1e-8f, 1e-5f, 0.3f, -0.6249f, 0.625f, 0.63f}) {
    worst_tanh = std::max(worst_tanh, ulps(vec::tanh(x), std::tanh(static_cast<double>(x))));
  }
  EXPECT_LE(worst_exp, 2);
  EXPECT_LE(worst_tanh, 2);
  EXPECT_LE(worst_sigmoid, 2);
}

TEST(VecMath, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(vec::exp_nonpositive(0.0f), 1.0f);
  EXPECT_EQ(vec::exp_nonpositive(-inf), 0.0f);
  EXPECT_EQ(vec::exp_nonpositive(-104.5f), 0.0f);
  EXPECT_GT(vec::exp_nonpositive(-103.0f), 0.0f);  // a denormal, not flushed
  EXPECT_TRUE(std::isnan(vec::exp_nonpositive(nan)));
  EXPECT_EQ(vec::tanh(inf), 1.0f);
  EXPECT_EQ(vec::tanh(-inf), -1.0f);
  EXPECT_EQ(vec::tanh(20.0f), 1.0f);
  EXPECT_TRUE(std::signbit(vec::tanh(-0.0f)));
  EXPECT_TRUE(std::isnan(vec::tanh(nan)));
  EXPECT_EQ(vec::sigmoid(0.0f), 0.5f);
  EXPECT_EQ(vec::sigmoid(inf), 1.0f);
  EXPECT_EQ(vec::sigmoid(-inf), 0.0f);
  EXPECT_GT(vec::sigmoid(-100.0f), 0.0f);
  EXPECT_TRUE(std::isnan(vec::sigmoid(nan)));
}

}  // namespace
}  // namespace d2l::kernels
