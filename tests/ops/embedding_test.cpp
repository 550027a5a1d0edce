// embedding (row lookup, scatter-add backward) and nn::Embedding.
#include "d2l/nn/embedding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/random.h"
#include "error_of.h"
#include "gradcheck.h"

namespace d2l {
namespace {

using testing::gradcheck;
using testing::uniform;

TEST(Embedding, PicksRowsForAnyIndexShape) {
  const Tensor w = tensor({{0, 1}, {10, 11}, {20, 21}});
  const Tensor out = embedding(w, tensor({{2, 0, 2}, {1, 1, 0}}, kInt64));
  EXPECT_EQ(out.shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(out.to_vector<float>(), (std::vector<float>{20, 21, 0, 1, 20, 21, 10, 11, 10, 11, 0, 1}));
  const Tensor one = embedding(w, scalar_tensor(1, kInt64));  // a 0-d index gives one row
  EXPECT_EQ(one.shape(), (Shape{2}));
  EXPECT_EQ(one.to_vector<float>(), (std::vector<float>{10, 11}));
  EXPECT_EQ(embedding(w, zeros({0}, kInt64)).shape(), (Shape{0, 2}));
  // Strided weights and indices read the same values.
  const Tensor wt = tensor({{0, 10, 20}, {1, 11, 21}}).t();
  EXPECT_EQ(embedding(wt, tensor({2, 0}, kInt64)).to_vector<float>(), (std::vector<float>{20, 21, 0, 1}));
}

TEST(Embedding, GradientAddsUpOverRepeatedIndices) {
  Tensor w = zeros({4, 3}).requires_grad_();
  const Tensor idx = tensor({{1, 3}, {1, 1}}, kInt64);
  const Tensor g = tensor({{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}});
  embedding(w, idx).backward(g);
  EXPECT_EQ(w.grad().to_vector<float>(), (std::vector<float>{0, 0, 0, 18, 21, 24, 0, 0, 0, 4, 5, 6}));
  EXPECT_STREQ(embedding(w, idx).grad_fn()->name, "EmbeddingBackward0");
}

TEST(Embedding, Gradcheck) {
  const Tensor idx = tensor({{0, 2, 2}, {4, 1, 0}}, kInt64);
  EXPECT_TRUE(
      gradcheck([idx](const std::vector<Tensor>& in) { return embedding(in[0], idx); }, {uniform({5, 3}, -1, 1, 3)}));
  // Used twice in one graph, and downstream of other ops.
  EXPECT_TRUE(gradcheck(
      [idx](const std::vector<Tensor>& in) { return tanh(embedding(in[0] * 2.0, idx)) * embedding(in[0], idx); },
      {uniform({5, 3}, -1, 1, 4)}));
}

TEST(Embedding, OutOfRangeIndexNamesIt) {
  const Tensor w = zeros({3, 2});
  const std::string e = error_of([&] { embedding(w, tensor({0, 3}, kInt64)); });
  EXPECT_NE(e.find("index 3 is out of range for an embedding of 3 rows"), std::string::npos) << e;
  EXPECT_NE(error_of([&] { embedding(w, tensor({-1}, kInt64)); }).find("index -1"), std::string::npos);
  EXPECT_NE(error_of([&] { embedding(w, tensor({0.0f})); }).find("Long (int64)"), std::string::npos);
  EXPECT_NE(error_of([&] { embedding(zeros({3}), tensor({0}, kInt64)); }).find("must be 2-D"), std::string::npos);
}

TEST(Embedding, ModuleHasTorchInitNameAndPrint) {
  manual_seed(3);
  nn::Embedding emb(200, 50);
  EXPECT_EQ(emb.weight.shape(), (Shape{200, 50}));
  ASSERT_EQ(emb.named_parameters().size(), 1u);
  EXPECT_EQ(emb.named_parameters()[0].first, "weight");
  EXPECT_TRUE(emb.weight.requires_grad());
  // N(0, 1): 10,000 draws have mean within 0.05 of 0 and std within 0.05 of 1.
  const auto v = emb.weight.to_vector<double>();
  double m = 0, s = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  for (double x : v) s += (x - m) * (x - m);
  EXPECT_NEAR(m, 0.0, 0.05);
  EXPECT_NEAR(std::sqrt(s / static_cast<double>(v.size())), 1.0, 0.05);
  EXPECT_EQ(emb.to_string(), "Embedding(200, 50)");
  const Tensor out = emb(tensor({{3, 7}}, kInt64));
  EXPECT_EQ(out.shape(), (Shape{1, 2, 50}));
  EXPECT_EQ(out[0][1].to_vector<float>(), emb.weight[7].to_vector<float>());
}

}  // namespace
}  // namespace d2l
