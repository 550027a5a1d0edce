// mm_out / matmul_out (torch.mm(a, b, out=c)), and the loops and panel kernel that replace
// BLAS for tiny products and for float32, against products summed without any GEMM.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/threads.h"
#include "error_of.h"
#include "gradcheck.h"

namespace d2l {
namespace {

using testing::uniform;

// A @ B without any GEMM: every product a[i][p] * b[p][j] broadcast out, then summed over p.
std::vector<double> naive_product(const Tensor& a, const Tensor& b) {
  return (a.unsqueeze(2) * b.unsqueeze(0)).sum({1}).to_vector<double>();
}

void expect_near(const Tensor& got, const std::vector<double>& want, double tol) {
  const auto g = got.to_vector<double>();
  ASSERT_EQ(g.size(), want.size());
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(g[i], want[i], tol) << "element " << i;
}

TEST(SmallProducts, MatchNaiveLoops) {
  // Below the BLAS threshold: matrix @ vector, general, transposed and strided operands.
  const Tensor x = uniform({10, 2}, -1, 1, 1), w = uniform({2, 1}, -1, 1, 2);
  expect_near(mm(x, w), naive_product(x, w), 1e-12);
  const Tensor g = uniform({10, 1}, -1, 1, 3);
  expect_near(mm(x.t(), g), naive_product(x.t(), g), 1e-12);  // the weight gradient's layout
  const Tensor a = uniform({3, 4}, -1, 1, 4), b = uniform({4, 5}, -1, 1, 5);
  expect_near(mm(a, b), naive_product(a, b), 1e-12);
  const Tensor stepped = uniform({3, 8}, -1, 1, 6).slice(1, 0, std::nullopt, 2);
  expect_near(mm(stepped, b), naive_product(stepped, b), 1e-12);
  // linear adds the bias through the scaled path (beta = 1).
  const Tensor wt = uniform({5, 4}, -1, 1, 7), bias = uniform({5}, -1, 1, 8);
  std::vector<double> want = naive_product(a, wt.t());
  const auto bv = bias.to_vector<double>();
  for (std::size_t i = 0; i < want.size(); ++i) want[i] += bv[i % 5];
  expect_near(linear(a, wt, bias), want, 1e-12);
  // float32 operands accumulate in float32 (as BLAS does): within float32 rounding of the
  // float64 product. (Not bit for bit: the compiler may fuse a multiply-add.)
  const Tensor xf = x.to(kFloat32), wf = w.to(kFloat32);
  expect_near(mm(xf, wf), naive_product(xf.to(kFloat64), wf.to(kFloat64)), 1e-6);
  EXPECT_EQ(mm(xf, wf).dtype(), kFloat32);
}

TEST(NarrowProducts, MatchNaiveLoops) {
  // float32 products over the small-product threshold with one side at most 16 wide (softmax's
  // 10 classes): every layout the panel kernel reads, against float64 sums.
  auto check = [](const Tensor& a, const Tensor& b) {
    const Tensor got = mm(a, b);
    EXPECT_EQ(got.dtype(), kFloat32);
    expect_near(got, naive_product(a.to(kFloat64), b.to(kFloat64)), 1e-4);
  };
  auto f32 = [](Shape shape, std::uint64_t seed) { return uniform(std::move(shape), -1, 1, seed).to(kFloat32); };
  const Tensor x = f32({67, 120}, 51), w = f32({120, 10}, 52), g = f32({67, 10}, 53);
  check(x, w);                                                 // forward, X @ W
  check(x.t(), g);                                             // X^T @ G, the weight gradient
  check(x, f32({10, 120}, 54).t());                            // X @ W^T, linear's layout
  check(g.t(), x);                                             // G^T @ X: short and wide, written transposed
  check(f32({5, 120}, 55), f32({120, 300}, 56));               // short and wide, plain
  check(f32({67, 240}, 57).slice(1, 0, std::nullopt, 2), w);   // a step-sliced operand
  check(x, f32({120, 1}, 58));                                 // matrix @ vector
  check(f32({9, 700}, 59), f32({700, 16}, 60));                // both sides narrow, a partial row block
  // linear adds its bias through beta = 1.
  const Tensor wt = f32({10, 120}, 61), bias = f32({10}, 62);
  std::vector<double> want = naive_product(x.to(kFloat64), wt.t().to(kFloat64));
  const auto bv = bias.to_vector<double>();
  for (std::size_t i = 0; i < want.size(); ++i) want[i] += bv[i % 10];
  expect_near(linear(x, wt, bias), want, 1e-4);
}

TEST(NarrowProducts, SameResultOnAnyThreadCount) {
  // Big enough to split across threads; each output is one in-order sum, so bit-equal.
  const Tensor a = uniform({520, 300}, -1, 1, 71).to(kFloat32), b = uniform({300, 10}, -1, 1, 72).to(kFloat32);
  const int before = get_num_threads();
  set_num_threads(1);
  const std::vector<float> one = mm(a, b).to_vector<float>();
  set_num_threads(2);
  const std::vector<float> two = mm(a, b).to_vector<float>();
  set_num_threads(before);
  EXPECT_EQ(one, two);
  expect_near(mm(a, b), naive_product(a.to(kFloat64), b.to(kFloat64)), 1e-4);
}

TEST(PanelProducts, MatchNaiveLoopsOnEveryLayout) {
  // Wide float32 products (the MLP's layers, a recurrent step, a 2579-character output
  // layer's gradients): sizes that leave partial tiles and panels, both orientations (B
  // packed, or A packed and C written transposed), every operand layout and beta.
  auto f32 = [](Shape shape, std::uint64_t seed) { return uniform(std::move(shape), -1, 1, seed).to(kFloat32); };
  auto check = [](const Tensor& a, const Tensor& b) {
    expect_near(mm(a, b), naive_product(a.to(kFloat64), b.to(kFloat64)), 1e-4);
  };
  const Tensor x = f32({45, 70}, 81), w = f32({70, 37}, 82);
  check(x, w);                                                // m > n: B packed
  check(f32({19, 70}, 83), f32({70, 130}, 84));               // m < n: A packed, C transposed
  check(x, f32({37, 70}, 85).t());                            // linear's X @ W^T
  check(x.t(), f32({45, 33}, 86));                            // X^T @ G, the weight gradient
  check(f32({45, 33}, 87).t(), x);                            // G^T @ X with m < n
  check(f32({45, 140}, 88).slice(1, 0, std::nullopt, 2), w);  // a step-sliced operand
  check(f32({1, 300}, 89), f32({300, 40}, 90));               // a single row
  const Tensor wt = f32({37, 70}, 91), bias = f32({37}, 92);
  std::vector<double> want = naive_product(x.to(kFloat64), wt.t().to(kFloat64));
  const auto bv = bias.to_vector<double>();
  for (std::size_t i = 0; i < want.size(); ++i) want[i] += bv[i % 37];
  expect_near(linear(x, wt, bias), want, 1e-4);  // beta = 1
}

TEST(PanelProducts, SameResultOnAnyThreadCount) {
  const int before = get_num_threads();
  for (const auto& [a, b] : {std::pair{uniform({300, 200}, -1, 1, 93), uniform({200, 120}, -1, 1, 94)},
                             std::pair{uniform({40, 300}, -1, 1, 95), uniform({300, 500}, -1, 1, 96)}}) {
    const Tensor af = a.to(kFloat32), bf = b.to(kFloat32);
    set_num_threads(1);
    const std::vector<float> one = mm(af, bf).to_vector<float>();
    set_num_threads(2);
    const std::vector<float> two = mm(af, bf).to_vector<float>();
    EXPECT_EQ(one, two);
  }
  set_num_threads(before);
}

TEST(MmOut, WritesIntoTheGivenTensor) {
  const Tensor a = uniform({10, 2}, -1, 1, 11).to(kFloat32), b = uniform({2, 1}, -1, 1, 12).to(kFloat32);
  Tensor out = zeros({10, 1});
  const void* buffer = out.raw_data();
  Tensor& result = mm_out(out, a, b);
  EXPECT_TRUE(result.is_same(out));
  EXPECT_EQ(out.raw_data(), buffer);  // no new storage
  EXPECT_EQ(out.to_vector<float>(), mm(a, b).to_vector<float>());
  EXPECT_FALSE(out.grad_fn());
  // A product large enough for BLAS, with transposed operands.
  const Tensor at = uniform({33, 17}, -1, 1, 13), bt = uniform({9, 33}, -1, 1, 14);
  Tensor big = empty({17, 9}, kFloat64);
  mm_out(big, at.t(), bt.t());
  expect_near(big, naive_product(at.t(), bt.t()), 1e-12);
}

TEST(MmOut, ResizesAnOutOfAnotherShape) {
  const Tensor a = uniform({3, 4}, -1, 1, 21), b = uniform({4, 5}, -1, 1, 22);
  Tensor out = zeros({7}, kFloat64);
  mm_out(out, a, b);
  EXPECT_EQ(out.shape(), (Shape{3, 5}));
  EXPECT_TRUE(out.is_contiguous());
  expect_near(out, naive_product(a, b), 1e-12);
}

TEST(MmOut, NonContiguousAndOverlappingOutputs) {
  const Tensor a = uniform({3, 4}, -1, 1, 31), b = uniform({4, 5}, -1, 1, 32);
  // A transposed view: the values land in the base tensor, transposed.
  Tensor base = zeros({5, 3}, kFloat64);
  Tensor view = base.t();
  mm_out(view, a, b);
  expect_near(base.t(), naive_product(a, b), 1e-12);
  // out is one of the operands: the product is taken before anything is overwritten.
  Tensor sq = uniform({4, 4}, -1, 1, 33);
  const Tensor w = uniform({4, 4}, -1, 1, 34);
  const std::vector<double> want = naive_product(sq, w);
  mm_out(sq, sq, w);
  expect_near(sq, want, 1e-12);
}

TEST(MatmulOut, HandlesEveryRank) {
  const Tensor a = uniform({2, 3, 4}, -1, 1, 41), b = uniform({2, 4, 5}, -1, 1, 42), v = uniform({4}, -1, 1, 43);
  Tensor out = empty({0}, kFloat64);
  matmul_out(out, a, b);
  EXPECT_EQ(out.to_vector<double>(), matmul(a, b).to_vector<double>());
  matmul_out(out, a[0], v);
  EXPECT_EQ(out.shape(), (Shape{3}));
  EXPECT_EQ(out.to_vector<double>(), matmul(a[0], v).to_vector<double>());
  Tensor out2 = empty({3, 5}, kFloat64);
  const void* buffer = out2.raw_data();
  matmul_out(out2, a[1], b[1]);
  EXPECT_EQ(out2.raw_data(), buffer);
  EXPECT_EQ(out2.to_vector<double>(), mm(a[1], b[1]).to_vector<double>());
}

TEST(MmOut, ErrorsReadLikePyTorch) {
  Tensor out = zeros({2, 2});
  EXPECT_EQ(error_of([&] { mm_out(out, ones({2, 3}), ones({2, 2})); }),
            "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x2)");
  EXPECT_EQ(error_of([&] { mm_out(out, ones({2, 2}, kFloat64), ones({2, 2}, kFloat64)); }),
            "Expected out tensor to have dtype torch.float64, but got torch.float32 instead");
  Tensor w = ones({2, 2}).requires_grad_();
  EXPECT_EQ(error_of([&] { mm_out(out, ones({2, 2}), w); }),
            "mm(): functions with out=... arguments don't support automatic differentiation, but one of the "
            "arguments requires grad.");
  EXPECT_EQ(error_of([&] { matmul_out(out, ones({2}), w); }),
            "matmul(): functions with out=... arguments don't support automatic differentiation, but one of the "
            "arguments requires grad.");
  {
    NoGradGuard no_grad;  // allowed where nothing is recorded
    mm_out(out, ones({2, 2}), w);
  }
  EXPECT_EQ(out.to_vector<float>(), (std::vector<float>{2, 2, 2, 2}));
}

}  // namespace
}  // namespace d2l
