// The backward engine: how gradients combine, accumulate and are freed, deep graphs, grad
// mode, and the in-place rules the course's training loops rely on.
#include <gtest/gtest.h>

#include "error_of.h"

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "gradcheck.h"  // PrintTo(DType)

namespace d2l {
namespace {

using Vec = std::vector<float>;
using Vec64 = std::vector<double>;

// ---- how gradients from several paths combine

TEST(Autograd, NonLeafUsedTwiceGetsBothPaths) {
  // b = a + a; c = b * b = 4a^2, so dc/da = 8a: b's gradient 2b = 4a reaches a through both
  // operands of the add.
  Tensor a = tensor({1.0, 2.0, -3.0}).requires_grad_();
  Tensor b = a + a;
  Tensor c = b * b;
  c.sum().backward();
  EXPECT_EQ(a.grad().to_vector<float>(), (Vec{8.0f, 16.0f, -24.0f}));
  EXPECT_FALSE(b.grad().defined()) << "a non-leaf keeps no .grad, as in PyTorch";
}

TEST(Autograd, MicrogradDoubleUse) {
  // micrograd's case: b = a + a; c = b + b gives dc/da = 4.
  Tensor a = scalar_tensor(3.0).requires_grad_();
  Tensor b = a + a;
  Tensor c = b + b;
  c.backward();
  EXPECT_EQ(a.grad().item<float>(), 4.0f);
  EXPECT_EQ(c.item<float>(), 12.0f);
}

TEST(Autograd, DiamondGraph) {
  // x feeds two branches that meet again: y = x*x (2x) and z = 3x, out = y * z = 3x^3,
  // d out/dx = 9x^2. The node for x*x must run once, after both consumers handed it gradient.
  Tensor x = tensor({1.0, -2.0}, kFloat64).requires_grad_();
  Tensor h = x * 1.0;  // a non-leaf shared by both branches
  Tensor y = h * h;
  Tensor z = h * 3.0;
  (y * z).sum().backward();
  EXPECT_EQ(x.grad().to_vector<double>(), (Vec64{9.0, 36.0}));
}

TEST(Autograd, UnusedAndConstantInputsGetNoGrad) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  Tensor unused = tensor({5.0}).requires_grad_();
  Tensor constant = tensor({3.0, 4.0});
  (x * constant).sum().backward();
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{3.0f, 4.0f}));
  EXPECT_FALSE(unused.grad().defined());
  EXPECT_FALSE(constant.grad().defined());
  EXPECT_FALSE(constant.requires_grad());
}

TEST(Autograd, BackwardOnALeaf) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  x.backward(tensor({0.5, -1.0}));
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{0.5f, -1.0f}));
}

TEST(Autograd, NonScalarBackwardWithGradient) {
  Tensor x = tensor({{1.0, 2.0}, {3.0, 4.0}}).requires_grad_();
  Tensor y = x * x;
  y.backward(tensor({{1.0, 0.0}, {0.5, 2.0}}));
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{2.0f, 0.0f, 3.0f, 16.0f}));
}

TEST(Autograd, ANodeMayHandBackNoGradient) {
  // The Node contract lets a backward return an undefined tensor for an input that "gets
  // none". h below has two consumers; one of them returns nothing for it. h's node must still
  // run, with the gradient of the other path: d/dx (3 * 2x) = 6.
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  Tensor h = x * 2.0;
  Tensor silent = autograd::record(h.detach() * 0.0, "NoGradBackward", {h}, [](const Tensor&, const autograd::Node&) {
    return std::vector<Tensor>{Tensor()};
  });
  (silent + h * 3.0).sum().backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{6.0f, 6.0f}));
  // When no path delivers anything, the leaf simply gets no gradient.
  Tensor w = tensor({1.0}).requires_grad_();
  Tensor only = autograd::record((w * 2.0).detach(), "NoGradBackward", {w * 2.0}, [](const Tensor&, const autograd::Node&) {
    return std::vector<Tensor>{Tensor()};
  });
  only.sum().backward();
  EXPECT_FALSE(w.grad().defined());
}

