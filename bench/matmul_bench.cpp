// Our matrix products (d2l::mm, d2l::matmul, d2l::linear) against calling cblas_sgemm
// directly on preallocated buffers, for the shapes the chapters use.
//
//   build-bench/bench/bench_matmul                 (all shapes, 1 and 2 BLAS threads)
//   build-bench/bench/bench_matmul --benchmark_filter='256x784x256'
//   build-bench/bench/bench_matmul --benchmark_filter='threads:1$' --ratio_time=cpu   (steadier under load)
//
// Every benchmark is named  variant/MxKxN/threads:T. Variants:
//   cblas_nn       cblas_sgemm(NoTrans, NoTrans) into a preallocated C      (the baseline)
//   loop_nn        a plain C++ triple loop into a preallocated C (only where M*K*N <= 65536):
//                  how fast a small-GEMM path that skips BLAS could be
//   kernel_nn      d2l::kernels::gemm into a preallocated C (dispatch cost only)
//   empty_out      d2l::empty({M, N}) alone (what creating the output costs)
//   mm             d2l::mm(A, B), a fresh output each call
//   matmul         d2l::matmul(A, B)
//   mm_out         d2l::mm_out(C, A, B) into a preallocated C (torch.mm(a, b, out=c)): the
//                  same work as cblas_nn, which also writes into a preallocated C
//   matmul_out     d2l::matmul_out(C, A, B)
//   mm_graph       d2l::mm(A, B) with A requiring grad: also records the backward node
//   cblas_linear   copy the bias into every row of C, then cblas_sgemm(NoTrans, Trans, beta 1)
//   linear         d2l::linear(X, W, b) = X @ W^T + b, W stored (N x K) as nn.Linear keeps it
//   cblas_tn       cblas_sgemm(Trans, NoTrans) with A stored (K x M)   (weight-gradient layout)
//   mm_tn          d2l::mm(At.t(), B)
//   cblas_nt       cblas_sgemm(NoTrans, Trans) with B stored (N x K)   (input-gradient layout)
//   mm_nt          d2l::mm(A, Bt.t())
// After the runs a table gives, per shape and thread count, the best (min over repetitions)
// time of each variant and its ratio to its raw cblas counterpart (target: <= 1.10).
// The `allocs` counter is operator-new calls per iteration (tensor data buffers, which come
// from aligned_alloc or the library's block cache, are not counted).
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/random.h"
#include "d2l/tensor.h"
#include "kernels/cpu/kernels.h"

// ---- count operator new (allocations per call of an op). new and delete are both replaced
// (malloc / free), which GCC's -Wmismatched-new-delete cannot see across inlining.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<long> g_news{0};
void* operator new(std::size_t n) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

struct GemmShape {
  int m, k, n;
  const char* where;
};

// The products the chapters run (forward shapes).
const GemmShape kShapes[] = {
    {10, 2, 1, "linreg: X(10x2) @ w(2x1)"},
    {256, 784, 10, "softmax: X(256x784) @ W(784x10)"},
    {256, 784, 256, "MLP layer 1: X(256x784) @ W1(784x256)"},
    {256, 256, 10, "MLP layer 2: H(256x256) @ W2(256x10)"},
    {32, 256, 256, "RNN step: H(32x256) @ W_hh(256x256)"},
    {1120, 256, 28, "RNN output: H(35*32 x 256) @ W_hq(256x28)"},
};

std::string shape_name(const GemmShape& s) {
  return std::to_string(s.m) + "x" + std::to_string(s.k) + "x" + std::to_string(s.n);
}

void set_threads(benchmark::State& state) { openblas_set_num_threads(static_cast<int>(state.range(0))); }

void add_flops(benchmark::State& state, const GemmShape& s) {
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * s.m * s.k * s.n, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}

// Runs `body` as the timed loop and records operator-new calls per iteration.
template <class F>
void timed(benchmark::State& state, const GemmShape& s, F&& body) {
  set_threads(state);
  const long before = g_news.load();
  for (auto _ : state) body();
  state.counters["allocs"] = static_cast<double>(g_news.load() - before) / static_cast<double>(state.iterations());
  add_flops(state, s);
}

