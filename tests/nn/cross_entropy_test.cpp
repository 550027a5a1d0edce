// cross_entropy's options (weight, ignore_index, reduction, label_smoothing, class-probability
// targets, inputs (N, C, d1, ...)) against PyTorch 1.13's losses, input gradients and error
// messages (tests/golden/make_cross_entropy_golden.py), and gradient checks in float64.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "d2l/autograd.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "error_of.h"
#include "golden_file.h"
#include "gradcheck.h"
#include "ops/classify_golden.h"

using namespace d2l;
using d2l::testing::all_close;
using d2l::testing::flat_values;
using d2l::testing::gradcheck;
using d2l::testing::shape_of;
using nn::CrossEntropyLossOptions;
using nn::Reduction;
using Inputs = std::vector<Tensor>;

namespace {

const nlohmann::json& golden() { return d2l::testing::golden_file("cross_entropy_golden.json"); }

Shape target_shape(const Shape& input) {
  if (input.size() == 1) return {};
  Shape s{input[0]};
  for (std::size_t d = 2; d < input.size(); ++d) s.push_back(input[d]);
  return s;
}

// The script's grid(): deterministic, distinct values.
Tensor grid(const Shape& shape, double scale, double shift, DType dtype = kFloat64) {
  const std::int64_t n = numel(shape);
  std::vector<double> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = static_cast<double>((i * 7919) % n) * scale + shift;
  return from_vector(v, shape).to(dtype);
}

Tensor class_weight(std::int64_t classes, DType dtype = kFloat64) {
  std::vector<double> w;
  for (std::int64_t k = 0; k < classes; ++k) w.push_back(0.5 + 0.3 * static_cast<double>(k));
  return from_vector(w, {classes}).to(dtype);
}

struct Case {
  Shape shape;
  Tensor target;
  CrossEntropyLossOptions options;
};

Case read_case(const nlohmann::json& c, DType dtype) {
  Case out;
  out.shape = shape_of(c["shape"]);
  const std::int64_t classes = out.shape.size() == 1 ? out.shape[0] : out.shape[1];
  if (c["target_kind"] == "index")
    out.target = from_vector(flat_values(c["target"]), target_shape(out.shape)).to(kInt64);
  else
    out.target = from_vector(flat_values(c["target"]), out.shape).to(dtype);
  out.options.reduction(c["reduction"].get<std::string>())
      .ignore_index(c["ignore_index"].get<std::int64_t>())
      .label_smoothing(c["label_smoothing"].get<double>());
  if (c["weight"].get<bool>()) out.options.weight(class_weight(classes, dtype));
  return out;
}

std::string describe(const nlohmann::json& c) {
  return "shape " + c["shape"].dump() + " target " + c["target_kind"].get<std::string>() + " reduction " +
         c["reduction"].get<std::string>() + " weight " + c["weight"].dump() + " ignore_index " +
         c["ignore_index"].dump() + " label_smoothing " + c["label_smoothing"].dump() +
         (c.contains("name") ? " " + c["name"].get<std::string>() : "");
}

void check_case(const nlohmann::json& c, DType dtype, double rtol, double atol, bool module) {
  SCOPED_TRACE(describe(c));
  const Case k = read_case(c, dtype);
  Tensor x = grid(k.shape, 0.37, -2.9, dtype).requires_grad_();
  Tensor loss = module ? nn::CrossEntropyLoss(k.options)(x, k.target) : nn::functional::cross_entropy(x, k.target, k.options);
  EXPECT_EQ(loss.dtype(), dtype);
  EXPECT_EQ(loss.shape(), shape_of(c["loss_shape"]));
  const auto got_loss = loss.to_vector<double>();
  ASSERT_EQ(got_loss.size(), c["loss"].size());
  for (std::size_t i = 0; i < got_loss.size(); ++i) {
    const auto& want = c["loss"][i];
    if (want.is_null()) {  // the script's NaN
      EXPECT_TRUE(std::isnan(got_loss[i])) << got_loss[i];
    } else {
      EXPECT_NEAR(got_loss[i], want.get<double>(), atol + rtol * std::abs(want.get<double>()));
    }
  }
  loss.backward(from_vector(flat_values(c["upstream"]), loss.shape()).to(dtype));
  ASSERT_TRUE(x.grad().defined());
  EXPECT_TRUE(all_close(x.grad().to_vector<double>(), flat_values(c["input_grad"]), rtol, atol));
}

TEST(CrossEntropyOptions, EveryCombinationMatchesPyTorch) {
  ASSERT_GE(golden()["cases"].size(), 100u);
  for (const auto& c : golden()["cases"]) check_case(c, kFloat64, 1e-12, 1e-14, /*module=*/false);
}

TEST(CrossEntropyOptions, ModuleMatchesPyTorch) {
  for (const auto& c : golden()["cases"]) check_case(c, kFloat64, 1e-12, 1e-14, /*module=*/true);
}

TEST(CrossEntropyOptions, Float32MatchesPyTorch) {
  for (const auto& c : golden()["cases"]) check_case(c, kFloat32, 2e-5, 2e-6, /*module=*/false);
}

TEST(CrossEntropyOptions, ErrorsWordedAsPyTorch) {
  for (const auto& [name, e] : golden()["errors"].items()) {
    SCOPED_TRACE(name);
    const Shape shape = shape_of(e["shape"]);
    const Tensor x = grid(shape, 0.1, 0.0);
    const Shape tshape = shape_of(e["target_shape"]);
    const Tensor target = from_vector(flat_values(e["target"]), tshape).to(e["target_dtype"] == "int64" ? kInt64 : kFloat64);
    CrossEntropyLossOptions o;
    o.ignore_index(e["ignore_index"].get<std::int64_t>()).label_smoothing(e["label_smoothing"].get<double>());
    if (e["weight"].get<int>() > 0) o.weight(ones({e["weight"].get<std::int64_t>()}, kFloat64));
    const std::string want = e["message"].get<std::string>();
    const std::string got = error_of([&] { nn::functional::cross_entropy(x, target, o); });
    EXPECT_NE(got.find(want), std::string::npos) << "got:  " << got << "\nwant: " << want;
    // The plain overload and the module say the same for the options they share.
    if (o.weight_.defined() || o.ignore_index_ != -100 || o.label_smoothing_ != 0.0) continue;
    const std::string plain = error_of([&] { nn::functional::cross_entropy(x, target); });
    EXPECT_NE(plain.find(want), std::string::npos) << "got:  " << plain << "\nwant: " << want;
    const std::string mod = error_of([&] { nn::CrossEntropyLoss()(x, target); });
    EXPECT_NE(mod.find(want), std::string::npos) << "got:  " << mod << "\nwant: " << want;
  }
}

TEST(CrossEntropyOptions, DefaultIgnoreIndexIsSkippedByThePlainCall) {
  // -100 is PyTorch's default ignore_index: the plain call skips it instead of failing.
  const Tensor x = grid({3, 4}, 0.3, -1.0);
  const Tensor t = tensor({2, -100, 0}, kInt64);
  const double both = nn::functional::cross_entropy(x, t).item();
  const Tensor kept = nn::functional::cross_entropy(x.index_select(0, tensor({0, 2}, kInt64)), tensor({2, 0}, kInt64));
  EXPECT_NEAR(both, kept.item(), 1e-14);
  EXPECT_NEAR(nn::CrossEntropyLoss("none")(x, t).to_vector<double>()[1], 0.0, 0.0);
}

TEST(CrossEntropyOptions, PlainCallTakesTheFusedNode) {
  Tensor x = grid({4, 5}, 0.3, -1.0).requires_grad_();
  EXPECT_STREQ(nn::functional::cross_entropy(x, tensor({1, 0, 4, 2}, kInt64)).grad_fn()->name, "NllLossBackward0");
  EXPECT_STREQ(nn::CrossEntropyLoss()(x, tensor({1, 0, 4, 2}, kInt64)).grad_fn()->name, "NllLossBackward0");
  // ignore_index set but never met: the same values as the fused pass.
  const Tensor t = tensor({1, 0, 4, 2}, kInt64);
  EXPECT_NEAR(nn::functional::cross_entropy(x, t, CrossEntropyLossOptions().ignore_index(3)).item(),
              nn::functional::cross_entropy(x, t).item(), 1e-15);
}

TEST(CrossEntropyOptions, GradcheckEveryOption) {
  const Tensor t2 = tensor({3, 1, 0, 1}, kInt64);
  // -100 is ignored by default; with ignore_index = 1 it would be out of range, so class 0 instead.
  const Tensor t3_default = tensor({{1, 3}, {0, -100}, {2, 1}}, kInt64), t3_one = tensor({{1, 3}, {0, 0}, {2, 1}}, kInt64);
  const Tensor x2 = d2l::testing::uniform({4, 5}, -2, 2, 71);
  const Tensor x3 = d2l::testing::uniform({3, 4, 2}, -2, 2, 72);
  for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None})
    for (bool weighted : {false, true})
      for (double s : {0.0, 0.3})
        for (std::int64_t ignore : {-100, 1}) {
          SCOPED_TRACE(nn::reduction_name(r) + (weighted ? " weighted" : "") + " smoothing " + std::to_string(s) +
                       " ignore " + std::to_string(ignore));
          const Tensor& t3 = ignore == -100 ? t3_default : t3_one;
          auto opts = [&](DType dtype, std::int64_t classes) {
            CrossEntropyLossOptions o;
            o.reduction(r).label_smoothing(s).ignore_index(ignore);
            if (weighted) o.weight(class_weight(classes, dtype));
            return o;
          };
          EXPECT_TRUE(gradcheck(
              [&](const Inputs& v) { return nn::functional::cross_entropy(v[0], t2, opts(v[0].dtype(), 5)); }, {x2}));
          EXPECT_TRUE(gradcheck(
              [&](const Inputs& v) { return nn::functional::cross_entropy(v[0], t3, opts(v[0].dtype(), 4)); }, {x3}));
          if (ignore == -100) {
            // Class-probability targets: the gradient reaches the target too.
            const Tensor p = softmax(d2l::testing::uniform({3, 4, 2}, -1, 1, 73), 1);
            EXPECT_TRUE(gradcheck(
                [&](const Inputs& v) { return nn::functional::cross_entropy(v[0], v[1], opts(v[0].dtype(), 4)); },
                {x3, p}));
          }
        }
}

