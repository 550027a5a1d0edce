// Printing: every tensor's repr must equal PyTorch's. The expected strings come from
// tests/golden/make_print_golden.py (run with /usr/bin/python3, which has torch 1.13); it builds
// each tensor under the same name, from the same explicit values, as the table below.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "d2l/autograd.h"
#include "d2l/ops.h"

namespace d2l {
namespace {

const nlohmann::json& print_golden() {
  static const nlohmann::json j = [] {
    std::ifstream f(std::string(D2L_TEST_DATA_DIR) + "/print_golden.json");
    EXPECT_TRUE(f.good()) << "missing tests/data/print_golden.json; run /usr/bin/python3 tests/golden/make_print_golden.py";
    return f.good() ? nlohmann::json::parse(f) : nlohmann::json::object({{"repr", nlohmann::json::object()}});
  }();
  return j;
}

const double kNaN = std::nan("");
const double kInf = INFINITY;

// The tensors of make_print_golden.py's grad_fn_cases(), built the same way.
std::map<std::string, std::function<Tensor()>> grad_fn_builders() {
  auto a = [] { return tensor({{1.0, 2.0}, {3.0, 4.0}}).requires_grad_(); };
  auto b = [] { return tensor({{0.5, -1.0}, {2.0, 0.25}}).requires_grad_(); };
  return {
      {"grad_mul", [=] { return a() * b(); }},
      {"grad_mul_scalar", [=] { return a() * 2.0; }},
      {"grad_add", [=] { return a() + b(); }},
      {"grad_add_scalar", [=] { return a() + 1.0; }},
      {"grad_sub", [=] { return a() - b(); }},
      {"grad_sub_scalar", [=] { return a() - 1.0; }},
      {"grad_div", [=] { return a() / b(); }},
      {"grad_div_scalar", [=] { return a() / 4.0; }},
      {"grad_neg", [=] { return -a(); }},
      {"grad_sum", [=] { return (a() * b()).sum(); }},
      {"grad_sum_dim", [=] { return a().sum({0}); }},
      {"grad_mean", [=] { return a().mean(); }},
      {"grad_mean_dim", [=] { return a().mean({1}); }},
      {"grad_mm", [=] { return a().mm(b()); }},
      {"grad_matmul", [=] { return a().matmul(b()); }},
      {"grad_exp", [=] { return (a() * 0.5).exp(); }},
      {"grad_sqrt", [=] { return a().sqrt(); }},
      {"grad_abs", [=] { return b().abs(); }},
      {"grad_clamp", [=] { return a().clamp(1.5, 3.5); }},
      {"grad_where", [=] {
         Tensor x = a();
         return where(x > 2.5, x, b());
       }},
      {"grad_maximum", [=] { return maximum(a(), b()); }},
      {"grad_minimum", [=] { return minimum(a(), b()); }},
      {"grad_pow_tensor", [=] { return pow(a(), b()); }},
      {"grad_rsub", [=] { return 1.0 - a(); }},
      {"grad_t", [=] { return a().t(); }},
      {"grad_narrow", [=] { return a().narrow(1, 1, 1); }},
      {"grad_slice_step", [] { return arange(6.0, kFloat32).requires_grad_().slice(0, 1, std::nullopt, 2); }},
      {"grad_squeeze", [=] { return a().slice(0, std::nullopt, 1).squeeze(); }},
      {"grad_squeeze_dim", [=] { return a().slice(0, std::nullopt, 1).squeeze(0); }},
      {"grad_clone", [=] { return a().clone(); }},
      {"grad_contiguous", [=] { return a().t().contiguous(); }},
      {"grad_stack", [=] { return stack({a(), b()}); }},
      {"grad_linear_no_bias", [=] { return linear(a(), b(), Tensor()); }},
      {"grad_log", [=] { return a().log(); }},
      {"grad_tanh", [=] { return a().tanh(); }},
      {"grad_sigmoid", [=] { return a().sigmoid(); }},
      {"grad_relu", [=] { return b().relu(); }},
      {"grad_pow", [=] { return a().pow(2); }},
      {"grad_view", [=] { return a().view({4}); }},
      {"grad_transpose", [=] { return a().transpose(0, 1); }},
      {"grad_permute", [=] { return a().permute({1, 0}); }},
      {"grad_select", [=] { return a()[1]; }},
      {"grad_unsqueeze", [=] { return a().unsqueeze(0); }},
      {"grad_expand", [=] { return a()[0].expand({2, 2}); }},
      {"grad_index_select", [=] { return a().index_select(0, tensor({1, 0}, kInt64)); }},
      {"grad_cat", [=] { return cat({a(), b()}); }},
      {"grad_max", [=] { return a().max(); }},
      {"grad_max_dim", [=] { return max(a(), 1).first; }},
      {"grad_linear", [=] { return linear(a(), b(), tensor({1.0, -1.0})); }},
      {"grad_float64", [=] { return a().to(kFloat64); }},
      {"grad_float64_mul", [=] { return a().to(kFloat64) * 3.0; }},
      {"grad_wrap_suffix", [] { return (arange(8.0, kFloat32).requires_grad_() * 1.5) / 7.0; }},
  };
}

std::map<std::string, std::function<Tensor()>> builders() {
  std::map<std::string, std::function<Tensor()>> c = {
      {"fixed_requires_grad", [] { return tensor({{1.9996, -3.4005}}).requires_grad_(); }},
      {"fixed_1d", [] { return tensor({0.5, -0.25, 3.125}); }},
      {"fixed_mixed_width", [] { return tensor({{10.5, -0.25}, {123.456, 7.0}}); }},
      {"int_valued", [] { return tensor({1.0, 2.0, -3.0, 0.0}); }},
      {"int_valued_2d", [] { return arange(12.0, kFloat32).reshape({3, 4}); }},
      {"zeros", [] { return zeros({2, 3}); }},
      {"sci_small", [] { return tensor({1e-5, 1.0}); }},
      {"sci_ratio", [] { return tensor({0.5, 1234.5}); }},
      {"sci_huge", [] { return tensor({1e10}); }},
      {"sci_huge_int_ratio", [] { return tensor({1.0, 2000.0}); }},
      {"sci_negative", [] { return tensor({{-1e-7, 2.5e-3}, {3.0, -4.0e2}}); }},
      {"int64", [] { return arange(10.0); }},
      {"int64_2d", [] { return tensor({{-1, 20}, {300, 4}}, kInt64); }},
      {"float64", [] { return tensor({1.5, -2.25}, kFloat64); }},
      {"float64_requires_grad", [] { return tensor({{1.0, 2.0}}, kFloat64).requires_grad_(); }},
      {"bool", [] { return tensor({1.0, 2.0, 3.0}) > 1.5; }},
      {"bool_2d", [] { return tensor({{1.0, 2.0}, {3.0, 0.0}}) > 1.5; }},
      {"scalar_float", [] { return scalar_tensor(3.5); }},
      {"scalar_int", [] { return scalar_tensor(7, kInt64); }},
      {"scalar_float64", [] { return scalar_tensor(-0.125, kFloat64); }},
      {"empty_1d", [] { return zeros({0}); }},
      {"empty_2d", [] { return zeros({2, 0}); }},
      {"empty_int64", [] { return zeros({0}, kInt64); }},
      {"empty_float64_2d", [] { return zeros({0, 3}, kFloat64); }},
      {"3d", [] { return arange(24.0, kFloat32).reshape({2, 3, 4}) / 10.0; }},
      {"4d", [] { return arange(16.0).reshape({2, 2, 2, 2}); }},
      {"transposed", [] { return arange(6.0, kFloat32).reshape({2, 3}).t(); }},
      {"long_1d", [] { return arange(30.0, kFloat32) / 7.0; }},
      {"long_int64", [] { return arange(100, 160); }},
      {"summarized_1d", [] { return arange(2000.0, kFloat32); }},
      {"summarized_2d", [] { return arange(1200.0, kFloat32).reshape({30, 40}) / 3.0; }},
      {"summarized_3d", [] { return arange(1331.0).reshape({11, 11, 11}); }},
      {"summarized_narrow", [] { return arange(1010.0, kFloat32).reshape({1010, 1}); }},
      {"nan_inf", [] { return tensor({kNaN, kInf, -kInf, 1.5}); }},
      {"nan_int_valued", [] { return tensor({1.0, kNaN, 2.0}); }},
      {"all_nan", [] { return tensor({kNaN, kNaN}); }},
      {"inf_sci", [] { return tensor({kInf, 1e-6, 1.0}); }},
  };
  c.merge(grad_fn_builders());
  return c;
}

TEST(Print, MatchesPyTorchRepr) {
  const auto& golden = print_golden()["repr"];
  const auto build = builders();
  ASSERT_GE(golden.size(), 60u) << "golden file is incomplete";
  for (const auto& [name, expected] : golden.items()) {
    SCOPED_TRACE(name);
    auto it = build.find(name);
    ASSERT_NE(it, build.end()) << "no C++ builder for golden case " << name;
    EXPECT_EQ(it->second().to_string(), expected.get<std::string>());
  }
  // ...and no builder without its golden string (a renamed case would otherwise go unchecked).
  for (const auto& [name, fn] : build) EXPECT_TRUE(golden.contains(name)) << "no golden string for " << name;
}

TEST(Print, StreamOperatorMatchesToString) {
  const Tensor t = tensor({{1.9996, -3.4005}}).requires_grad_();
  std::ostringstream os;
  os << t;
  EXPECT_EQ(os.str(), "tensor([[ 1.9996, -3.4005]], requires_grad=True)");
  EXPECT_EQ(Tensor().to_string(), "tensor(undefined)");
}

// Printing reads values, it must not change the tensor or record a graph.
TEST(Print, DoesNotRecordOrModify) {
  Tensor a = tensor({1.0, 2.0}).requires_grad_();
  Tensor b = a * 3.0;
  (void)b.to_string();
  EXPECT_TRUE(a.is_leaf());
  EXPECT_FALSE(a.grad().defined());
  b.sum().backward();
  EXPECT_EQ(a.grad().to_vector<float>(), (std::vector<float>{3.0f, 3.0f}));
}

}  // namespace
}  // namespace d2l
