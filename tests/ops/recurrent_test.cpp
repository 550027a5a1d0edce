// recurrent_layer (one fused node per layer) against the same layer written with primitive
// ops (linear, sigmoid, tanh, mul, add, stack), and against central differences.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/threads.h"
#include "error_of.h"
#include "gradcheck.h"

namespace d2l {
namespace {

using testing::gradcheck;
using testing::uniform;

constexpr std::int64_t kSteps = 4, kBatch = 3, kInput = 5, kHidden = 3;

const char* cell_name(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::RnnTanh:
      return "rnn_tanh";
    case RecurrentCell::RnnRelu:
      return "rnn_relu";
    case RecurrentCell::Gru:
      return "gru";
    default:
      return "lstm";
  }
}

const RecurrentCell kCells[] = {RecurrentCell::RnnTanh, RecurrentCell::RnnRelu, RecurrentCell::Gru,
                                RecurrentCell::Lstm};

// The layer's operands in recurrent_layer's order; undefined where not used.
struct Operands {
  Tensor x, h0, c0, w_ih, w_hh, b_ih, b_hh;
  std::vector<Tensor> list() const { return {x, h0, c0, w_ih, w_hh, b_ih, b_hh}; }
};

Operands make_operands(RecurrentCell cell, bool with_state, bool with_bias, std::uint64_t seed,
                       std::int64_t steps = kSteps, std::int64_t batch = kBatch, std::int64_t input = kInput,
                       std::int64_t hidden = kHidden) {
  const std::int64_t width = recurrent_gates(cell) * hidden;
  Operands o;
  o.x = uniform({steps, batch, input}, -1, 1, seed);
  o.w_ih = uniform({width, input}, -0.7, 0.7, seed + 1);
  o.w_hh = uniform({width, hidden}, -0.7, 0.7, seed + 2);
  if (with_bias) {
    o.b_ih = uniform({width}, -0.5, 0.5, seed + 3);
    o.b_hh = uniform({width}, -0.5, 0.5, seed + 4);
  }
  if (with_state) {
    o.h0 = uniform({batch, hidden}, -0.8, 0.8, seed + 5);
    if (cell == RecurrentCell::Lstm) o.c0 = uniform({batch, hidden}, -0.8, 0.8, seed + 6);
  }
  return o;
}

// The layer from primitive ops, one step at a time, as the course writes a cell from scratch.
Tensor composite_layer(RecurrentCell cell, const Operands& o) {
  const std::int64_t steps = o.x.size(0), batch = o.x.size(1), hidden = o.w_hh.size(1);
  Tensor h = o.h0.defined() ? o.h0 : zeros({batch, hidden}, o.x.dtype());
  Tensor c = o.c0.defined() ? o.c0 : zeros({batch, hidden}, o.x.dtype());
  std::vector<Tensor> hs, cs;
  auto part = [hidden](const Tensor& t, std::int64_t k) { return t.narrow(1, k * hidden, hidden); };
  for (std::int64_t t = 0; t < steps; ++t) {
    const Tensor gi = linear(o.x.select(0, t), o.w_ih, o.b_ih);
    const Tensor gh = linear(h, o.w_hh, o.b_hh);
    switch (cell) {
      case RecurrentCell::RnnTanh:
        h = tanh(gi + gh);
        break;
      case RecurrentCell::RnnRelu:
        h = relu(gi + gh);
        break;
      case RecurrentCell::Gru: {
        const Tensor r = sigmoid(part(gi, 0) + part(gh, 0));
        const Tensor z = sigmoid(part(gi, 1) + part(gh, 1));
        const Tensor n = tanh(part(gi, 2) + r * part(gh, 2));
        h = (1.0 - z) * n + z * h;
        break;
      }
      case RecurrentCell::Lstm: {
        const Tensor g = gi + gh;
        c = sigmoid(part(g, 1)) * c + sigmoid(part(g, 0)) * tanh(part(g, 2));
        h = sigmoid(part(g, 3)) * tanh(c);
        cs.push_back(c);
        break;
      }
    }
    hs.push_back(h);
  }
  if (cell == RecurrentCell::Lstm) return stack({stack(hs), stack(cs)});
  return stack(hs).unsqueeze(0);
}

Tensor fused_layer(RecurrentCell cell, const Operands& o) {
  return recurrent_layer(cell, o.x, o.h0, o.c0, o.w_ih, o.w_hh, o.b_ih, o.b_hh);
}

Operands with_grad(const Operands& o) {
  Operands r = o;
  for (Tensor* t : {&r.x, &r.h0, &r.c0, &r.w_ih, &r.w_hh, &r.b_ih, &r.b_hh})
    if (t->defined()) *t = t->detach().clone().requires_grad_();
  return r;
}

void expect_near_all(const Tensor& got, const Tensor& want, double tol, const std::string& what) {
  ASSERT_EQ(got.defined(), want.defined()) << what;
  if (!want.defined()) return;
  ASSERT_EQ(got.shape(), want.shape()) << what;
  const auto g = got.to_vector<double>(), w = want.to_vector<double>();
  for (std::size_t i = 0; i < w.size(); ++i) EXPECT_NEAR(g[i], w[i], tol) << what << " element " << i;
}

TEST(RecurrentLayer, FusedEqualsCompositeForwardAndBackward) {
  for (RecurrentCell cell : kCells)
    for (bool with_state : {false, true})
      for (bool with_bias : {false, true}) {
        SCOPED_TRACE(std::string(cell_name(cell)) + (with_state ? " with state" : "") +
                     (with_bias ? " with bias" : ""));
        const Operands base = make_operands(cell, with_state, with_bias, 11);
        const Operands a = with_grad(base), b = with_grad(base);
        const Tensor fused = fused_layer(cell, a), composite = composite_layer(cell, b);
        expect_near_all(fused, composite, 1e-13, "states");
        // A loss weighing every state element differently.
        const Tensor w = uniform(fused.shape(), -1, 1, 99);
        sum(fused * w).backward();
        sum(composite * w).backward();
        const std::vector<Tensor> fa = a.list(), cb = b.list();
        const char* names[] = {"x", "h0", "c0", "w_ih", "w_hh", "b_ih", "b_hh"};
        for (std::size_t i = 0; i < fa.size(); ++i)
          if (fa[i].defined()) expect_near_all(fa[i].grad(), cb[i].grad(), 1e-12, names[i]);
      }
}

TEST(RecurrentLayer, Float32MatchesFloat64) {
  for (RecurrentCell cell : kCells) {
    SCOPED_TRACE(cell_name(cell));
    const Operands o = make_operands(cell, true, true, 21);
    Operands o32 = o;
    for (Tensor* t : {&o32.x, &o32.h0, &o32.c0, &o32.w_ih, &o32.w_hh, &o32.b_ih, &o32.b_hh})
      if (t->defined()) *t = t->to(kFloat32);
    const Tensor s32 = fused_layer(cell, o32);
    EXPECT_EQ(s32.dtype(), kFloat32);
    expect_near_all(s32, fused_layer(cell, o), 1e-6, "states");
  }
}

// float32 layers split their batch rows over threads and run our panel products: the same
// values on one thread and on two, and the float64 values to float32 precision.
TEST(RecurrentLayer, Float32ThreadsGiveTheSameValues) {
  const int before = get_num_threads();
  const Tensor idx = uniform({5, 24}, 0, 6.99, 61).to(kInt64);  // token indices for a one-hot input
  for (RecurrentCell cell : kCells)
    for (bool one_hot_input : {false, true}) {
      SCOPED_TRACE(std::string(cell_name(cell)) + (one_hot_input ? " one-hot" : " dense"));
      Operands o64 = make_operands(cell, true, true, 71, 5, 24, 7, 20);
      if (one_hot_input) o64.x = idx;
      Operands o32 = o64;
      for (Tensor* t : {&o32.x, &o32.h0, &o32.c0, &o32.w_ih, &o32.w_hh, &o32.b_ih, &o32.b_hh})
        if (t->defined() && t->dtype() == kFloat64) *t = t->to(kFloat32);
      struct Run {
        Tensor states;
        std::vector<Tensor> grads;
      };
      auto run = [cell](const Operands& base, int threads) {
        set_num_threads(threads);
        Operands dense = base;
        if (base.x.dtype() == kInt64) dense.x = Tensor();  // indices take no gradient
        Operands o = with_grad(dense);
        o.x = base.x.dtype() == kInt64 ? base.x : o.x;
        Run r;
        r.states = fused_layer(cell, o);
        sum(r.states * uniform(r.states.shape(), -1, 1, 81).to(r.states.dtype())).backward();
        for (const Tensor& t : o.list())
          if (t.defined() && t.requires_grad()) r.grads.push_back(t.grad());
        return r;
      };
      const Run one = run(o32, 1), two = run(o32, 2), exact = run(o64, 1);
      EXPECT_EQ(one.states.to_vector<float>(), two.states.to_vector<float>());
      expect_near_all(one.states, exact.states, 1e-5, "states");
      ASSERT_EQ(one.grads.size(), two.grads.size());
      ASSERT_EQ(one.grads.size(), exact.grads.size());
      for (std::size_t i = 0; i < one.grads.size(); ++i) {
        EXPECT_EQ(one.grads[i].to_vector<float>(), two.grads[i].to_vector<float>()) << "gradient " << i;
        expect_near_all(one.grads[i], exact.grads[i], 1e-4, "gradient " + std::to_string(i));
      }
    }
  set_num_threads(before);
}

TEST(RecurrentLayer, Gradcheck) {
  for (RecurrentCell cell : kCells)
    for (bool with_state : {false, true}) {
      SCOPED_TRACE(std::string(cell_name(cell)) + (with_state ? " with state" : ""));
      const Operands o = make_operands(cell, with_state, true, 31, 3, 2, 3, 2);
      std::vector<Tensor> inputs;
      for (const Tensor& t : o.list())
        if (t.defined()) inputs.push_back(t);
      const bool lstm = cell == RecurrentCell::Lstm;
      EXPECT_TRUE(gradcheck(
          [cell, with_state, lstm](const std::vector<Tensor>& in) {
            std::size_t k = 0;
            const Tensor x = in[k++];
            const Tensor h0 = with_state ? in[k++] : Tensor();
            const Tensor c0 = with_state && lstm ? in[k++] : Tensor();
            const Tensor w_ih = in[k++], w_hh = in[k++], b_ih = in[k++], b_hh = in[k++];
            return recurrent_layer(cell, x, h0, c0, w_ih, w_hh, b_ih, b_hh);
          },
          inputs));
    }
}

TEST(RecurrentLayer, TokenIndicesReadAsOneHotRows) {
  const Tensor idx = tensor({{0, 4, 2}, {1, 1, 3}, {4, 0, 0}, {2, 3, 1}}, kInt64);  // (T=4, B=3), C=5
  for (RecurrentCell cell : kCells) {
    SCOPED_TRACE(cell_name(cell));
    Operands a = with_grad(make_operands(cell, true, true, 41));
    Operands b = with_grad(make_operands(cell, true, true, 41));
    a.x = idx;
    b.x = one_hot(idx, kInput).to(kFloat64);
    const Tensor sa = fused_layer(cell, a), sb = fused_layer(cell, b);
    expect_near_all(sa, sb, 1e-14, "states");
    const Tensor w = uniform(sa.shape(), -1, 1, 7);
    sum(sa * w).backward();
    sum(sb * w).backward();
    expect_near_all(a.w_ih.grad(), b.w_ih.grad(), 1e-13, "w_ih");
    expect_near_all(a.w_hh.grad(), b.w_hh.grad(), 1e-13, "w_hh");
    expect_near_all(a.b_ih.grad(), b.b_ih.grad(), 1e-13, "b_ih");
    expect_near_all(a.h0.grad(), b.h0.grad(), 1e-13, "h0");
  }
}

TEST(RecurrentLayer, SkipsTheGraphWhenNothingNeedsGrad) {
  const Operands o = make_operands(RecurrentCell::Gru, true, true, 51);
  const Tensor s = fused_layer(RecurrentCell::Gru, o);
  EXPECT_FALSE(s.requires_grad());
  EXPECT_EQ(s.shape(), (Shape{1, kSteps, kBatch, kHidden}));
  Operands g = with_grad(o);
  const Tensor sg = fused_layer(RecurrentCell::Gru, g);
  ASSERT_TRUE(sg.requires_grad());
  EXPECT_STREQ(sg.grad_fn()->name, "GruBackward0");
}

TEST(RecurrentLayer, BadOperandsAreOneLineErrors) {
  const Operands o = make_operands(RecurrentCell::Lstm, true, true, 61);
  auto run = [&o](RecurrentCell cell, const Tensor& x, const Tensor& h0, const Tensor& c0, const Tensor& w_ih) {
    return recurrent_layer(cell, x, h0, c0, w_ih, o.w_hh, o.b_ih, o.b_hh);
  };
  EXPECT_NE(error_of([&] {
              run(RecurrentCell::Lstm, o.x.narrow(2, 0, 4), o.h0, o.c0, o.w_ih);
            }).find("input.size(-1) must be equal to input_size. Expected 5, got 4"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              run(RecurrentCell::Lstm, o.x, o.h0.narrow(0, 0, 2), o.c0, o.w_ih);
            }).find("hidden state of shape [3, 3], got [2, 3]"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run(RecurrentCell::Gru, o.x, o.h0, Tensor(), o.w_ih); }).find("weight_ih of shape [9, 5]"),
            std::string::npos);
  const Operands g = make_operands(RecurrentCell::Gru, true, true, 61);
  EXPECT_NE(error_of([&] {
              recurrent_layer(RecurrentCell::Gru, g.x, g.h0, g.h0, g.w_ih, g.w_hh, g.b_ih, g.b_hh);
            }).find("only an LSTM takes a cell state"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              run(RecurrentCell::Lstm, tensor({{0, 5}}, kInt64), Tensor(), Tensor(), o.w_ih);
            }).find("token index 5 is out of range for input_size 5"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              run(RecurrentCell::Lstm, o.x.narrow(0, 0, 0), Tensor(), Tensor(), o.w_ih);
            }).find("at least one step"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              run(RecurrentCell::Lstm, o.x.to(kFloat32), o.h0, o.c0, o.w_ih);
            }).find("input is torch.float32 but the weights are torch.float64"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run(RecurrentCell::Lstm, o.x[0], o.h0, o.c0, o.w_ih); }).find("must be 3-D"),
            std::string::npos);
}

}  // namespace
}  // namespace d2l
