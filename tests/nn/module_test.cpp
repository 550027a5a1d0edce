// nn::Module and nn::Sequential: printing (against PyTorch's print(net)), naming, indexing,
// registration rules, zero_grad, train/eval.
#include <gtest/gtest.h>

#include <sstream>

#include "d2l/autograd.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "d2l/random.h"
#include "nn/nn_golden.h"

using namespace d2l;
using d2l::testing::nn_golden;
using nn::Linear;
using nn::Sequential;

namespace {

// The course's custom module (3.3 / 3.5): one Linear child called `linear`.
class LinearNet : public nn::Module {
 public:
  LinearNet() { linear = register_module("linear", std::make_shared<Linear>(2, 1)); }
  Tensor forward(const Tensor& x) override { return (*linear)(x); }
  std::string type_name() const override { return "LinearNet"; }
  std::shared_ptr<Linear> linear;
};

// Stand-ins that print like nn.ReLU() and nn.Flatten(), to lay out PyTorch's MLP.
class ReLULike : public nn::Module {
 public:
  Tensor forward(const Tensor& x) override { return relu(x); }
  std::string type_name() const override { return "ReLU"; }
};
class FlattenLike : public nn::Module {
 public:
  Tensor forward(const Tensor& x) override { return x.flatten(1); }
  std::string type_name() const override { return "Flatten"; }
  std::string extra_repr() const override { return "start_dim=1, end_dim=-1"; }
};

// A parameter of its own, then a nested Sequential (like the script's TwoLayer).
class TwoLayer : public nn::Module {
 public:
  TwoLayer() {
    scale = register_parameter("scale", ones({1}));
    body = register_module("body", std::make_shared<Sequential>(std::make_shared<Linear>(4, 3),
                                                                std::make_shared<ReLULike>(),
                                                                std::make_shared<Linear>(3, 2)));
  }
  Tensor forward(const Tensor& x) override { return (*body)(x) * scale; }
  std::string type_name() const override { return "TwoLayer"; }
  Tensor scale;
  std::shared_ptr<Sequential> body;
};

std::shared_ptr<nn::Module> build(const std::string& name) {
  if (name == "positional") return std::make_shared<Sequential>(std::make_shared<Linear>(2, 1));
  if (name == "add_module") {
    auto net = std::make_shared<Sequential>();
    net->add_module("linear", std::make_shared<Linear>(2, 1));
    return net;
  }
  if (name == "ordered_dict")
    return std::make_shared<Sequential>(nn::OrderedDict{{"linear", std::make_shared<Linear>(2, 1)}});
  if (name == "nested")
    return std::make_shared<Sequential>(
        std::make_shared<Linear>(2, 3),
        std::make_shared<Sequential>(std::make_shared<Linear>(3, 1), std::make_shared<Linear>(1, 1, false)));
  if (name == "linear_net") return std::make_shared<LinearNet>();
  if (name == "two_layer") return std::make_shared<TwoLayer>();
  if (name == "mlp")
    return std::make_shared<Sequential>(std::make_shared<FlattenLike>(), std::make_shared<Linear>(784, 256),
                                        std::make_shared<ReLULike>(), std::make_shared<Linear>(256, 10));
  if (name == "tied") {
    auto shared = std::make_shared<Linear>(3, 3);
    return std::make_shared<Sequential>(std::make_shared<Linear>(2, 3), shared, shared, std::make_shared<Linear>(3, 1));
  }
  if (name == "empty_sequential") return std::make_shared<Sequential>();
  if (name == "linear_no_bias") return std::make_shared<Linear>(5, 7, false);
  if (name == "mse_loss") return std::make_shared<nn::MSELoss>();
  return nullptr;
}

TEST(ModuleGolden, PrintMatchesPyTorch) {
  const auto& printed = nn_golden().at("printed");
  ASSERT_EQ(printed.size(), 11u);
  for (const auto& [name, want] : printed.items()) {
    auto net = build(name);
    ASSERT_NE(net, nullptr) << "no C++ counterpart for golden net " << name;
    EXPECT_EQ(net->to_string(), want.get<std::string>()) << name;
    std::ostringstream os;
    os << *net;
    EXPECT_EQ(os.str(), want.get<std::string>()) << name;
  }
}

TEST(ModuleGolden, NamedParametersMatchPyTorch) {
  const auto& named = nn_golden().at("named_parameters");
  ASSERT_EQ(named.size(), 11u);
  for (const auto& [name, want] : named.items()) {
    auto net = build(name);
    ASSERT_NE(net, nullptr) << name;
    const auto got = net->named_parameters();
    ASSERT_EQ(got.size(), want.size()) << name;
    const auto params = net->parameters();
    ASSERT_EQ(params.size(), want.size()) << name;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].first, want[i][0].get<std::string>()) << name;
      EXPECT_EQ(got[i].second.shape(), want[i][1].get<Shape>()) << name << " " << got[i].first;
      EXPECT_TRUE(params[i].is_same(got[i].second)) << name << ": parameters() order differs at " << i;
      EXPECT_TRUE(got[i].second.requires_grad()) << name << " " << got[i].first;
    }
  }
}

