// The small containers and pools under every tensor and graph node: SmallVector (shapes),
// InlineList (node inputs, gradients), the pooled objects and the storage's inline buffer.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "d2l/detail/inline_list.h"
#include "d2l/detail/pool.h"
#include "d2l/ops.h"
#include "d2l/shape.h"
#include "d2l/tensor.h"

namespace d2l {
namespace {

TEST(SmallVector, CopiesMovesAndComparesInlineAndOnTheHeap) {
  const Shape small = {2, 3, 4};
  Shape copy = small;
  EXPECT_EQ(copy, small);
  EXPECT_EQ(copy.size(), 3u);
  Shape big(9, 7);  // past the inline capacity of 6
  big[8] = 1;
  Shape big_copy = big;
  EXPECT_EQ(big_copy, big);
  EXPECT_FALSE(big_copy == small);
  copy = big;  // inline <- heap
  EXPECT_EQ(copy, big);
  big_copy = small;  // heap buffer reused for fewer elements
  EXPECT_EQ(big_copy, small);
  Shape moved = std::move(copy);
  EXPECT_EQ(moved, big);
  Shape moved_small = Shape{5, 6};
  moved_small = Shape{7};
  EXPECT_EQ(moved_small, (Shape{7}));
  // resize fills only the new slots; shrinking keeps the first ones.
  Shape r = {1, 2};
  r.resize(5, 9);
  EXPECT_EQ(r, (Shape{1, 2, 9, 9, 9}));
  r.resize(1);
  EXPECT_EQ(r, (Shape{1}));
  r.resize(8, 3);
  EXPECT_EQ(r, (Shape{1, 3, 3, 3, 3, 3, 3, 3}));
  EXPECT_EQ(Shape(std::vector<std::int64_t>{4, 5}), (Shape{4, 5}));
  EXPECT_FALSE((Shape{1, 2}) == (Shape{1, 3}));
  EXPECT_FALSE((Shape{1, 2}) == (Shape{1, 2, 3}));
}

TEST(InlineList, HoldsOnlyLiveElementsAndSpillsPastN) {
  using List = detail::InlineList<std::shared_ptr<int>, 3>;
  auto p = std::make_shared<int>(1);
  {
    List list;
    EXPECT_TRUE(list.empty());
    for (int i = 0; i < 5; ++i) list.push_back(p);  // spills to the heap at the fourth
    EXPECT_EQ(list.size(), 5u);
    EXPECT_EQ(p.use_count(), 6);
    List moved = std::move(list);  // a spilled list hands over its buffer
    EXPECT_EQ(moved.size(), 5u);
    EXPECT_TRUE(list.empty());
    List copy = moved;
    EXPECT_EQ(p.use_count(), 11);
    EXPECT_EQ(*copy.pop_back(), 1);
    EXPECT_EQ(copy.size(), 4u);
    EXPECT_EQ(p.use_count(), 10);
    copy.clear();
    EXPECT_EQ(p.use_count(), 6);
    List small{p, nullptr};
    List target{p, p, p, p};
    target = std::move(small);  // inline elements are moved one by one
    EXPECT_EQ(target.size(), 2u);
    EXPECT_EQ(target[1], nullptr);
    EXPECT_EQ(p.use_count(), 7);
  }
  EXPECT_EQ(p.use_count(), 1);  // every element destroyed exactly once
  // From a std::vector (a backward may return one), and sized.
  detail::InlineList<std::string, 2> from_vector(std::vector<std::string>{"a", "b", "c"});
  EXPECT_EQ(from_vector.size(), 3u);
  EXPECT_EQ(from_vector[2], "c");
  detail::InlineList<std::string, 2> sized(4);
  EXPECT_EQ(sized.size(), 4u);
  EXPECT_EQ(sized[3], "");
}

TEST(Pool, ReusesBlocksOfOneSize) {
  struct Obj {
    double payload[5];
  };
  auto a = detail::make_pooled<Obj>();
  const void* first = a.get();
  a.reset();
  auto b = detail::make_pooled<Obj>();  // the block just freed comes back first
  EXPECT_EQ(static_cast<const void*>(b.get()), first);
}

TEST(Storage, SmallTensorsKeepTheirElementsInline) {
  // 32 floats fill the inline buffer exactly; 33 take a separate block. Both behave alike.
  for (std::int64_t n : {1, 32, 33, 1000}) {
    Tensor t = arange(static_cast<double>(n), kFloat32);
    Tensor v = t.view({n, 1});
    v.fill_(2.0);
    EXPECT_EQ(t.to_vector<float>(), std::vector<float>(static_cast<std::size_t>(n), 2.0f)) << n;
    EXPECT_EQ(t.raw_data(), v.raw_data());
    const bool inline_buffer = t.raw_data() == static_cast<void*>(t.impl()->storage->inline_data);
    EXPECT_EQ(inline_buffer, n * 4 <= static_cast<std::int64_t>(Storage::kInlineBytes)) << n;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.raw_data()) % 16, 0u);
    Tensor c = t.clone();
    EXPECT_NE(c.raw_data(), t.raw_data());
    EXPECT_EQ(c.to_vector<float>(), t.to_vector<float>());
  }
  // float64 and int64 elements in the inline buffer.
  EXPECT_EQ((arange(4.0, kFloat64) * 2.0).to_vector<double>(), (std::vector<double>{0, 2, 4, 6}));
  EXPECT_EQ(arange(5.0).to_vector<std::int64_t>(), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace d2l
