// Module::to(DType) / double_() / float_() and the layers' dtype option: parameters and
// buffers converted in place (the handles stay the module's), integer buffers untouched, and
// whole models gradient-checked end to end in float64.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>

#include "d2l/autograd.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "d2l/random.h"
#include "error_of.h"
#include "gradcheck.h"

using namespace d2l;
using d2l::testing::gradcheck;
using d2l::testing::uniform;
using std::make_shared;

namespace {

// A module with one float buffer and one int64 buffer, as BatchNorm's running_mean and
// num_batches_tracked.
class WithBuffers : public nn::Module {
 public:
  WithBuffers() {
    scale = register_parameter("scale", ones({3}));
    running = register_buffer("running", full({3}, 0.5));
    count = register_buffer("count", scalar_tensor(7, kInt64));
  }
  Tensor forward(const Tensor& x) override { return x * scale + running; }
  std::string type_name() const override { return "WithBuffers"; }
  Tensor scale, running, count;
};

// Central differences of `loss` with respect to every element of every float64 parameter,
// against the gradients backward() left in them.
::testing::AssertionResult check_parameter_grads(nn::Module& net, const std::function<Tensor()>& loss) {
  net.zero_grad();
  loss().backward();
  const double eps = 1e-6;
  for (auto& [name, p] : net.named_parameters()) {
    if (p.dtype() != kFloat64) return ::testing::AssertionFailure() << name << " is " << dtype_name(p.dtype());
    if (!p.grad().defined()) return ::testing::AssertionFailure() << name << " has no grad";
    const auto analytic = p.grad().to_vector<double>();
    NoGradGuard no_grad;
    double* data = p.data_ptr<double>();
    for (std::int64_t k = 0; k < p.numel(); ++k) {
      const double original = data[k];
      data[k] = original + eps;
      const double plus = loss().item();
      data[k] = original - eps;
      const double minus = loss().item();
      data[k] = original;
      const double numeric = (plus - minus) / (2 * eps);
      const double a = analytic[static_cast<std::size_t>(k)];
      if (!(std::abs(a - numeric) <= 1e-7 + 1e-6 * std::abs(numeric)))
        return ::testing::AssertionFailure() << name << " element " << k << ": analytic " << a << ", numeric " << numeric;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(ModuleTo, ConvertsParametersInPlaceAndReturnsTheModule) {
  manual_seed(1);
  auto net = make_shared<nn::Sequential>(make_shared<nn::Linear>(4, 5), make_shared<nn::Tanh>(),
                                         make_shared<nn::Linear>(5, 3));
  const auto before = net->named_parameters();
  std::vector<std::vector<double>> values;
  for (const auto& [name, p] : before) values.push_back(p.to_vector<double>());
  // A gradient from a float32 step converts with its parameter.
  sum((*net)(ones({2, 4}))).backward();
  const std::vector<Tensor> optimizer_view = net->parameters();

  nn::Module& same = net->double_();
  EXPECT_EQ(&same, net.get());
  const auto after = net->named_parameters();
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    SCOPED_TRACE(after[i].first);
    EXPECT_EQ(after[i].first, before[i].first);
    EXPECT_TRUE(after[i].second.is_same(before[i].second));  // the same tensor, not a new one
    EXPECT_TRUE(optimizer_view[i].is_same(after[i].second));
    EXPECT_EQ(after[i].second.dtype(), kFloat64);
    EXPECT_TRUE(after[i].second.requires_grad());
    EXPECT_TRUE(after[i].second.is_leaf());
    EXPECT_EQ(after[i].second.to_vector<double>(), values[i]);  // float32 values widen exactly
    ASSERT_TRUE(after[i].second.grad().defined());
    EXPECT_EQ(after[i].second.grad().dtype(), kFloat64);
  }
  EXPECT_EQ(net->at<nn::Linear>(0)->weight.dtype(), kFloat64);
  EXPECT_EQ((*net)(ones({2, 4}, kFloat64)).dtype(), kFloat64);

  net->float_();
  for (const auto& [name, p] : net->named_parameters()) EXPECT_EQ(p.dtype(), kFloat32) << name;
  EXPECT_EQ(&net->to(kFloat32), net.get());  // already float32: nothing to do
  const std::string msg = error_of([&] { net->to(kInt64); });
  EXPECT_NE(msg.find("only accepts floating point"), std::string::npos) << msg;
}

TEST(ModuleTo, FloatBuffersConvertIntegerBuffersStay) {
  WithBuffers m;
  EXPECT_EQ(m.named_buffers().size(), 2u);
  EXPECT_EQ(m.named_buffers()[0].first, "running");
  EXPECT_TRUE(m.parameters().size() == 1 && m.parameters()[0].is_same(m.scale));
  m.to(kFloat64);
  EXPECT_EQ(m.scale.dtype(), kFloat64);
  EXPECT_EQ(m.running.dtype(), kFloat64);
  EXPECT_FALSE(m.running.requires_grad());
  EXPECT_EQ(m.running.to_vector<double>(), (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(m.count.dtype(), kInt64);
  EXPECT_EQ(m.count.item<std::int64_t>(), 7);
  // Nested: the child's buffers are listed with its prefix and converted with the parent.
  nn::Sequential seq(make_shared<WithBuffers>());
  EXPECT_EQ(seq.named_buffers()[1].first, "0.count");
  seq.double_();
  EXPECT_EQ(seq.at<WithBuffers>(0)->running.dtype(), kFloat64);
  EXPECT_THROW(m.register_buffer("scale", zeros({1})), Error);  // names shared with parameters
}

TEST(ModuleTo, LayersTakeADtype) {
  nn::Linear lin(3, 2, true, kFloat64);
  EXPECT_EQ(lin.weight.dtype(), kFloat64);
  EXPECT_EQ(lin.bias.dtype(), kFloat64);
  EXPECT_FALSE(nn::Linear(3, 2, false, kFloat64).bias.defined());
  nn::Embedding emb(5, 3, kFloat64);
  EXPECT_EQ(emb.weight.dtype(), kFloat64);
  EXPECT_EQ(emb(tensor({1, 4}, kInt64)).dtype(), kFloat64);
  nn::LSTM lstm(nn::RNNOptions(3, 2).dtype(kFloat64));
  for (const auto& p : lstm.parameters()) EXPECT_EQ(p.dtype(), kFloat64);
  EXPECT_THROW(nn::Linear(3, 2, true, kInt64), Error);
  EXPECT_THROW(nn::Embedding(3, 2, kInt64), Error);
  // Same draws as float32, widened: the dtype changes the storage, not the init.
  manual_seed(3);
  nn::Linear a(4, 3);
  manual_seed(3);
  nn::Linear b(4, 3, true, kFloat64);
  const auto wa = a.weight.to_vector<double>(), wb = b.weight.to_vector<double>();
  for (std::size_t i = 0; i < wa.size(); ++i) EXPECT_NEAR(wa[i], wb[i], 1e-7);
}

TEST(ModuleTo, GradcheckSequentialEndToEndInFloat64) {
  manual_seed(2);
  auto net = make_shared<nn::Sequential>(make_shared<nn::Linear>(4, 5), make_shared<nn::Tanh>(),
                                         make_shared<nn::Linear>(5, 3));
  net->double_();
  const Tensor x = uniform({6, 4}, -1, 1, 91);
  const Tensor y = tensor({0, 2, 1, 1, 0, 2}, kInt64);
  nn::CrossEntropyLoss loss_fn(nn::CrossEntropyLossOptions().label_smoothing(0.1));
  EXPECT_TRUE(check_parameter_grads(*net, [&] { return loss_fn((*net)(x), y); }));
  d2l::testing::GradcheckOptions opt;
  opt.check_float32 = false;  // the parameters are float64 now
  EXPECT_TRUE(gradcheck([&](const std::vector<Tensor>& v) { return (*net)(v[0]); }, {x}, opt));
}

// Embedding -> GRU (2 layers) -> Linear on the last output, all converted by one .double_().
class TinyRNNModel : public nn::Module {
 public:
  TinyRNNModel() {
    embedding = register_module("embedding", make_shared<nn::Embedding>(6, 3));
    rnn = register_module("rnn", make_shared<nn::GRU>(nn::RNNOptions(3, 4).num_layers(2).batch_first(true)));
    head = register_module("head", make_shared<nn::Linear>(4, 6));
  }
  Tensor forward(const Tensor& tokens) override {
    auto [out, h] = (*rnn)((*embedding)(tokens));
    return (*head)(out.reshape({-1, 4}));
  }
  std::string type_name() const override { return "TinyRNNModel"; }
  std::shared_ptr<nn::Embedding> embedding;
  std::shared_ptr<nn::GRU> rnn;
  std::shared_ptr<nn::Linear> head;
};

TEST(ModuleTo, GradcheckRNNModelEndToEndInFloat64) {
  manual_seed(4);
  TinyRNNModel model;
  model.double_();
  for (const auto& [name, p] : model.named_parameters()) EXPECT_EQ(p.dtype(), kFloat64) << name;
  EXPECT_EQ(model.rnn->weight_ih(1).dtype(), kFloat64);  // the layer's own handles converted too
  const Tensor tokens = tensor({{0, 3, 5, 1}, {2, 2, 4, 0}}, kInt64);  // (batch, steps)
  const Tensor y = tensor({3, 5, 1, 0, 2, 4, 0, 1}, kInt64);
  EXPECT_TRUE(check_parameter_grads(model, [&] { return nn::functional::cross_entropy(model(tokens), y); }));
}

}  // namespace
