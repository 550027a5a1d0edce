// data::Dataset, TensorDataset and DataLoader: coverage per epoch, shuffling, drop_last,
// worker threads (same order as without, early exit, exceptions).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <numeric>
#include <thread>

#include "d2l/data.h"
#include "d2l/ops.h"
#include "d2l/random.h"

using namespace d2l;
using data::DataLoader;
using data::DataLoaderOptions;

namespace {

// Example i: features (i, -i), label i, so every batch can be checked row by row.
std::shared_ptr<data::TensorDataset> numbered(std::int64_t n) {
  std::vector<float> x, y;
  for (std::int64_t i = 0; i < n; ++i) {
    x.push_back(static_cast<float>(i));
    x.push_back(static_cast<float>(-i));
    y.push_back(static_cast<float>(i));
  }
  return std::make_shared<data::TensorDataset>(from_vector(x, {n, 2}), from_vector(y, {n}));
}

// The labels of every batch of one epoch, in order, checking each batch's shape and rows.
std::vector<std::vector<std::int64_t>> epoch(const DataLoader& loader) {
  std::vector<std::vector<std::int64_t>> batches;
  for (const auto& [X, y] : loader) {
    EXPECT_EQ(X.dim(), 2);
    EXPECT_EQ(X.size(1), 2);
    EXPECT_EQ(y.dim(), 1);
    EXPECT_EQ(X.size(0), y.size(0));
    const auto xs = X.to_vector<float>();
    const auto ys = y.to_vector<float>();
    std::vector<std::int64_t> labels;
    for (std::size_t r = 0; r < ys.size(); ++r) {
      EXPECT_EQ(xs[2 * r], ys[r]);
      EXPECT_EQ(xs[2 * r + 1], -ys[r]);
      labels.push_back(static_cast<std::int64_t>(ys[r]));
    }
    batches.push_back(labels);
  }
  return batches;
}

std::vector<std::int64_t> concat(const std::vector<std::vector<std::int64_t>>& batches) {
  std::vector<std::int64_t> all;
  for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
  return all;
}

// Runs `body` on another thread; if it has not finished within `seconds`, the test binary
// can't recover (a thread is stuck), so report and exit rather than hang the suite.
void within_seconds(double seconds, const std::function<void()>& body) {
  struct State {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
  };
  auto state = std::make_shared<State>();
  std::thread t([state, body] {
    body();
    std::lock_guard lock(state->m);
    state->done = true;
    state->cv.notify_all();
  });
  std::unique_lock lock(state->m);
  if (!state->cv.wait_for(lock, std::chrono::duration<double>(seconds), [&] { return state->done; })) {
    std::fprintf(stderr, "DataLoader test hung for %.0f s; aborting the test binary\n", seconds);
    std::_Exit(1);
  }
  lock.unlock();
  t.join();
}

struct Combo {
  std::int64_t n, batch_size;
  bool drop_last;
};

TEST(DataLoader, EveryExampleOncePerEpoch) {
  const Combo combos[] = {{10, 3, false}, {10, 3, true}, {12, 4, false}, {12, 4, true}, {1, 5, false},
                          {5, 10, true},  {7, 7, false}, {7, 1, true},   {0, 3, false}, {101, 16, false},
                          {101, 16, true}};
  for (const auto& c : combos)
    for (int workers : {0, 1, 2, 3})
      for (bool shuffle : {false, true}) {
        SCOPED_TRACE(::testing::Message() << "n=" << c.n << " batch_size=" << c.batch_size << " drop_last="
                                          << c.drop_last << " workers=" << workers << " shuffle=" << shuffle);
        manual_seed(100);
        DataLoader loader(numbered(c.n), DataLoaderOptions(c.batch_size)
                                             .shuffle(shuffle)
                                             .drop_last(c.drop_last)
                                             .num_workers(workers));
        const std::int64_t full = c.n / c.batch_size, rest = c.n % c.batch_size;
        const std::int64_t want_batches = full + (rest > 0 && !c.drop_last ? 1 : 0);
        EXPECT_EQ(loader.size(), want_batches);
        for (int e = 0; e < 2; ++e) {
          const auto batches = epoch(loader);
          ASSERT_EQ(static_cast<std::int64_t>(batches.size()), want_batches);
          // Full batches first; only the last may be short, and only without drop_last.
          for (std::size_t b = 0; b < batches.size(); ++b) {
            const bool last_short = b + 1 == batches.size() && rest > 0 && !c.drop_last;
            EXPECT_EQ(static_cast<std::int64_t>(batches[b].size()), last_short ? rest : c.batch_size);
          }
          auto all = concat(batches);
          const std::int64_t covered = c.drop_last ? full * c.batch_size : c.n;
          ASSERT_EQ(static_cast<std::int64_t>(all.size()), covered);
          if (!shuffle) {
            // In order: 0, 1, 2, ...; drop_last drops the tail.
            for (std::int64_t i = 0; i < covered; ++i) EXPECT_EQ(all[i], i);
          } else {
            std::sort(all.begin(), all.end());
            EXPECT_TRUE(std::adjacent_find(all.begin(), all.end()) == all.end()) << "an example came twice";
            for (auto i : all) EXPECT_TRUE(i >= 0 && i < c.n);
            if (!c.drop_last) {
              std::vector<std::int64_t> want(static_cast<std::size_t>(c.n));
              std::iota(want.begin(), want.end(), 0);
              EXPECT_EQ(all, want);
            }
          }
        }
      }
}

TEST(DataLoader, ShuffledOrderDependsOnlyOnTheSeed) {
  auto ds = numbered(53);
  std::vector<std::vector<std::int64_t>> reference;
  for (int workers : {0, 1, 2, 3}) {
    manual_seed(2024);
    DataLoader loader(ds, DataLoaderOptions(8).shuffle(true).num_workers(workers));
    std::vector<std::vector<std::int64_t>> two_epochs = epoch(loader);
    const auto second = epoch(loader);
    two_epochs.insert(two_epochs.end(), second.begin(), second.end());
    if (workers == 0) reference = two_epochs;
    else EXPECT_EQ(two_epochs, reference) << workers << " workers";
  }
  // A different seed gives a different order.
  manual_seed(2025);
  DataLoader other(ds, DataLoaderOptions(8).shuffle(true).num_workers(2));
  EXPECT_NE(epoch(other), std::vector<std::vector<std::int64_t>>(reference.begin(), reference.begin() + 7));
}

TEST(DataLoader, ShuffleDiffersAcrossEpochsAndFromTheIdentity) {
  manual_seed(9);
  DataLoader loader(numbered(100), DataLoaderOptions(10).shuffle(true));
  const auto a = concat(epoch(loader));
  const auto b = concat(epoch(loader));
  const auto c = concat(epoch(loader));
  std::vector<std::int64_t> identity(100);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_NE(a, identity);
  // Without shuffle, every epoch is the identity.
  DataLoader plain(numbered(100), DataLoaderOptions(10));
  EXPECT_EQ(concat(epoch(plain)), identity);
  EXPECT_EQ(concat(epoch(plain)), identity);
}

TEST(DataLoader, BatchShapes) {
  manual_seed(1);
  // The course's synthetic data: X (1000, 2), y (1000), batch_size 10.
  auto ds = std::make_shared<data::TensorDataset>(randn({1000, 2}), randn({1000}));
  DataLoader loader(ds, DataLoaderOptions(10).shuffle(true));
  ASSERT_EQ(loader.size(), 100);
  auto it = loader.begin();
  ASSERT_NE(it, loader.end());
  const auto& [X, y] = *it;
  EXPECT_EQ(X.shape(), (Shape{10, 2}));
  EXPECT_EQ(y.shape(), (Shape{10}));
  EXPECT_EQ(X.dtype(), kFloat32);
  EXPECT_TRUE(X.is_contiguous());
  // Labels of shape (n, 1) keep their trailing dim.
  DataLoader col(std::make_shared<data::TensorDataset>(zeros({7, 3}), zeros({7, 1})), DataLoaderOptions(4));
  std::vector<Shape> shapes;
  for (const auto& b : col) shapes.push_back(b.target.shape());
  EXPECT_EQ(shapes, (std::vector<Shape>{{4, 1}, {3, 1}}));
}

TEST(DataLoader, BatchesDoNotAliasTheDataset) {
  Tensor features = zeros({6, 2});
  auto ds = std::make_shared<data::TensorDataset>(features, zeros({6}));
  DataLoader loader(ds, DataLoaderOptions(3));
  for (auto [X, y] : loader) X.fill_(5.0);  // a training loop scribbling on its batch
  DataLoader again(ds, DataLoaderOptions(6));
  for (const auto& [X, y] : again) EXPECT_EQ(X.to_vector<float>(), std::vector<float>(12, 0.0f));
}

TEST(DataLoader, BreakingOutEarlyDoesNotHang) {
  within_seconds(20, [] {
    auto ds = numbered(1000);
    for (int workers : {1, 2, 3}) {
      for (int stop_after = 0; stop_after < 6; ++stop_after) {
        DataLoader loader(ds, DataLoaderOptions(5).shuffle(true).num_workers(workers));
        int seen = 0;
        for (const auto& batch : loader) {
          EXPECT_EQ(batch.data.size(0), 5);
          if (seen++ == stop_after) break;
        }
        EXPECT_EQ(seen, stop_after + 1);
      }
      // An iterator started and dropped without reading.
      DataLoader loader(ds, DataLoaderOptions(5).num_workers(workers));
      { auto it = loader.begin(); }
      // And the loader is still usable afterwards.
      EXPECT_EQ(concat(epoch(loader)).size(), 1000u);
    }
  });
}

struct BadExample : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A dataset whose get() throws for one index, as a broken file reader would.
class ThrowingDataset : public data::Dataset {
 public:
  ThrowingDataset(std::int64_t n, std::int64_t bad) : n_(n), bad_(bad) {}
  std::int64_t size() const override { return n_; }
  data::Example get(std::int64_t index) const override {
    if (index == bad_) throw BadExample("cannot read example " + std::to_string(index));
    return {full({2}, static_cast<double>(index)), scalar_tensor(static_cast<double>(index))};
  }

