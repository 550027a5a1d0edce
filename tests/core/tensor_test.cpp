// Tensor basics: creation, metadata, views and their shared storage, copies, element access,
// index_select and dtype promotion. Expected values are worked out by hand or are PyTorch's.
#include <gtest/gtest.h>

#include "error_of.h"

#include <cmath>
#include <string>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "gradcheck.h"  // PrintTo(DType)

namespace d2l {
namespace {

using Vec = std::vector<float>;
using Vec64 = std::vector<double>;
using VecI = std::vector<std::int64_t>;

#define EXPECT_ERROR_CONTAINS(stmt, text)                                          \
  do {                                                                             \
    const std::string msg_ = error_of([&] { stmt; });                             \
    EXPECT_NE(msg_.find(text), std::string::npos) << "message: " << msg_;          \
  } while (0)

// ---- creation

TEST(Tensor, FilledCreation) {
  const Tensor z = zeros({2, 3});
  EXPECT_EQ(z.shape(), (Shape{2, 3}));
  EXPECT_EQ(z.dtype(), kFloat32);
  EXPECT_EQ(z.to_vector<float>(), Vec(6, 0.0f));
  EXPECT_EQ(ones({3}, kInt64).to_vector<std::int64_t>(), (VecI{1, 1, 1}));
  EXPECT_EQ(full({2, 2}, -1.5, kFloat64).to_vector<double>(), (Vec64{-1.5, -1.5, -1.5, -1.5}));
  EXPECT_EQ(zeros_like(full({2}, 3.0, kFloat64)).dtype(), kFloat64);
  EXPECT_EQ(ones_like(zeros({4, 1})).to_vector<float>(), Vec(4, 1.0f));
  EXPECT_EQ(empty_like(zeros({2, 5})).shape(), (Shape{2, 5}));
  EXPECT_EQ(eye(3).to_vector<float>(), (Vec{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  const Tensor s = scalar_tensor(2.5);
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_EQ(s.item<float>(), 2.5f);
  EXPECT_EQ(zeros({0, 3}).numel(), 0);
  EXPECT_ERROR_CONTAINS(zeros({2, -1}), "negative dimension");
}

TEST(Tensor, Arange) {
  EXPECT_EQ(arange(5.0).dtype(), kInt64);  // torch.arange(5) is int64
  EXPECT_EQ(arange(5.0).to_vector<std::int64_t>(), (VecI{0, 1, 2, 3, 4}));
  EXPECT_EQ(arange(2, 11, 3).to_vector<std::int64_t>(), (VecI{2, 5, 8}));
  EXPECT_EQ(arange(3, 0, -1).to_vector<std::int64_t>(), (VecI{3, 2, 1}));
  EXPECT_EQ(arange(0, 1, 0.25, kFloat32).to_vector<float>(), (Vec{0, 0.25f, 0.5f, 0.75f}));
  EXPECT_EQ(arange(0, 1, 0.1, kFloat64).numel(), 10);  // torch.arange(0, 1, 0.1) has 10 elements
  EXPECT_EQ(arange(0.0).numel(), 0);
  EXPECT_ERROR_CONTAINS(arange(0, 5, -1), "inconsistent with step sign");
  EXPECT_ERROR_CONTAINS(arange(0, 5, 0), "invalid range");
}

TEST(Tensor, FromNestedLists) {
  const Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  EXPECT_EQ(a.shape(), (Shape{2, 3}));
  EXPECT_EQ(a.dtype(), kFloat32);
  EXPECT_EQ(a.to_vector<float>(), (Vec{1, 2, 3, 4, 5, 6}));
  const Tensor b = tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}, {{9, 10}, {11, 12}}}, kInt64);
  EXPECT_EQ(b.shape(), (Shape{3, 2, 2}));
  EXPECT_EQ(b.at({2, 1, 0}), 11.0);
  EXPECT_EQ(tensor({0.1}, kFloat64).item<double>(), 0.1) << "float64 keeps the literal's double";
  EXPECT_EQ(tensor({0.1}).item<float>(), 0.1f) << "float32 rounds it once";
  EXPECT_ERROR_CONTAINS(tensor({{1.0, 2.0}, {3.0}}), "different lengths");
  EXPECT_EQ(from_vector(std::vector<double>{1, 2, 3, 4, 5, 6}, {3, 2}).at({2, 1}), 6.0);
  EXPECT_EQ(from_vector(std::vector<std::int64_t>{7, 8}).dtype(), kInt64);
  EXPECT_EQ(from_vector(std::vector<bool>{true, false}).dtype(), kBool);
  EXPECT_ERROR_CONTAINS(from_vector(std::vector<float>{1, 2, 3}, {2, 2}), "do not fill shape");
}

// ---- metadata

TEST(Tensor, Metadata) {
  const Tensor t = zeros({2, 3, 4});
  EXPECT_EQ(t.dim(), 3);
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.size(-1), 4);
  EXPECT_EQ(t.size(0), 2);
  EXPECT_EQ(t.strides(), (Shape{12, 4, 1}));
  EXPECT_EQ(t.stride(-2), 4);
  EXPECT_TRUE(t.is_contiguous());
  EXPECT_ERROR_CONTAINS(t.size(3), "dimension out of range (expected to be in range of [-3, 2], but got 3)");
}

// ---- views share storage

TEST(Tensor, ViewsShareStorage) {
  Tensor base = arange(12.0, kFloat32).reshape({3, 4});
  Tensor row = base[1];
  Tensor col = base.select(1, 2);
  Tensor tr = base.t();
  EXPECT_EQ(row.to_vector<float>(), (Vec{4, 5, 6, 7}));
  EXPECT_EQ(col.to_vector<float>(), (Vec{2, 6, 10}));
  EXPECT_EQ(tr.shape(), (Shape{4, 3}));
  EXPECT_EQ(tr.strides(), (Shape{1, 4}));
  EXPECT_FALSE(tr.is_contiguous());
  EXPECT_EQ(tr.at({3, 2}), 11.0);
  // Writing through any view changes the base and every other view of it.
  row.fill_(-1.0);
  EXPECT_EQ(base.at({1, 0}), -1.0);
  EXPECT_EQ(col.at({1}), -1.0);
  EXPECT_EQ(tr.at({2, 1}), -1.0);
  col.mul_(10.0);
  EXPECT_EQ(base.to_vector<float>(), (Vec{0, 1, 20, 3, -1, -1, -10, -1, 8, 9, 100, 11}));
}

TEST(Tensor, ViewShapesAndStrides) {
  const Tensor x = arange(24.0, kFloat32).reshape({2, 3, 4});
  EXPECT_EQ(x.view({6, -1}).shape(), (Shape{6, 4}));
  EXPECT_EQ(x.permute({2, 0, 1}).shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(x.permute({2, 0, 1}).strides(), (Shape{1, 12, 4}));
  EXPECT_EQ(x.permute({2, 0, 1}).at({3, 1, 2}), 23.0);
  EXPECT_EQ(x.transpose(0, 2).at({3, 2, 1}), 23.0);  // x[1, 2, 3]
  const Tensor n = x.narrow(2, 1, 2);
  EXPECT_EQ(n.shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(n.storage_offset(), 1);
  EXPECT_EQ(n.at({1, 2, 1}), 22.0);
  // Python's x[:, :, 1::2] and x[..., -3:-1]
  EXPECT_EQ(x.slice(2, 1, std::nullopt, 2).reshape({-1}).to_vector<float>(),
            (Vec{1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23}));
  EXPECT_EQ(x[0][0].slice(0, -3, -1).to_vector<float>(), (Vec{1, 2}));
  EXPECT_EQ(x[0][0].slice(0, 10, 20).numel(), 0) << "out-of-range bounds clamp, as in Python";
  EXPECT_EQ(x.unsqueeze(1).shape(), (Shape{2, 1, 3, 4}));
  EXPECT_EQ(x.unsqueeze(-1).shape(), (Shape{2, 3, 4, 1}));
  EXPECT_EQ(zeros({1, 3, 1}).squeeze().shape(), (Shape{3}));
  EXPECT_EQ(zeros({1, 3, 1}).squeeze(0).shape(), (Shape{3, 1}));
  EXPECT_EQ(zeros({1, 3, 1}).squeeze(1).shape(), (Shape{1, 3, 1}));
  const Tensor e = tensor({1.0, 2.0, 3.0}).unsqueeze(1).expand({3, 4});
  EXPECT_EQ(e.strides(), (Shape{1, 0}));
  EXPECT_EQ(e.to_vector<float>(), (Vec{1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}));
  EXPECT_EQ(x.flatten(1).shape(), (Shape{2, 12}));
  EXPECT_EQ(x.flatten().shape(), (Shape{24}));
}

TEST(Tensor, ViewErrors) {
  const Tensor x = arange(6.0, kFloat32).reshape({2, 3});
  EXPECT_ERROR_CONTAINS(x.t().view({6}), "use .reshape");
  EXPECT_ERROR_CONTAINS(x.view({4, 2}), "shape '[4, 2]' is invalid for input of size 6");
  EXPECT_ERROR_CONTAINS(x.view({-1, -1}), "only one dimension can be inferred");
  EXPECT_ERROR_CONTAINS(x.expand({2, 4}), "The expanded size of the tensor (4) must match the existing size (3)");
  EXPECT_ERROR_CONTAINS(x.permute({0, 0}), "repeated dim");
  EXPECT_ERROR_CONTAINS(x.narrow(1, 2, 2), "exceeds dimension size");
  EXPECT_ERROR_CONTAINS(x.transpose(0, 2), "dimension out of range");
}

// ---- copies

TEST(Tensor, ContiguousAndClone) {
  Tensor x = arange(6.0, kFloat32).reshape({2, 3});
  EXPECT_TRUE(x.contiguous().is_same(x)) << "already contiguous: no copy";
  const Tensor t = x.t();
  const Tensor c = t.contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_NE(c.raw_data(), x.raw_data());
  EXPECT_EQ(c.to_vector<float>(), (Vec{0, 3, 1, 4, 2, 5}));
  Tensor k = x.clone();
  EXPECT_NE(k.raw_data(), x.raw_data());
  k.fill_(7.0);
  EXPECT_EQ(x.at({1, 2}), 5.0) << "a clone is independent of its source";
  // reshape copies only when it has to
  EXPECT_EQ(x.reshape({3, 2}).raw_data(), x.raw_data());
  EXPECT_NE(t.reshape({6}).raw_data(), x.raw_data());
  EXPECT_EQ(t.reshape({6}).to_vector<float>(), (Vec{0, 3, 1, 4, 2, 5}));
}

TEST(Tensor, ToConvertsDtypes) {
  const Tensor f = tensor({1.75, -2.5, 0.0});
  EXPECT_EQ(f.to(kInt64).to_vector<std::int64_t>(), (VecI{1, -2, 0}));  // truncates toward zero, as PyTorch
  EXPECT_EQ(f.to(kBool).to(kInt64).to_vector<std::int64_t>(), (VecI{1, 1, 0}));
  EXPECT_EQ(f.to(kFloat64).to_vector<double>(), (Vec64{1.75, -2.5, 0.0}));
  EXPECT_TRUE(f.to(kFloat32).is_same(f));
}

TEST(Tensor, CopyAndFill) {
  Tensor x = zeros({2, 3});
  x.copy_(tensor({1.0, 2.0, 3.0}));  // broadcast over rows
  EXPECT_EQ(x.to_vector<float>(), (Vec{1, 2, 3, 1, 2, 3}));
  x.t().copy_(arange(6.0, kFloat32).reshape({3, 2}));  // through a transposed view
  EXPECT_EQ(x.to_vector<float>(), (Vec{0, 2, 4, 1, 3, 5}));
  x.slice(1, 0, std::nullopt, 2).fill_(9.0);
  EXPECT_EQ(x.to_vector<float>(), (Vec{9, 2, 9, 9, 3, 9}));
  EXPECT_ERROR_CONTAINS(x.copy_(zeros({4})), "shapes [2, 3] and [4] cannot be broadcast");
  EXPECT_ERROR_CONTAINS(x.copy_(zeros({3, 2, 3})), "cannot be copied into shape [2, 3]");
}

// ---- element access

TEST(Tensor, ItemAndAt) {
  EXPECT_EQ(tensor({42.0}).item<float>(), 42.0f);
  EXPECT_EQ(tensor({3.0}, kInt64).reshape({1, 1}).item<std::int64_t>(), 3);
  EXPECT_EQ(scalar_tensor(2.5, kFloat64).item(), 2.5);
  EXPECT_ERROR_CONTAINS(tensor({1.0, 2.0}).item(), "a Tensor with 2 elements cannot be converted to Scalar");
  const Tensor x = arange(6.0).reshape({2, 3});
  EXPECT_EQ(x.at({1, 2}), 5.0);
  EXPECT_EQ(x.at({-1, -3}), 3.0);
  EXPECT_ERROR_CONTAINS(x.at({0, 3}), "index 3 is out of bounds for dimension 1 with size 3");
  EXPECT_ERROR_CONTAINS(x.at({1}), "expected 2 indices");
  EXPECT_ERROR_CONTAINS(x[2], "index 2 is out of bounds for dimension 0 with size 2");
  EXPECT_ERROR_CONTAINS(x.select(1, -4), "index -4 is out of bounds");
}

TEST(Tensor, IndexSelect) {
  const Tensor x = arange(12.0, kFloat32).reshape({3, 4});
  const Tensor rows = tensor({2, 0, 2}, kInt64);
  EXPECT_EQ(x.index_select(0, rows).to_vector<float>(), (Vec{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}));
  EXPECT_EQ(x.index_select(1, tensor({3, 1}, kInt64)).to_vector<float>(), (Vec{3, 1, 7, 5, 11, 9}));
  EXPECT_EQ(x.index_select(-1, tensor({0}, kInt64)).shape(), (Shape{3, 1}));
  EXPECT_EQ(x.t().index_select(0, tensor({1}, kInt64)).to_vector<float>(), (Vec{1, 5, 9}));  // strided input
  EXPECT_EQ(x.index_select(0, tensor(std::initializer_list<double>{}, kInt64)).shape(), (Shape{0, 4}));
  EXPECT_EQ(arange(5.0).index_select(0, tensor({4, 4}, kInt64)).to_vector<std::int64_t>(), (VecI{4, 4}));
  EXPECT_ERROR_CONTAINS(x.index_select(0, tensor({1, 5}, kInt64)), "index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_ERROR_CONTAINS(x.index_select(0, tensor({-1}, kInt64)), "index -1 is out of bounds");
  EXPECT_ERROR_CONTAINS(x.index_select(0, tensor({1.0})), "Expected dtype int64 for index");
  EXPECT_ERROR_CONTAINS(scalar_tensor(1.0).index_select(0, tensor({0, 0}, kInt64)), "only 1 value");
}

// ---- dtype promotion (expected dtypes are what PyTorch 1.13 gives)

TEST(Tensor, DtypePromotion) {
  const Tensor i = arange(3.0), f = ones({3}), d = ones({3}, kFloat64), b = tensor({1.0, 0.0, 1.0}) > 0.5;
  EXPECT_EQ((i + f).dtype(), kFloat32);
  EXPECT_EQ((i + d).dtype(), kFloat64);
  EXPECT_EQ((f + d).dtype(), kFloat64);
  EXPECT_EQ((b + i).dtype(), kInt64);
  EXPECT_EQ((i + 1.0).dtype(), kInt64);
  EXPECT_EQ((i - 1.0).dtype(), kInt64);
  EXPECT_EQ((i * 2.5).dtype(), kFloat32);
  EXPECT_EQ((b * 2.5).dtype(), kFloat32);
  EXPECT_EQ((2.5 - i).dtype(), kFloat32);
  EXPECT_EQ((2.5 - i).to_vector<float>(), (Vec{2.5f, 1.5f, 0.5f}));
  EXPECT_EQ((i / 2.0).dtype(), kFloat32) << "true division";
  EXPECT_EQ((i / 2.0).to_vector<float>(), (Vec{0.0f, 0.5f, 1.0f}));
  EXPECT_EQ((2.0 / (i + 1.0)).dtype(), kFloat32);
  EXPECT_EQ((i / i).dtype(), kFloat32);
  EXPECT_EQ(pow(i, 2.0).dtype(), kInt64);
  EXPECT_EQ(pow(i, 2.0).to_vector<std::int64_t>(), (VecI{0, 1, 4}));
  EXPECT_EQ((i > 1.5).dtype(), kBool);
  EXPECT_EQ((i == f).dtype(), kBool);
  EXPECT_EQ(i.sum().dtype(), kInt64);
  EXPECT_EQ(b.sum().dtype(), kInt64);
  EXPECT_EQ(b.sum().item<std::int64_t>(), 2);
  EXPECT_EQ(cat({f, d}).dtype(), kFloat64);
  // A 0-d tensor only decides the dtype when it is of a higher category than the other
  // operand: float32 [3] + float64 0-d is float32, int64 [3] + float64 0-d is float64.
  EXPECT_EQ((f + scalar_tensor(2.0, kFloat64)).dtype(), kFloat32);
  EXPECT_EQ((scalar_tensor(2.0, kFloat64) * f).dtype(), kFloat32);
  EXPECT_EQ((i + scalar_tensor(2.0, kFloat64)).dtype(), kFloat64);
  EXPECT_EQ((i + scalar_tensor(2.0, kFloat32)).dtype(), kFloat32);
  EXPECT_EQ((b + scalar_tensor(2.0, kInt64)).dtype(), kInt64);
  EXPECT_EQ((scalar_tensor(2.0, kFloat64) + scalar_tensor(1.0, kFloat32)).dtype(), kFloat64);
  EXPECT_EQ((d + scalar_tensor(1.0, kFloat32)).dtype(), kFloat64);
  EXPECT_EQ(where(b, f, scalar_tensor(2.0, kFloat64)).dtype(), kFloat32);
  EXPECT_EQ(where(b, i, scalar_tensor(2.0, kFloat64)).dtype(), kFloat64);
  EXPECT_ERROR_CONTAINS(mean(i), "Input dtype must be floating point");
  EXPECT_ERROR_CONTAINS(mm(f.unsqueeze(0), d.unsqueeze(1)), "same dtype");
}

TEST(Tensor, InPlaceOpsKeepTheirDtypeAndShape) {
  Tensor x = zeros({2, 2});
  x += arange(2.0);  // int64 operand, cast into float32
  EXPECT_EQ(x.dtype(), kFloat32);
  EXPECT_EQ(x.to_vector<float>(), (Vec{0, 1, 0, 1}));
  x.add_(tensor({1.0, 1.0}), 0.5);
  EXPECT_EQ(x.to_vector<float>(), (Vec{0.5f, 1.5f, 0.5f, 1.5f}));
  EXPECT_ERROR_CONTAINS(x.add_(zeros({3, 2, 2})), "doesn't match the broadcast shape");
}

}  // namespace
}  // namespace d2l
