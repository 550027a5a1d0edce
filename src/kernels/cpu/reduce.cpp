// Reductions. Float sums accumulate in double, so long sums keep their precision.
#include <cmath>
#include <vector>

#include "kernels/cpu/kernels.h"
#include "kernels/cpu/loops.h"

namespace d2l::kernels {

template <class T>
using acc_t = std::conditional_t<std::is_floating_point_v<T>, double, std::int64_t>;

double sum_of_squares(const Tensor& a) {
  return D2L_DISPATCH_FLOATING(a.dtype(), [&] {
    const scalar_t* x = a.data_ptr<scalar_t>();
    const std::int64_t n = a.numel();
    constexpr int kLanes = 8;
    double lanes[kLanes] = {};
    std::int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
      for (int l = 0; l < kLanes; ++l) lanes[l] += static_cast<double>(x[i + l]) * static_cast<double>(x[i + l]);
    for (; i < n; ++i) lanes[0] += static_cast<double>(x[i]) * static_cast<double>(x[i]);
    double total = 0;
    for (double v : lanes) total += v;
    return total;
  });
}

void sum(const Tensor& a, const Tensor& out) {
  D2L_DISPATCH_NUMERIC(a.dtype(), [&] {
    using T = scalar_t;
    using A = acc_t<T>;
    const T* pa = static_cast<const T*>(a.impl()->storage->data);
    T* po = static_cast<T*>(out.impl()->storage->data) + out.storage_offset();
    if (out.numel() == 1 && a.is_contiguous()) {  // everything into one value
      const T* x = pa + a.storage_offset();
      const std::int64_t n = a.numel();
      A s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      std::int64_t i = 0;
      for (; i + 4 <= n; i += 4) {
        s0 += x[i];
        s1 += x[i + 1];
        s2 += x[i + 2];
        s3 += x[i + 3];
      }
      for (; i < n; ++i) s0 += x[i];
      *po = static_cast<T>((s0 + s1) + (s2 + s3));
      return;
    }
    // Accumulate into a contiguous buffer shaped like `out` (reduced dims have stride 0).
    std::vector<A> acc(static_cast<std::size_t>(out.numel()), A(0));
    const Shape acc_strides = broadcast_strides(out.shape(), contiguous_strides(out.shape()), a.shape());
    for_each_row<2>(a.shape(), {&acc_strides, &a.strides()}, {0, a.storage_offset()},
                    [&](auto off, std::int64_t len, auto st) {
                      A* dst = acc.data() + off[0];
                      const T* src = pa + off[1];
                      if (st[0] == 0) {
                        A s = 0;
                        for (std::int64_t i = 0; i < len; ++i) s += src[i * st[1]];
                        *dst += s;
                      } else {
                        for (std::int64_t i = 0; i < len; ++i) dst[i * st[0]] += src[i * st[1]];
                      }
                    });
    if (out.is_contiguous()) {
      for (std::size_t i = 0; i < acc.size(); ++i) po[i] = static_cast<T>(acc[i]);
    } else {
      Tensor tmp = empty(out.shape(), out.dtype());
      T* pt = tmp.data_ptr<T>();
      for (std::size_t i = 0; i < acc.size(); ++i) pt[i] = static_cast<T>(acc[i]);
      copy(tmp, out);
    }
  });
}

void max_last_dim(const Tensor& a, const Tensor& values, const Tensor& indices) {
  D2L_DISPATCH_NUMERIC(a.dtype(), [&] {
    using T = scalar_t;
    const std::int64_t n = a.shape().empty() ? 1 : a.shape().back();
    const std::int64_t rows = n == 0 ? 0 : a.numel() / n;
    const T* pa = a.data_ptr<T>();
    T* pv = values.data_ptr<T>();
    std::int64_t* pi = indices.data_ptr<std::int64_t>();
    for (std::int64_t r = 0; r < rows; ++r) {
      const T* row = pa + r * n;
      std::int64_t best = 0;
      for (std::int64_t j = 1; j < n; ++j) {
        if (row[best] != row[best]) break;  // NaN wins, first one
        if (row[j] > row[best] || row[j] != row[j]) best = j;
      }
      pv[r] = row[best];
      pi[r] = best;
    }
  });
}

}  // namespace d2l::kernels