TEST(Autograd, GradientsKeepTheLeafDtype) {
  // A float64 gradient handed to backward() of a float32 graph is cast, as PyTorch's engine
  // does: .grad always has its tensor's dtype (SGD's in-place update relies on it).
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  Tensor y = x.view({2, 1});
  y.backward(tensor({0.5, 0.25}, kFloat64).reshape({2, 1}));
  EXPECT_EQ(x.grad().dtype(), kFloat32);
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{0.5f, 0.25f}));
  // ...also from a custom node that returns a gradient of another dtype.
  Tensor w = tensor({1.0, 2.0}).requires_grad_();
  Tensor z = autograd::record(w.detach() * 1.0, "CastBackward", {w}, [](const Tensor& g, const autograd::Node&) {
    return std::vector<Tensor>{g.to(kFloat64)};
  });
  (z * 3.0).sum().backward();
  EXPECT_EQ(w.grad().dtype(), kFloat32);
  EXPECT_EQ(w.grad().to_vector<float>(), (Vec{3.0f, 3.0f}));
}

// ---- deep graphs

constexpr int kChain = 100000;

TEST(Autograd, HundredThousandOpChainBackward) {
  // Each step is its own node: a recursive topological sort or a recursive destructor would
  // need 100,000 stack frames. The gradient of x * c^N is c^N, computed in the backward by
  // the same N roundings as the forward's product, so the two are bit-identical.
  Tensor x = scalar_tensor(1.0, kFloat64).requires_grad_();
  Tensor y = x;
  for (int i = 0; i < kChain; ++i) y = y * 1.0001;
  y.backward();
  const double expected = std::pow(1.0001, kChain);  // ~22015.5
  EXPECT_EQ(x.grad().item<double>(), y.item<double>());
  EXPECT_NEAR(x.grad().item<double>(), expected, expected * 1e-9);

  Tensor a = scalar_tensor(2.0, kFloat64).requires_grad_();
  Tensor b = a;
  for (int i = 0; i < kChain; ++i) b = b + 1.0;
  b.backward();
  EXPECT_EQ(a.grad().item<double>(), 1.0);
  EXPECT_EQ(b.item<double>(), 2.0 + kChain);
}

TEST(Autograd, HundredThousandOpChainOfTensorProducts) {
  // y = x * w * w * ... * w: every node saves both operands, so the graph also holds the
  // chain through the saved tensors. dy/dx = w^N and dy/dw = N x w^(N-1).
  Tensor x = scalar_tensor(0.5, kFloat64).requires_grad_();
  Tensor w = scalar_tensor(1.00001, kFloat64).requires_grad_();
  Tensor y = x;
  for (int i = 0; i < kChain; ++i) y = y * w;
  y.backward();
  const double wn = std::pow(1.00001, kChain);
  EXPECT_NEAR(x.grad().item<double>(), wn, wn * 1e-9);
  const double dw = kChain * 0.5 * std::pow(1.00001, kChain - 1);
  EXPECT_NEAR(w.grad().item<double>(), dw, dw * 1e-9);
}

TEST(Autograd, HundredThousandOpChainDestroyedWithoutBackward) {
  // Dropping the last handle to a deep graph must not recurse once per node. Each chain uses
  // a different kind of node: one saving nothing, one saving its inputs (which are themselves
  // graph nodes), unary ops saving their input, and views.
  Tensor x = scalar_tensor(1.0, kFloat64).requires_grad_();
  Tensor w = scalar_tensor(1.0, kFloat64).requires_grad_();
  {
    Tensor y = x;
    for (int i = 0; i < kChain; ++i) y = y * 1.0001;
  }
  {
    Tensor y = x;
    for (int i = 0; i < kChain; ++i) y = y * w;
  }
  {
    Tensor y = x + 1.0;
    for (int i = 0; i < kChain / 2; ++i) y = log(exp(y));  // log saves its input
  }
  {
    Tensor y = x;
    for (int i = 0; i < kChain; ++i) y = (i % 2 ? y.squeeze(0) : y.unsqueeze(0));
  }
  {
    // With retain_graph the saved tensors survive the backward, and must be freed the same way.
    Tensor y = x;
    for (int i = 0; i < kChain; ++i) y = y * w;
    y.backward(Tensor(), /*retain_graph=*/true);
  }
  EXPECT_TRUE(x.is_leaf());
  EXPECT_EQ(x.item<double>(), 1.0);
}