// Operands for one shape, allocated once.
struct Operands {
  d2l::Tensor a, b, at, bt, w, bias, c;
  explicit Operands(const GemmShape& s) {
    a = d2l::randn({s.m, s.k});
    b = d2l::randn({s.k, s.n});
    at = a.t().contiguous();  // (K x M)
    bt = b.t().contiguous();  // (N x K), also the nn.Linear weight
    w = bt;
    bias = d2l::randn({s.n});
    c = d2l::zeros({s.m, s.n});
  }
};

void register_shape(const GemmShape& s, const std::vector<int>& threads) {
  auto ops = std::make_shared<Operands>(s);
  const std::string sn = shape_name(s);
  const int m = s.m, k = s.k, n = s.n;
  auto reg = [&](const char* variant, auto fn) {
    auto* b = benchmark::RegisterBenchmark((std::string(variant) + "/" + sn).c_str(), fn);
    b->ArgName("threads");
    for (int t : threads) b->Arg(t);
    b->Unit(benchmark::kMicrosecond);
  };

  reg("cblas_nn", [=](benchmark::State& st) {
    const float *pa = ops->a.data_ptr<float>(), *pb = ops->b.data_ptr<float>();
    float* pc = ops->c.data_ptr<float>();
    timed(st, s, [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, pa, k, pb, n, 0.0f, pc, n);
      benchmark::ClobberMemory();
    });
  });
  if (static_cast<long>(m) * k * n <= 65536) {  // a plain loop: what a small-GEMM fast path could do
    reg("loop_nn", [=](benchmark::State& st) {
      const float *pa = ops->a.data_ptr<float>(), *pb = ops->b.data_ptr<float>();
      float* pc = ops->c.data_ptr<float>();
      timed(st, s, [&] {
        for (int i = 0; i < m; ++i)
          for (int j = 0; j < n; ++j) {
            float acc = 0.0f;  // in a register: no store-to-load round trip through C
            for (int p = 0; p < k; ++p) acc += pa[static_cast<std::size_t>(i) * k + p] * pb[static_cast<std::size_t>(p) * n + j];
            pc[static_cast<std::size_t>(i) * n + j] = acc;
          }
        benchmark::ClobberMemory();
      });
    });
  }
  reg("kernel_nn", [=](benchmark::State& st) {
    timed(st, s, [&] {
      d2l::kernels::gemm(ops->a, ops->b, ops->c, 1.0, 0.0);
      benchmark::ClobberMemory();
    });
  });
  reg("empty_out", [=](benchmark::State& st) {
    timed(st, s, [&] {
      d2l::Tensor out = d2l::empty({m, n});
      benchmark::DoNotOptimize(out.raw_data());
    });
  });
  reg("mm", [=](benchmark::State& st) {
    timed(st, s, [&] {
      d2l::Tensor out = d2l::mm(ops->a, ops->b);
      benchmark::DoNotOptimize(out.raw_data());
    });
  });
  reg("matmul", [=](benchmark::State& st) {
    timed(st, s, [&] {
      d2l::Tensor out = d2l::matmul(ops->a, ops->b);
      benchmark::DoNotOptimize(out.raw_data());
    });
  });
  reg("mm_out", [=](benchmark::State& st) {
    d2l::Tensor out = ops->c;
    timed(st, s, [&] {
      d2l::mm_out(out, ops->a, ops->b);
      benchmark::ClobberMemory();
    });
  });
  reg("matmul_out", [=](benchmark::State& st) {
    d2l::Tensor out = ops->c;
    timed(st, s, [&] {
      d2l::matmul_out(out, ops->a, ops->b);
      benchmark::ClobberMemory();
    });
  });
  reg("mm_graph", [=](benchmark::State& st) {
    d2l::Tensor a = ops->a.clone();
    a.requires_grad_(true);
    timed(st, s, [&] {
      d2l::Tensor out = d2l::mm(a, ops->b);
      benchmark::DoNotOptimize(out.raw_data());
    });
  });
  reg("cblas_linear", [=](benchmark::State& st) {
    const float *px = ops->a.data_ptr<float>(), *pw = ops->w.data_ptr<float>(), *pbias = ops->bias.data_ptr<float>();
    float* pc = ops->c.data_ptr<float>();
    timed(st, s, [&] {
      for (int i = 0; i < m; ++i) std::memcpy(pc + static_cast<std::size_t>(i) * n, pbias, sizeof(float) * n);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, px, k, pw, k, 1.0f, pc, n);
      benchmark::ClobberMemory();
    });
  });
  reg("linear", [=](benchmark::State& st) {
    timed(st, s, [&] {
      d2l::Tensor out = d2l::linear(ops->a, ops->w, ops->bias);
      benchmark::DoNotOptimize(out.raw_data());
    });
  });
  reg("cblas_tn", [=](benchmark::State& st) {
    const float *pat = ops->at.data_ptr<float>(), *pb = ops->b.data_ptr<float>();
    float* pc = ops->c.data_ptr<float>();
    timed(st, s, [&] {
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, n, k, 1.0f, pat, m, pb, n, 0.0f, pc, n);
      benchmark::ClobberMemory();
    });
  });
  reg("mm_tn", [=](benchmark::State& st) {
    const d2l::Tensor at_view = ops->at.t();
    timed(st, s, [&] {
      d2l::Tensor out = d2l::mm(at_view, ops->b);
      benchmark::DoNotOptimize(out.raw_data());
    });
  });
  reg("cblas_nt", [=](benchmark::State& st) {
    const float *pa = ops->a.data_ptr<float>(), *pbt = ops->bt.data_ptr<float>();
    float* pc = ops->c.data_ptr<float>();
    timed(st, s, [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, pa, k, pbt, k, 0.0f, pc, n);
      benchmark::ClobberMemory();
    });
  });
  reg("mm_nt", [=](benchmark::State& st) {
    const d2l::Tensor bt_view = ops->bt.t();
    timed(st, s, [&] {
      d2l::Tensor out = d2l::mm(ops->a, bt_view);
      benchmark::DoNotOptimize(out.raw_data());
    });
  });
}

