// nn::RNN / GRU / LSTM against torch.nn (outputs and gradients for fixed weights and inputs,
// print(module); golden values from tests/golden/make_rnn_golden.py), PyTorch's names and
// init, and gradient checks of the stacked layers through their inputs and initial states.
#include "d2l/nn/rnn.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "d2l/autograd.h"
#include "d2l/nn/embedding.h"
#include "d2l/ops.h"
#include "d2l/random.h"
#include "error_of.h"
#include "golden_file.h"
#include "gradcheck.h"

namespace d2l {
namespace {

using nlohmann::json;
using testing::gradcheck;
using testing::GradcheckOptions;
using testing::uniform;

const json& golden() { return testing::golden_file("rnn_golden.json"); }

Shape shape_of(const json& j) { return j.get<std::vector<std::int64_t>>(); }

Tensor values64(const json& values, const Shape& shape) {
  return from_vector(values.get<std::vector<double>>(), shape);
}

void expect_close(const Tensor& got, const json& want, const std::string& what, double tol = 1e-12) {
  ASSERT_TRUE(got.defined()) << what;
  const auto g = got.to_vector<double>();
  const auto w = want.get<std::vector<double>>();
  ASSERT_EQ(g.size(), w.size()) << what;
  for (std::size_t i = 0; i < w.size(); ++i)
    EXPECT_NEAR(g[i], w[i], tol * std::max(1.0, std::abs(w[i]))) << what << " element " << i;
}

// The module a golden case was made with, in float64, its parameters set from the file.
std::shared_ptr<nn::RNNBase> build(const json& c) {
  const json& kw = c["kwargs"];
  const auto& sizes = golden()["sizes"];
  nn::RNNOptions o(sizes["input"].get<std::int64_t>(), sizes["hidden"].get<std::int64_t>());
  o.dtype(kFloat64);
  if (kw.contains("num_layers")) o.num_layers(kw["num_layers"].get<std::int64_t>());
  if (kw.contains("bias")) o.bias(kw["bias"].get<bool>());
  if (kw.contains("nonlinearity")) o.nonlinearity(kw["nonlinearity"].get<std::string>());
  if (kw.contains("batch_first")) o.batch_first(kw["batch_first"].get<bool>());
  std::shared_ptr<nn::RNNBase> m;
  const std::string cls = c["class"];
  if (cls == "RNN")
    m = std::make_shared<nn::RNN>(o);
  else if (cls == "GRU")
    m = std::make_shared<nn::GRU>(o);
  else
    m = std::make_shared<nn::LSTM>(o);
  NoGradGuard no_grad;
  auto named = m->named_parameters();
  EXPECT_EQ(named.size(), c["params"].size());
  for (auto& [name, p] : named) {
    const json& want = c["params"].at(name);
    EXPECT_EQ(p.shape(), shape_of(want["shape"])) << name;
    p.copy_(values64(want["values"], p.shape()));
  }
  return m;
}

class RNNGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(RNNGolden, OutputsAndGradientsMatchPyTorch) {
  const json& c = golden()["layers"].at(GetParam());
  auto m = build(c);
  const Shape state_shape = shape_of(c["state_shape"]);
  Tensor x = values64(c["x"], shape_of(c["x_shape"])).requires_grad_();
  Tensor h0, c0;
  if (c.contains("h0")) h0 = values64(c["h0"], state_shape).requires_grad_();
  if (c.contains("c0")) c0 = values64(c["c0"], state_shape).requires_grad_();