// ---- accumulation, retain_graph, freeing

TEST(Autograd, GradientsAccumulateAcrossBackwardCalls) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  (x * 3.0).sum().backward();
  (x * x).sum().backward();  // a second, separate graph
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{5.0f, 7.0f}));
}

TEST(Autograd, RetainGraphAllowsASecondBackward) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  Tensor y = (x * x).sum();
  y.backward(Tensor(), /*retain_graph=*/true);
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{2.0f, 4.0f}));
  y.backward();  // allowed, and frees the graph this time
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{4.0f, 8.0f}));
  const std::string msg = error_of([&] { y.backward(); });
  EXPECT_NE(msg.find("second time"), std::string::npos) << msg;
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{4.0f, 8.0f})) << "a failed backward must not touch .grad";
}

TEST(Autograd, SecondBackwardWithoutRetainGraphIsAnError) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  Tensor y = (x.exp() * 2.0).sum();
  y.backward();
  const std::string msg = error_of([&] { y.backward(); });
  EXPECT_NE(msg.find("second time"), std::string::npos) << msg;
  EXPECT_NE(msg.find("retain_graph"), std::string::npos) << msg;
}

TEST(Autograd, SharedSubgraphFreedByTheFirstBackward) {
  // Two losses over one shared z: after the first backward frees z's node, the second loss
  // cannot go through it (PyTorch behaves the same); with retain_graph it can.
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  Tensor z = x * x;
  Tensor a = z.sum(), b = (z * 2.0).sum();
  a.backward();
  EXPECT_NE(error_of([&] { b.backward(); }).find("second time"), std::string::npos);

  Tensor x2 = tensor({1.0, 2.0}).requires_grad_();
  Tensor z2 = x2 * x2;
  Tensor a2 = z2.sum(), b2 = (z2 * 2.0).sum();
  a2.backward(Tensor(), true);
  b2.backward();
  EXPECT_EQ(x2.grad().to_vector<float>(), (Vec{6.0f, 12.0f}));  // 2x + 4x
}

TEST(Autograd, BackwardFreesWhatTheGraphSaved) {
  // A node's saved tensors live until its backward has run (without retain_graph).
  auto run = [](bool retain) {
    Tensor x = tensor({1.0, 2.0}).requires_grad_();
    Tensor saved = ones({1000});
    std::weak_ptr<TensorImpl> watch = saved.impl_ptr();
    Tensor y = autograd::record(x * 2.0, "TestBackward", {x}, [saved](const Tensor& g, const autograd::Node&) {
      return std::vector<Tensor>{g * 2.0};
    });
    saved = Tensor();
    EXPECT_FALSE(watch.expired()) << "the graph holds what its backward needs";
    y.sum().backward(Tensor(), retain);
    EXPECT_EQ(x.grad().to_vector<float>(), (Vec{2.0f, 2.0f}));
    return watch.expired();
  };
  EXPECT_TRUE(run(false)) << "backward must free the saved tensors";
  EXPECT_FALSE(run(true)) << "retain_graph keeps them";
}