 private:
  std::int64_t n_, bad_;
};

TEST(DataLoader, ExceptionInGetReachesTheConsumer) {
  within_seconds(20, [] {
    for (int workers : {0, 1, 2, 3}) {
      SCOPED_TRACE(::testing::Message() << workers << " workers");
      // Example 6 is in the second batch: the first arrives, the second throws.
      DataLoader loader(std::make_shared<ThrowingDataset>(20, 6), DataLoaderOptions(4).num_workers(workers));
      int batches = 0;
      try {
        for (const auto& batch : loader) {
          EXPECT_EQ(batch.data.size(0), 4);
          ++batches;
        }
        ADD_FAILURE() << "expected BadExample";
      } catch (const BadExample& e) {
        EXPECT_STREQ(e.what(), "cannot read example 6");
      }
      EXPECT_EQ(batches, 1);
      // In the first batch: begin() itself throws.
      DataLoader first(std::make_shared<ThrowingDataset>(20, 0), DataLoaderOptions(4).num_workers(workers));
      EXPECT_THROW(first.begin(), BadExample);
      // With shuffling the failure still surfaces, at whatever batch holds example 6.
      DataLoader shuffled(std::make_shared<ThrowingDataset>(20, 6),
                          DataLoaderOptions(3).shuffle(true).num_workers(workers));
      EXPECT_THROW(for (const auto& b : shuffled) (void)b, BadExample);
    }
  });
}

// Examples of shape (2, 3) with a scalar label: the default get_batch stacks them.
class GridDataset : public data::Dataset {
 public:
  std::int64_t size() const override { return 5; }
  data::Example get(std::int64_t i) const override {
    return {arange(6.0, kFloat32).reshape({2, 3}) + static_cast<double>(10 * i), scalar_tensor(static_cast<double>(i), kInt64)};
  }
};

TEST(Dataset, DefaultGetBatchStacksExamples) {
  GridDataset ds;
  const auto batch = ds.get_batch({3, 0, 4});
  ASSERT_EQ(batch.data.shape(), (Shape{3, 2, 3}));
  ASSERT_EQ(batch.target.shape(), (Shape{3}));
  EXPECT_EQ(batch.target.dtype(), kInt64);
  EXPECT_EQ(batch.target.to_vector<std::int64_t>(), (std::vector<std::int64_t>{3, 0, 4}));
  for (std::int64_t b = 0; b < 3; ++b) {
    const double base = 10.0 * batch.target.to_vector<std::int64_t>()[b];
    for (std::int64_t r = 0; r < 2; ++r)
      for (std::int64_t c = 0; c < 3; ++c) EXPECT_EQ(batch.data.at({b, r, c}), base + 3 * r + c);
  }
  // Through a DataLoader, with and without workers.
  for (int workers : {0, 2}) {
    DataLoader loader(std::make_shared<GridDataset>(), DataLoaderOptions(2).num_workers(workers));
    std::vector<Shape> shapes;
    std::vector<std::int64_t> labels;
    for (const auto& [X, y] : loader) {
      shapes.push_back(X.shape());
      for (auto l : y.to_vector<std::int64_t>()) labels.push_back(l);
    }
    EXPECT_EQ(shapes, (std::vector<Shape>{{2, 2, 3}, {2, 2, 3}, {1, 2, 3}}));
    EXPECT_EQ(labels, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  }
}

TEST(TensorDataset, GetAndGetBatch) {
  auto ds = numbered(6);
  EXPECT_EQ(ds->size(), 6);
  const auto e = ds->get(4);
  EXPECT_EQ(e.data.shape(), (Shape{2}));
  EXPECT_EQ(e.data.to_vector<float>(), (std::vector<float>{4.0f, -4.0f}));
  EXPECT_EQ(e.target.dim(), 0);
  EXPECT_EQ(e.target.item<float>(), 4.0f);
  const auto b = ds->get_batch({5, 1});
  EXPECT_EQ(b.data.to_vector<float>(), (std::vector<float>{5.0f, -5.0f, 1.0f, -1.0f}));
  EXPECT_EQ(b.target.to_vector<float>(), (std::vector<float>{5.0f, 1.0f}));
  // The override and the default (stacking get()) agree.
  const auto d = ds->data::Dataset::get_batch({5, 1});
  EXPECT_EQ(d.data.to_vector<float>(), b.data.to_vector<float>());
  EXPECT_EQ(d.target.to_vector<float>(), b.target.to_vector<float>());
  EXPECT_THROW(ds->get(6), Error);
  EXPECT_THROW(ds->get(-1), Error);
}

TEST(TensorDataset, RejectsMismatchedFirstDims) {
  try {
    data::TensorDataset ds(zeros({10, 2}), zeros({9}));
    FAIL() << "expected d2l::Error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("[10, 2]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[9]"), std::string::npos) << msg;
  }
  EXPECT_THROW(data::TensorDataset(zeros({3, 2}), scalar_tensor(1.0)), Error);
  EXPECT_NO_THROW(data::TensorDataset(zeros({3, 2}), zeros({3, 5})));
}

TEST(DataLoader, RejectsBadOptions) {
  EXPECT_THROW(DataLoader(numbered(4), DataLoaderOptions(0)), Error);
  EXPECT_THROW(DataLoader(numbered(4), DataLoaderOptions(2).num_workers(-1)), Error);
  EXPECT_THROW(DataLoader(nullptr, DataLoaderOptions(2)), Error);
}

}  // namespace