  Tensor output, h_n, c_n;
  if (auto* lstm = dynamic_cast<nn::LSTM*>(m.get())) {
    auto [out, state] = (*lstm)(x, {h0, c0});
    output = out;
    std::tie(h_n, c_n) = state;
  } else if (auto* rnn = dynamic_cast<nn::RNN*>(m.get())) {
    std::tie(output, h_n) = (*rnn)(x, h0);
  } else {
    std::tie(output, h_n) = (*dynamic_cast<nn::GRU*>(m.get()))(x, h0);
  }
  EXPECT_EQ(output.shape(), shape_of(c["output_shape"]));
  EXPECT_EQ(h_n.shape(), state_shape);
  expect_close(output, c["output"], "output");
  expect_close(h_n, c["h_n"], "h_n");
  Tensor loss = sum(output * values64(c["w_out"], output.shape())) + sum(h_n * values64(c["w_h"], h_n.shape()));
  if (c.contains("c_n")) {
    expect_close(c_n, c["c_n"], "c_n");
    loss = loss + sum(c_n * values64(c["w_c"], c_n.shape()));
  }
  EXPECT_NEAR(loss.item(), c["loss"].get<double>(), 1e-12);
  loss.backward();
  for (const auto& [name, p] : m->named_parameters()) expect_close(p.grad(), c["grads"].at(name), "grad of " + name);
  expect_close(x.grad(), c["grad_x"], "grad of x");
  if (h0.defined()) expect_close(h0.grad(), c["grad_h0"], "grad of h0");
  if (c0.defined()) expect_close(c0.grad(), c["grad_c0"], "grad of c0");
}

INSTANTIATE_TEST_SUITE_P(PyTorch, RNNGolden,
                         ::testing::Values("rnn_tanh_2layers", "rnn_tanh_2layers_state", "rnn_relu_2layers_state",
                                           "rnn_no_bias", "gru_2layers", "gru_2layers_state", "gru_no_bias",
                                           "lstm_2layers", "lstm_2layers_state", "lstm_no_bias",
                                           "rnn_batch_first_state", "gru_batch_first", "lstm_batch_first_state"));

TEST(RNN, PrintedLikePyTorch) {
  for (const json& p : golden()["printed"]) {
    const std::string cls = p["class"];
    const auto args = p["args"].get<std::vector<std::int64_t>>();
    const json& kw = p["kwargs"];
    std::string printed;
    if (cls == "Embedding") {
      printed = nn::Embedding(args[0], args[1]).to_string();
    } else {
      nn::RNNOptions o(args[0], args[1]);
      if (kw.contains("num_layers")) o.num_layers(kw["num_layers"].get<std::int64_t>());
      if (kw.contains("bias")) o.bias(kw["bias"].get<bool>());
      if (kw.contains("nonlinearity")) o.nonlinearity(kw["nonlinearity"].get<std::string>());
      if (kw.contains("batch_first")) o.batch_first(kw["batch_first"].get<bool>());
      if (kw.contains("dropout")) o.dropout(kw["dropout"].get<double>());
      if (cls == "RNN")
        printed = nn::RNN(o).to_string();
      else if (cls == "GRU")
        printed = nn::GRU(o).to_string();
      else
        printed = nn::LSTM(o).to_string();
    }
    EXPECT_EQ(printed, p["printed"].get<std::string>());
  }
}

TEST(RNN, ParameterNamesShapesAndDefaultInit) {
  manual_seed(5);
  nn::LSTM lstm(10, 64, 2);
  const auto named = lstm.named_parameters();
  const std::vector<std::pair<std::string, Shape>> want = {
      {"weight_ih_l0", {256, 10}}, {"weight_hh_l0", {256, 64}}, {"bias_ih_l0", {256}}, {"bias_hh_l0", {256}},
      {"weight_ih_l1", {256, 64}}, {"weight_hh_l1", {256, 64}}, {"bias_ih_l1", {256}}, {"bias_hh_l1", {256}}};
  ASSERT_EQ(named.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(named[i].first, want[i].first);
    EXPECT_EQ(named[i].second.shape(), want[i].second) << want[i].first;
    EXPECT_TRUE(named[i].second.requires_grad());
    EXPECT_EQ(named[i].second.dtype(), kFloat32);
  }
  EXPECT_TRUE(lstm.weight_hh(1).is_same(named[5].second));
  EXPECT_TRUE(lstm.bias_ih(0).is_same(named[2].second));
  EXPECT_THROW(lstm.weight_ih(2), Error);
  // U(-1/8, 1/8) for hidden 64: inside the bounds, and the 16,384 draws of weight_hh_l0 reach both ends.
  float lo = 1, hi = -1;
  for (const auto& [name, p] : named)
    for (float v : p.to_vector<float>()) {
      EXPECT_LE(std::abs(v), 0.125f) << name;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  EXPECT_LT(lo, -0.124f);
  EXPECT_GT(hi, 0.124f);
  // Drawn in registration order from the global generator: the same seed gives the same layer.
  manual_seed(5);
  nn::LSTM again(10, 64, 2);
  EXPECT_EQ(again.bias_hh(1).to_vector<float>(), lstm.bias_hh(1).to_vector<float>());

  nn::GRU gru(nn::RNNOptions(3, 4).bias(false));
  ASSERT_EQ(gru.named_parameters().size(), 2u);
  EXPECT_FALSE(gru.bias_ih(0).defined());
  EXPECT_EQ(gru.weight_ih(0).shape(), (Shape{12, 3}));
  EXPECT_EQ(nn::RNN(nn::RNNOptions(3, 4).nonlinearity("relu")).cell, RecurrentCell::RnnRelu);
  EXPECT_NE(
      error_of([] { nn::RNN(nn::RNNOptions(3, 4).nonlinearity("sigmoid")); }).find("unknown nonlinearity 'sigmoid'"),
      std::string::npos);
  EXPECT_THROW(nn::GRU(3, 0), Error);
  EXPECT_THROW(nn::LSTM(3, 4, 0), Error);
}

// The stacked layers' gradients with respect to their inputs and initial states, against
// central differences (the weights' gradients are held to PyTorch's above).
TEST(RNN, GradcheckTwoLayersWithAndWithoutState) {
  for (const char* cls : {"RNN", "GRU", "LSTM"})
    for (bool with_state : {false, true}) {
      SCOPED_TRACE(std::string(cls) + (with_state ? " with state" : ""));
      const bool lstm = std::string(cls) == "LSTM";
      auto f = [cls, with_state, lstm](const std::vector<Tensor>& in) {
        // A fresh layer of the inputs' dtype, with the same weights on every call.
        manual_seed(17);
        const nn::RNNOptions o = nn::RNNOptions(3, 2).num_layers(2).dtype(in[0].dtype());
        const Tensor h0 = with_state ? in[1] : Tensor();
        const Tensor c0 = with_state && lstm ? in[2] : Tensor();
        if (lstm) {
          auto [out, state] = nn::LSTM(o)(in[0], {h0, c0});
          return cat({out.reshape({-1}), state.first.reshape({-1}), state.second.reshape({-1})});
        }
        auto [out, h_n] = std::string(cls) == "RNN" ? nn::RNN(o)(in[0], h0) : nn::GRU(o)(in[0], h0);
        return cat({out.reshape({-1}), h_n.reshape({-1})});
      };
      const Tensor x = uniform({4, 2, 3}, -1, 1, 3), h0 = uniform({2, 2, 2}, -1, 1, 4),
                   c0 = uniform({2, 2, 2}, -1, 1, 5);
      const std::vector<Tensor> inputs = !with_state ? std::vector<Tensor>{x}
                                         : lstm      ? std::vector<Tensor>{x, h0, c0}
                                                     : std::vector<Tensor>{x, h0};
      EXPECT_TRUE(gradcheck(f, inputs));
    }
}

TEST(RNN, UnbatchedInputAndStateList) {
  manual_seed(8);
  nn::GRU gru(3, 4, 2);
  const Tensor x = randn({5, 3});
  const Tensor h0 = randn({2, 4});
  auto [out, h_n] = gru(x, h0);
  EXPECT_EQ(out.shape(), (Shape{5, 4}));
  EXPECT_EQ(h_n.shape(), (Shape{2, 4}));
  auto [out_b, h_b] = gru(x.unsqueeze(1), h0.unsqueeze(1));
  EXPECT_EQ(out.to_vector<float>(), out_b.squeeze(1).to_vector<float>());
  EXPECT_EQ(h_n.to_vector<float>(), h_b.squeeze(1).to_vector<float>());
  // forward_state: any layer with its state as a list.
  auto [out_s, state] = gru.forward_state(x.unsqueeze(1), {h0.unsqueeze(1)});
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(state[0].to_vector<float>(), h_b.to_vector<float>());
  nn::LSTM lstm(3, 4);
  auto [out_l, state_l] = lstm.forward_state(x.unsqueeze(1));
  ASSERT_EQ(state_l.size(), 2u);
  EXPECT_EQ(state_l[1].shape(), (Shape{1, 1, 4}));
  EXPECT_NE(error_of([&] { lstm.forward_state(x.unsqueeze(1), {h0}); }).find("expects a state of 2 tensors (h, c)"),
            std::string::npos);
}

TEST(RNN, TokenIndicesEqualOneHotInput) {
  manual_seed(9);
  nn::LSTM lstm(6, 5);
  const Tensor idx = tensor({{0, 5}, {3, 3}, {1, 0}}, kInt64);
  auto [a, sa] = lstm(idx);
  auto [b, sb] = lstm(one_hot(idx, 6).to(kFloat32));
  EXPECT_EQ(a.shape(), (Shape{3, 2, 5}));
  const auto va = a.to_vector<float>(), vb = b.to_vector<float>();
  for (std::size_t i = 0; i < va.size(); ++i) EXPECT_NEAR(va[i], vb[i], 1e-6);
}

TEST(RNN, WrongStateShapeIsAnError) {
  nn::RNN rnn(28, 16, 2);
  const Tensor x = zeros({35, 32, 28});
  const std::string e = error_of([&] { rnn(x, zeros({1, 32, 16})); });
  EXPECT_NE(e.find("Expected hidden size (2, 32, 16), got [1, 32, 16]"), std::string::npos) << e;
  EXPECT_NE(error_of([&] { rnn(zeros({35, 32, 27})); }).find("Expected 28, got 27"), std::string::npos);
  EXPECT_NE(error_of([&] { rnn(zeros({2, 3, 4, 28})); }).find("Expected input to be 2-D or 3-D"), std::string::npos);
}

TEST(RNN, BatchFirstIsTheTransposeOfStepsFirst) {
  for (auto cls : {"RNN", "GRU", "LSTM"}) {
    SCOPED_TRACE(cls);
    auto make = [&](bool batch_first) -> std::shared_ptr<nn::RNNBase> {
      manual_seed(7);
      const auto o = nn::RNNOptions(3, 4).num_layers(2).batch_first(batch_first).dtype(kFloat64);
      if (std::string(cls) == "RNN") return std::make_shared<nn::RNN>(o);
      if (std::string(cls) == "GRU") return std::make_shared<nn::GRU>(o);
      return std::make_shared<nn::LSTM>(o);
    };
    auto steps_first = make(false), batch_first = make(true);
    const Tensor x = uniform({5, 2, 3}, -1, 1, 81);  // (steps, batch, input)
    const auto [out_s, state_s] = steps_first->forward_state(x);
    const auto [out_b, state_b] = batch_first->forward_state(x.transpose(0, 1));
    EXPECT_EQ(out_b.shape(), (Shape{2, 5, 4}));
    EXPECT_EQ(out_b.transpose(0, 1).contiguous().to_vector<double>(), out_s.contiguous().to_vector<double>());
    ASSERT_EQ(state_b.size(), state_s.size());
    for (std::size_t i = 0; i < state_s.size(); ++i) {
      EXPECT_EQ(state_b[i].shape(), (Shape{2, 2, 4}));  // (layers, batch, hidden) either way
      EXPECT_EQ(state_b[i].to_vector<double>(), state_s[i].to_vector<double>());
    }
    // Token indices (batch, steps), and unbatched input, which batch_first leaves alone (as PyTorch).
    const Tensor tokens = tensor({{0, 2, 1}, {1, 1, 0}}, kInt64);
    EXPECT_EQ(batch_first->forward_state(tokens).first.contiguous().to_vector<double>(),
              steps_first->forward_state(tokens.transpose(0, 1).contiguous()).first.transpose(0, 1).contiguous().to_vector<double>());
    const Tensor one = uniform({5, 3}, -1, 1, 82);
    EXPECT_EQ(batch_first->forward_state(one).first.to_vector<double>(),
              steps_first->forward_state(one).first.to_vector<double>());
  }
}

TEST(RNN, GradcheckBatchFirst) {
  auto f = [](const std::vector<Tensor>& in) {
    manual_seed(8);  // a fresh layer of the input's dtype, the same weights on every call
    nn::LSTM lstm(nn::RNNOptions(3, 2).num_layers(2).batch_first(true).dtype(in[0].dtype()));
    auto [out, state] = lstm(in[0], {in[1], Tensor()});
    return cat({out.reshape({-1}), state.first.reshape({-1}), state.second.reshape({-1})});
  };
  EXPECT_TRUE(gradcheck(f, {uniform({2, 4, 3}, -1, 1, 83), uniform({2, 2, 2}, -1, 1, 85)}));
}

TEST(RNN, DropoutBetweenLayers) {
  manual_seed(9);
  nn::GRU plain(nn::RNNOptions(3, 4).num_layers(3).dtype(kFloat64));
  manual_seed(9);
  nn::GRU dropped(nn::RNNOptions(3, 4).num_layers(3).dropout(0.5).dtype(kFloat64));
  const Tensor x = uniform({6, 2, 3}, -1, 1, 84);
  // In eval mode dropout does nothing; in training the outputs differ (the inputs of layers 1 and 2 are masked).
  dropped.eval();
  EXPECT_EQ(dropped(x).first.to_vector<double>(), plain(x).first.to_vector<double>());
  dropped.train();
  EXPECT_NE(dropped(x).first.to_vector<double>(), plain(x).first.to_vector<double>());
  // A single layer has nothing to drop between.
  manual_seed(9);
  nn::GRU one(nn::RNNOptions(3, 4).dtype(kFloat64));
  manual_seed(9);
  nn::GRU one_dropped(nn::RNNOptions(3, 4).dropout(0.5).dtype(kFloat64));
  EXPECT_EQ(one_dropped(x).first.to_vector<double>(), one(x).first.to_vector<double>());
  EXPECT_NE(error_of([] { nn::LSTM(nn::RNNOptions(3, 4).dropout(1.5)); }).find("dropout should be a number in range [0, 1]"),
            std::string::npos);
}

TEST(RNN, BidirectionalIsRefusedClearly) {
  EXPECT_EQ(error_of([] { nn::LSTM(nn::RNNOptions(3, 4).bidirectional(true)); }),
            "nn::LSTM: bidirectional=true is not supported yet");
  EXPECT_EQ(error_of([] { nn::GRU(nn::RNNOptions(3, 4).bidirectional(true)); }),
            "nn::GRU: bidirectional=true is not supported yet");
  EXPECT_EQ(error_of([] { nn::RNN(nn::RNNOptions(3, 4).bidirectional(true)); }),
            "nn::RNN: bidirectional=true is not supported yet");
}

}  // namespace
}  // namespace d2l