TEST(CrossEntropyOptions, OptionsBuildAndModuleHoldsWeightAsBuffer) {
  const auto o = CrossEntropyLossOptions().ignore_index(-1).reduction(Reduction::Sum).label_smoothing(0.1);
  EXPECT_EQ(o.ignore_index_, -1);
  EXPECT_EQ(o.reduction_, Reduction::Sum);
  EXPECT_DOUBLE_EQ(o.label_smoothing_, 0.1);
  EXPECT_FALSE(o.weight_.defined());
  EXPECT_EQ(nn::CrossEntropyLoss(o).to_string(), golden()["print"]["options"].get<std::string>());
  EXPECT_EQ(nn::CrossEntropyLoss().to_string(), golden()["print"]["default"].get<std::string>());
  EXPECT_EQ(nn::CrossEntropyLoss("sum").options.reduction_, Reduction::Sum);
  nn::CrossEntropyLoss weighted(CrossEntropyLossOptions().weight(class_weight(3, kFloat32)));
  const auto buffers = weighted.named_buffers();
  ASSERT_EQ(buffers.size(), 1u);
  EXPECT_EQ(buffers[0].first, "weight");
  EXPECT_TRUE(weighted.parameters().empty());
  // .to(kFloat64) converts the weight with the module: float64 logits are then accepted.
  weighted.to(kFloat64);
  EXPECT_EQ(weighted.options.weight_.dtype(), kFloat64);
  EXPECT_NO_THROW(weighted(grid({2, 3}, 0.2, 0.0), tensor({0, 2}, kInt64)));
  const std::string msg =
      error_of([&] { weighted(grid({2, 3}, 0.2, 0.0, kFloat32), tensor({0, 2}, kInt64)); });
  EXPECT_NE(msg.find("expected scalar type Float but found Double"), std::string::npos) << msg;
}

}  // namespace