// ---- results: min real time over repetitions, per benchmark name
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  bool use_cpu = false;                  // rank by CPU time of the main thread instead of wall time
  std::map<std::string, double> best_us;  // "variant/shape/threads:T" -> us
  std::map<std::string, double> allocs;   // same key -> operator new per call
  void ReportRuns(const std::vector<Run>& runs) override {
    std::vector<Run> shown;
    bool any_aggregate = false;
    for (const Run& r : runs) any_aggregate |= r.run_type == Run::RT_Aggregate;
    for (const Run& r : runs) {
      if (r.run_type == Run::RT_Iteration && !r.error_occurred) {
        const std::string key = r.run_name.str();
        const double us = use_cpu ? r.GetAdjustedCPUTime() : r.GetAdjustedRealTime();  // microseconds
        auto it = best_us.find(key);
        if (it == best_us.end() || us < it->second) best_us[key] = us;
        if (auto c = r.counters.find("allocs"); c != r.counters.end()) allocs[key] = c->second.value;
      }
      // With repetitions, show the median line only (the table below uses the minimum).
      if (!any_aggregate || (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median")) shown.push_back(r);
    }
    if (!shown.empty()) ConsoleReporter::ReportRuns(shown);
  }
};

void print_ratio_table(const RatioReporter& rep, const std::vector<int>& threads) {
  struct Pair {
    const char* ours;
    const char* raw;
  };
  const Pair pairs[] = {{"loop_nn", "cblas_nn"},  {"kernel_nn", "cblas_nn"},  {"mm", "cblas_nn"},
                        {"matmul", "cblas_nn"},   {"mm_out", "cblas_nn"},     {"matmul_out", "cblas_nn"},
                        {"mm_graph", "cblas_nn"}, {"linear", "cblas_linear"}, {"mm_tn", "cblas_tn"},
                        {"mm_nt", "cblas_nt"}};
  std::printf("\nours / raw cblas_sgemm (%s time, best of repetitions; target <= 1.10; * = over target)\n",
              rep.use_cpu ? "CPU" : "wall");
  std::printf("%-13s %-3s %9s %9s | %-16s %-16s %-16s %-16s %-16s %-16s %-16s %-16s %-16s %-16s | %8s\n", "shape",
              "thr", "cblas us", "GFLOP/s", "loop_nn", "kernel_nn", "mm", "matmul", "mm_out", "matmul_out", "mm_graph",
              "linear", "mm_tn", "mm_nt", "empty us");
  int over = 0;
  for (const GemmShape& s : kShapes) {
    for (int t : threads) {
      const std::string suffix = "/" + shape_name(s) + "/threads:" + std::to_string(t);
      auto get = [&](const char* v) {
        auto it = rep.best_us.find(std::string(v) + suffix);
        return it == rep.best_us.end() ? -1.0 : it->second;
      };
      const double base = get("cblas_nn");
      if (base < 0) continue;
      std::printf("%-13s %-3d %9.3f %9.2f |", shape_name(s).c_str(), t, base, 2.0 * s.m * s.k * s.n / base * 1e-3);
      for (const Pair& p : pairs) {
        const double ours = get(p.ours), raw = get(p.raw);
        if (ours < 0 || raw < 0) {
          std::printf(" %-16s", "-");
          continue;
        }
        const double ratio = ours / raw;
        const bool bad = ratio > 1.10 && std::string(p.ours) != "mm_graph" && std::string(p.ours) != "loop_nn";
        over += bad;
        char cell[64];
        std::snprintf(cell, sizeof cell, "%.2f%s (+%.2fus)", ratio, bad ? "*" : "", ours - raw);
        std::printf(" %-16s", cell);
      }
      if (get("empty_out") < 0) std::printf(" | %8s\n", "-");
      else std::printf(" | %8.3f\n", get("empty_out"));
    }
  }
  std::printf("(loop_nn is a what-if and mm_graph also records the backward node: neither is held to the target.\n"
              " +X us = ours minus raw.)\n");
  // Allocations per call do not depend on the shape: show them for the first shape measured.
  for (const GemmShape& s : kShapes) {
    const std::string suffix = "/" + shape_name(s) + "/threads:" + std::to_string(threads.front());
    if (!rep.allocs.count("empty_out" + suffix)) continue;
    std::printf("operator new per call (%s; tensor data buffers not counted):", shape_name(s).c_str());
    for (const char* v : {"kernel_nn", "empty_out", "mm", "matmul", "mm_out", "matmul_out", "mm_graph", "linear", "mm_tn",
                          "mm_nt"})
      if (auto it = rep.allocs.find(v + suffix); it != rep.allocs.end()) std::printf(" %s %.0f", v, it->second);
    std::printf("\n");
    break;
  }
  std::printf("%d cells over the 10%% target.\n", over);
}

double time_gemm_us(int m, int k, int n, int calls) {
  std::vector<float> a(static_cast<std::size_t>(m) * k, 0.5f), b(static_cast<std::size_t>(k) * n, 0.25f),
      c(static_cast<std::size_t>(m) * n);
  std::vector<double> us;
  for (int i = 0; i < calls; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  // Our own flag: --ratio_time=cpu ranks by the main thread's CPU time (steadier than wall time
  // on a loaded machine, but blind to OpenBLAS's worker threads: use it for threads:1 only).
  bool use_cpu = false;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--ratio_time=cpu") == 0) use_cpu = true;
    else if (std::strcmp(argv[i], "--ratio_time=real") != 0) args.push_back(argv[i]);
  }
  // Defaults (command-line flags given after them win). Repetitions of all benchmarks run in
  // random order, so a burst of load elsewhere on the machine does not hit one variant only.
  std::string d1 = "--benchmark_repetitions=5", d2 = "--benchmark_min_time=0.05",
              d3 = "--benchmark_enable_random_interleaving=true";
  args.insert(args.begin() + 1, {d1.data(), d2.data(), d3.data()});
  int nargs = static_cast<int>(args.size());
  benchmark::Initialize(&nargs, args.data());
  if (benchmark::ReportUnrecognizedArguments(nargs, args.data())) return 1;

  const int procs = openblas_get_num_procs();
  std::vector<int> threads = {1};
  if (procs > 1) threads.push_back(procs);

  // OpenBLAS cold start: in a fresh process single-thread sgemm runs slow until a larger
  // GEMM has run. Measure it, then do the warm-up GEMM (256x256)@(256x512) on every thread count.
  openblas_set_num_threads(1);
  const double cold = time_gemm_us(32, 256, 256, 200);
  for (int t : threads) {
    openblas_set_num_threads(t);
    time_gemm_us(256, 256, 512, 3);
  }
  openblas_set_num_threads(1);
  const double warm = time_gemm_us(32, 256, 256, 200);
  std::printf("OpenBLAS %s\n", openblas_get_config());
  std::printf("cold start, 1 thread, (32x256)@(256x256): %.1f us/call before the warm-up GEMM, %.1f after (%.2fx)\n",
              cold, warm, cold / warm);

  d2l::manual_seed(0);
  for (const GemmShape& s : kShapes) register_shape(s, threads);
  RatioReporter reporter;
  reporter.use_cpu = use_cpu;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratio_table(reporter, threads);
  benchmark::Shutdown();
  return 0;
}