TEST(Autograd, GraphsAreFreedWithTheirLastHandle) {
  // No op may build a reference cycle (say, a node whose backward saves the op's own output
  // with the node attached): its graph would never be freed. For every op, the output and its
  // node must die with the last handle, whether or not backward ran (with retain_graph the
  // saved tensors are still there when the handle goes).
  const std::vector<std::pair<const char*, std::function<Tensor(const Tensor&)>>> ops = {
      {"add", [](const Tensor& x) { return x + x; }},
      {"add scalar", [](const Tensor& x) { return x + 1.0; }},
      {"sub", [](const Tensor& x) { return x - x * 2.0; }},
      {"rsub", [](const Tensor& x) { return 1.0 - x; }},
      {"mul", [](const Tensor& x) { return x * x; }},
      {"div", [](const Tensor& x) { return x / (x + 3.0); }},
      {"div scalar", [](const Tensor& x) { return x / 3.0; }},
      {"pow", [](const Tensor& x) { return pow(x + 3.0, x); }},
      {"pow scalar", [](const Tensor& x) { return x.pow(3.0); }},
      {"maximum", [](const Tensor& x) { return maximum(x, x * 0.5); }},
      {"minimum", [](const Tensor& x) { return minimum(x, x * 0.5); }},
      {"where", [](const Tensor& x) { return where(x > 0.0, x, x * 2.0); }},
      {"neg", [](const Tensor& x) { return -x; }},
      {"exp", [](const Tensor& x) { return exp(x); }},
      {"log", [](const Tensor& x) { return log(x + 3.0); }},
      {"sqrt", [](const Tensor& x) { return sqrt(x + 3.0); }},
      {"abs", [](const Tensor& x) { return abs(x); }},
      {"tanh", [](const Tensor& x) { return tanh(x); }},
      {"sigmoid", [](const Tensor& x) { return sigmoid(x); }},
      {"relu", [](const Tensor& x) { return relu(x); }},
      {"clamp", [](const Tensor& x) { return clamp(x, 0.0, 1.0); }},
      {"sum", [](const Tensor& x) { return x.sum(); }},
      {"sum dim", [](const Tensor& x) { return x.sum({0}); }},
      {"mean", [](const Tensor& x) { return x.mean(); }},
      {"mean dim", [](const Tensor& x) { return x.mean({1}, true); }},
      {"max", [](const Tensor& x) { return x.max(); }},
      {"max dim", [](const Tensor& x) { return max(x, 1).first; }},
      {"mm", [](const Tensor& x) { return mm(x, x.t()); }},
      {"matmul batched", [](const Tensor& x) { return matmul(x.unsqueeze(0), x.t().unsqueeze(0)); }},
      {"linear", [](const Tensor& x) { return linear(x, x, x[0]); }},
      {"index_select", [](const Tensor& x) { return x.index_select(0, tensor({1, 0}, kInt64)); }},
      {"cat", [](const Tensor& x) { return cat({x, x}); }},
      {"stack", [](const Tensor& x) { return stack({x, x}); }},
      {"view", [](const Tensor& x) { return x.view({4}); }},
      {"transpose", [](const Tensor& x) { return x.transpose(0, 1); }},
      {"t", [](const Tensor& x) { return x.t(); }},
      {"permute", [](const Tensor& x) { return x.permute({1, 0}); }},
      {"slice", [](const Tensor& x) { return x.slice(1, 0, std::nullopt, 2); }},
      {"select", [](const Tensor& x) { return x[1]; }},
      {"unsqueeze", [](const Tensor& x) { return x.unsqueeze(0); }},
      {"squeeze", [](const Tensor& x) { return x.unsqueeze(0).squeeze(0); }},
      {"expand", [](const Tensor& x) { return x.expand({3, 2, 2}); }},
      {"clone", [](const Tensor& x) { return x.t().contiguous(); }},
      {"to", [](const Tensor& x) { return x.to(kFloat64); }},
  };
  for (const auto& [name, op] : ops)
    for (int mode = 0; mode < 3; ++mode) {  // no backward, backward, backward with retain_graph
      SCOPED_TRACE(std::string(name) + " mode " + std::to_string(mode));
      Tensor x = tensor({{0.5, -1.0}, {2.0, 0.25}}).requires_grad_();
      std::weak_ptr<TensorImpl> out_impl;
      std::weak_ptr<autograd::Node> node;
      {
        Tensor y = op(x);
        ASSERT_NE(y.grad_fn(), nullptr);
        out_impl = y.impl_ptr();
        node = y.grad_fn();
        if (mode > 0) y.sum().backward(Tensor(), mode == 2);
      }
      EXPECT_TRUE(out_impl.expired()) << "the output outlived its last handle";
      EXPECT_TRUE(node.expired()) << "the node outlived its output";
    }
}