TEST(Sequential, IndexingReturnsTheChildren) {
  auto l0 = std::make_shared<Linear>(2, 3);
  auto l1 = std::make_shared<Linear>(3, 1);
  Sequential net(l0, l1);
  ASSERT_EQ(net.size(), 2u);
  EXPECT_EQ(net[0].get(), l0.get());
  EXPECT_EQ(net[1].get(), l1.get());
  EXPECT_EQ(net.at<Linear>(0), l0);
  // net[0].weight.data.fill_(0.25) in C++: changes the net's own parameter.
  net.at<Linear>(0)->weight.data().fill_(0.25);
  EXPECT_TRUE(net.parameters()[0].is_same(l0->weight));
  EXPECT_EQ(net.parameters()[0].to_vector<float>(), std::vector<float>(6, 0.25f));
  EXPECT_THROW(net[2], Error);
  EXPECT_THROW(net.at<Sequential>(0), Error);
  EXPECT_EQ(net.named_children()[1].first, "1");
}

TEST(Sequential, ForwardComposesChildrenInOrder) {
  manual_seed(1);
  auto l0 = std::make_shared<Linear>(3, 4);
  auto l1 = std::make_shared<Linear>(4, 2);
  Sequential net(l0, std::make_shared<ReLULike>(), l1);
  Tensor x = randn({5, 3});
  Tensor want = (*l1)(relu((*l0)(x)));
  Tensor got = net(x);
  ASSERT_EQ(got.shape(), (Shape{5, 2}));
  EXPECT_EQ(got.to_vector<float>(), want.to_vector<float>());
  // An empty Sequential is the identity.
  Sequential empty_net;
  EXPECT_TRUE(empty_net(x).is_same(x) || empty_net(x).to_vector<float>() == x.to_vector<float>());
}

TEST(Sequential, ThreeConstructionStylesNameChildren) {
  Sequential a(std::make_shared<Linear>(2, 1), std::make_shared<Linear>(1, 1));
  EXPECT_EQ(a.named_children()[0].first, "0");
  EXPECT_EQ(a.named_children()[1].first, "1");
  Sequential b;
  b.add_module("linear", std::make_shared<Linear>(2, 1));
  b.push_back(std::make_shared<Linear>(1, 1));  // positional after a named one: named by index
  EXPECT_EQ(b.named_children()[0].first, "linear");
  EXPECT_EQ(b.named_children()[1].first, "1");
  Sequential c(nn::OrderedDict{{"hidden", std::make_shared<Linear>(2, 4)}, {"out", std::make_shared<Linear>(4, 1)}});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.named_parameters()[2].first, "out.weight");
}

TEST(Module, DuplicateNamesAreRejected) {
  struct M : nn::Module {};
  M m;
  m.register_parameter("w", zeros({2}));
  EXPECT_THROW(m.register_parameter("w", zeros({3})), Error);
  m.register_module("child", std::make_shared<Linear>(1, 1));
  EXPECT_THROW(m.register_module("child", std::make_shared<Linear>(1, 1)), Error);
  // A parameter and a module can't share a name either (PyTorch: "attribute 'w' already exists").
  EXPECT_THROW(m.register_module("w", std::make_shared<Linear>(1, 1)), Error);
  EXPECT_THROW(m.register_parameter("child", zeros({1})), Error);
  // Names can't be empty or contain dots.
  EXPECT_THROW(m.register_parameter("", zeros({1})), Error);
  EXPECT_THROW(m.register_parameter("a.b", zeros({1})), Error);
  EXPECT_THROW(m.register_module("a.b", std::make_shared<Linear>(1, 1)), Error);
  EXPECT_THROW(m.register_module<Linear>("null", nullptr), Error);
  // The failed registrations left the module as it was.
  ASSERT_EQ(m.named_parameters().size(), 3u);
  EXPECT_EQ(m.named_parameters()[0].first, "w");
  EXPECT_EQ(m.named_parameters()[1].first, "child.weight");

  Sequential net;
  net.add_module("linear", std::make_shared<Linear>(2, 1));
  EXPECT_THROW(net.add_module("linear", std::make_shared<Linear>(2, 1)), Error);
  EXPECT_EQ(net.size(), 1u);
}