// ---- errors

TEST(Autograd, NonScalarBackwardWithoutGradientThrows) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  Tensor y = x * 2.0;
  const std::string msg = error_of([&] { y.backward(); });
  EXPECT_NE(msg.find("scalar outputs"), std::string::npos) << msg;
  EXPECT_NE(msg.find("[2]"), std::string::npos) << "names the shape: " << msg;
  EXPECT_FALSE(x.grad().defined());
  // A gradient of the wrong shape is refused too, naming both shapes.
  const std::string shape_msg = error_of([&] { y.backward(ones({3})); });
  EXPECT_NE(shape_msg.find("[3]"), std::string::npos) << shape_msg;
  EXPECT_NE(shape_msg.find("[2]"), std::string::npos) << shape_msg;
}

TEST(Autograd, BackwardOnATensorWithoutGradThrows) {
  Tensor x = tensor({1.0, 2.0});
  const std::string msg = error_of([&] { x.sum().backward(); });
  EXPECT_NE(msg.find("does not require grad"), std::string::npos) << msg;
}

TEST(Autograd, RequiresGradRules) {
  EXPECT_NE(error_of([] { arange(3.0).requires_grad_(); }).find("floating point"), std::string::npos);
  Tensor x = tensor({1.0}).requires_grad_();
  Tensor y = x * 2.0;
  EXPECT_FALSE(y.is_leaf());
  EXPECT_TRUE(y.requires_grad());
  EXPECT_NE(error_of([&] { y.requires_grad_(false); }).find("leaf"), std::string::npos);
}

// ---- grad mode

TEST(Autograd, NoGradGuardRecordsNothing) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  {
    NoGradGuard guard;
    EXPECT_FALSE(is_grad_enabled());
    Tensor y = (x * 2.0 + x).exp().sum();
    EXPECT_FALSE(y.requires_grad());
    EXPECT_TRUE(y.is_leaf());
    EXPECT_EQ(y.grad_fn(), nullptr);
    Tensor v = x.view({2, 1}).t();
    EXPECT_FALSE(v.requires_grad());
    {
      NoGradGuard nested;
      EXPECT_FALSE(is_grad_enabled());
    }
    EXPECT_FALSE(is_grad_enabled()) << "the inner guard restores the outer state";
  }
  EXPECT_TRUE(is_grad_enabled());
  Tensor z = x * 2.0;
  EXPECT_TRUE(z.requires_grad());
  EXPECT_STREQ(z.grad_fn()->name, "MulBackward0");
}

TEST(Autograd, GradModeIsPerThread) {
  NoGradGuard guard;
  bool other_thread_enabled = false;
  std::thread t([&] { other_thread_enabled = is_grad_enabled(); });
  t.join();
  EXPECT_TRUE(other_thread_enabled);
  EXPECT_FALSE(is_grad_enabled());
}

TEST(Autograd, BackwardRecordsNoGraphOfItsOwn) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  (x * x).sum().backward();
  EXPECT_FALSE(x.grad().requires_grad());
  EXPECT_EQ(x.grad().grad_fn(), nullptr);
  // ...also when called inside a NoGradGuard (allowed, as in PyTorch).
  Tensor w = tensor({3.0}).requires_grad_();
  Tensor loss = (w * w).sum();
  NoGradGuard guard;
  loss.backward();
  EXPECT_EQ(w.grad().item<float>(), 6.0f);
}