TEST(Module, RegisterParameterMakesALeafThatRequiresGrad) {
  struct M : nn::Module {};
  M m;
  Tensor w = m.register_parameter("w", zeros({2}));
  EXPECT_TRUE(w.requires_grad());
  EXPECT_TRUE(w.is_leaf());
  Tensor frozen = m.register_parameter("frozen", zeros({2}), /*requires_grad=*/false);
  EXPECT_FALSE(frozen.requires_grad());
  // A computed (non-leaf) tensor can't be a parameter: it would never receive a gradient.
  Tensor x = ones({2}).requires_grad_();
  EXPECT_THROW(m.register_parameter("computed", x * 2.0), Error);
  EXPECT_EQ(m.named_parameters().size(), 2u);
}

TEST(Module, NamedParametersNonRecursive) {
  TwoLayer net;
  const auto own = net.named_parameters(/*recurse=*/false);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].first, "scale");
  EXPECT_EQ(net.parameters(false).size(), 1u);
  EXPECT_EQ(net.parameters().size(), 5u);
}

TEST(Module, SharedParametersAreListedOnce) {
  auto shared = std::make_shared<Linear>(3, 3);
  Sequential net(shared, std::make_shared<ReLULike>(), shared);
  const auto named = net.named_parameters();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].first, "0.weight");
  EXPECT_EQ(named[1].first, "0.bias");
}

TEST(Module, ZeroGradZeroesEveryParametersGradient) {
  manual_seed(0);
  Sequential net(std::make_shared<Linear>(3, 4), std::make_shared<Sequential>(std::make_shared<Linear>(4, 1)));
  net.zero_grad();  // before any backward: no gradient to zero, no error
  for (const auto& p : net.parameters()) EXPECT_FALSE(p.grad().defined());
  net(randn({6, 3})).sum().backward();
  double total = 0;
  for (const auto& p : net.parameters()) {
    ASSERT_TRUE(p.grad().defined());
    for (float g : p.grad().to_vector<float>()) total += std::abs(g);
  }
  EXPECT_GT(total, 0.0);
  net.zero_grad();
  for (const auto& [name, p] : net.named_parameters())
    for (float g : p.grad().to_vector<float>()) EXPECT_EQ(g, 0.0f) << name;
}

TEST(Module, TrainEvalPropagatesToChildren) {
  auto inner = std::make_shared<Sequential>(std::make_shared<Linear>(2, 2));
  auto net = std::make_shared<Sequential>(std::make_shared<Linear>(2, 2), inner);
  auto all_training = [&](bool want) {
    EXPECT_EQ(net->is_training(), want);
    EXPECT_EQ((*net)[0]->is_training(), want);
    EXPECT_EQ(inner->is_training(), want);
    EXPECT_EQ((*inner)[0]->is_training(), want);
  };
  all_training(true);  // modules start in training mode
  net->eval();
  all_training(false);
  net->train();
  all_training(true);
  net->train(false);
  all_training(false);
  net->train();
  inner->eval();  // only the subtree
  EXPECT_TRUE(net->is_training());
  EXPECT_TRUE((*net)[0]->is_training());
  EXPECT_FALSE(inner->is_training());
  EXPECT_FALSE((*inner)[0]->is_training());
}

TEST(Module, BaseForwardThrows) {
  struct NoForward : nn::Module {
    std::string type_name() const override { return "NoForward"; }
  };
  NoForward m;
  try {
    m(zeros({1}));
    FAIL() << "expected d2l::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("NoForward"), std::string::npos) << e.what();
  }
}

TEST(Module, MultiLineExtraReprIsIndented) {
  // PyTorch splits extra_repr on newlines and indents each line, like a child.
  struct Two : nn::Module {
    std::string type_name() const override { return "Two"; }
    std::string extra_repr() const override { return "a=1\nb=2"; }
  };
  EXPECT_EQ(Two().to_string(), "Two(\n  a=1\n  b=2\n)");
  Sequential net(std::make_shared<Two>());
  EXPECT_EQ(net.to_string(), "Sequential(\n  (0): Two(\n    a=1\n    b=2\n  )\n)");
  // split('\n') keeps a trailing empty line.
  struct Trailing : nn::Module {
    std::string type_name() const override { return "T"; }
    std::string extra_repr() const override { return "a=1\n"; }
  };
  EXPECT_EQ(Trailing().to_string(), "T(\n  a=1\n  \n)");
}

}  // namespace