TEST(Autograd, DetachCutsTheGraphAndSharesStorage) {
  Tensor x = tensor({1.0, 2.0}).requires_grad_();
  Tensor d = x.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
  EXPECT_EQ(d.raw_data(), x.raw_data());
  // x * x.detach(): only the first factor is differentiated, d/dx = x (not 2x).
  (x * x.detach()).sum().backward();
  EXPECT_EQ(x.grad().to_vector<float>(), (Vec{1.0f, 2.0f}));
  // Writing through the detached handle changes x (it is the same memory).
  d.mul_(10.0);
  EXPECT_EQ(x.to_vector<float>(), (Vec{10.0f, 20.0f}));
}

// ---- the training-loop update

TEST(Autograd, ParameterUpdateUnderNoGradGuard) {
  // One SGD step on loss = sum((w * x - y)^2), the course's `param -= lr * param.grad`.
  Tensor w = tensor({1.0, -1.0}).requires_grad_();
  const Tensor x = tensor({2.0, 3.0}), y = tensor({1.0, 1.0});
  const void* storage = w.raw_data();
  auto loss = [&] { return ((w * x - y) * (w * x - y)).sum(); };
  loss().backward();
  // dL/dw = 2 (w x - y) x = [2*1*2, 2*(-4)*3] = [4, -24]
  EXPECT_EQ(w.grad().to_vector<float>(), (Vec{4.0f, -24.0f}));
  {
    NoGradGuard guard;
    w -= w.grad() * 0.125;
  }
  EXPECT_EQ(w.to_vector<float>(), (Vec{0.5f, 2.0f}));
  EXPECT_TRUE(w.is_leaf());
  EXPECT_TRUE(w.requires_grad());
  EXPECT_EQ(w.raw_data(), storage) << "the update is in place";

  // grad().zero_(), then the next step sees only the new gradient.
  w.grad().zero_();
  EXPECT_EQ(w.grad().to_vector<float>(), (Vec{0.0f, 0.0f}));
  loss().backward();  // w x - y = [0, 5]: dL/dw = [0, 30]
  EXPECT_EQ(w.grad().to_vector<float>(), (Vec{0.0f, 30.0f}));

  // The other spellings of the same update.
  {
    NoGradGuard guard;
    w.sub_(w.grad(), 0.1);
  }
  EXPECT_EQ(w.to_vector<float>(), (Vec{0.5f, -1.0f}));
  w.data() -= w.grad() * 0.1;  // .data() is outside the graph: no guard needed
  EXPECT_EQ(w.to_vector<float>(), (Vec{0.5f, -4.0f}));
  EXPECT_TRUE(w.requires_grad());
  EXPECT_EQ(w.raw_data(), storage);
}

TEST(Autograd, InPlaceOnALeafThatRequiresGradThrows) {
  Tensor w = tensor({1.0, 2.0}).requires_grad_();
  const Tensor other = tensor({1.0, 1.0});
  const std::vector<std::pair<const char*, std::function<void()>>> ops = {
      {"sub_", [&] { w.sub_(other); }},     {"add_", [&] { w.add_(1.0); }},
      {"mul_", [&] { w.mul_(other); }},     {"div_", [&] { w.div_(2.0); }},
      {"-=", [&] { w -= other; }},          {"+=", [&] { w += 1.0; }},
      {"zero_", [&] { w.zero_(); }},        {"fill_", [&] { w.fill_(3.0); }},
      {"copy_", [&] { w.copy_(other); }},   {"clamp_", [&] { w.clamp_(0.0, 1.0); }},
      {"normal_", [&] { w.normal_(); }},    {"uniform_", [&] { w.uniform_(); }},
  };
  for (const auto& [name, op] : ops) {
    SCOPED_TRACE(name);
    const std::string msg = error_of(op);
    EXPECT_NE(msg.find("leaf Variable that requires grad"), std::string::npos) << msg;
    EXPECT_NE(msg.find("NoGradGuard"), std::string::npos) << "says what to do: " << msg;
  }
  EXPECT_EQ(w.to_vector<float>(), (Vec{1.0f, 2.0f})) << "a refused in-place op changes nothing";
}

}  // namespace
}  // namespace d2l
