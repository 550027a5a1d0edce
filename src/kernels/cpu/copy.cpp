// Strided copy with broadcast and dtype conversion, and fill.
#include <cstring>

#include "kernels/cpu/kernels.h"
#include "kernels/cpu/loops.h"

namespace d2l::kernels {

template <class To, class From>
static void copy_typed(const Tensor& src, const Tensor& dst) {
  const From* s = static_cast<const From*>(src.impl()->storage->data);
  To* d = static_cast<To*>(dst.impl()->storage->data);
  if (src.shape() == dst.shape() && src.is_contiguous() && dst.is_contiguous()) {
    s += src.storage_offset();
    d += dst.storage_offset();
    const std::int64_t n = dst.numel();
    if constexpr (std::is_same_v<To, From>) {
      std::memmove(d, s, static_cast<std::size_t>(n) * sizeof(To));
    } else {
      for (std::int64_t i = 0; i < n; ++i) d[i] = static_cast<To>(s[i]);
    }
    return;
  }
  const std::int64_t row = dst.dim() > 0 ? dst.shape().back() : 0;
  if (row > 0 && src.dim() > 0 && src.shape().back() == row && src.numel() == row && src.is_contiguous() &&
      dst.is_contiguous()) {
    // One row repeated down the rows (linear's bias): a plain loop per row.
    s += src.storage_offset();
    d += dst.storage_offset();
    for (std::int64_t r = 0, rows = dst.numel() / row; r < rows; ++r, d += row)
      for (std::int64_t i = 0; i < row; ++i) d[i] = static_cast<To>(s[i]);
    return;
  }
  const Shape src_strides = broadcast_strides(src.shape(), src.strides(), dst.shape());
  for_each_row<2>(dst.shape(), {&dst.strides(), &src_strides}, {dst.storage_offset(), src.storage_offset()},
                  [&](auto off, std::int64_t n, auto st) {
                    for (std::int64_t i = 0; i < n; ++i)
                      d[off[0] + i * st[0]] = static_cast<To>(s[off[1] + i * st[1]]);
                  });
}

template <class To>
static void copy_to(const Tensor& src, const Tensor& dst) {
  D2L_DISPATCH_ALL(src.dtype(), [&] { copy_typed<To, scalar_t>(src, dst); });
}

void copy(const Tensor& src, const Tensor& dst) {
  D2L_DISPATCH_ALL(dst.dtype(), [&] { copy_to<scalar_t>(src, dst); });
}

void fill(const Tensor& dst, double value) {
  D2L_DISPATCH_ALL(dst.dtype(), [&] {
    scalar_t* d = static_cast<scalar_t*>(dst.impl()->storage->data);
    const scalar_t v = static_cast<scalar_t>(value);
    if (dst.is_contiguous()) {
      std::fill(d + dst.storage_offset(), d + dst.storage_offset() + dst.numel(), v);
      return;
    }
    for_each_row<1>(dst.shape(), {&dst.strides()}, {dst.storage_offset()}, [&](auto off, std::int64_t n, auto st) {
      for (std::int64_t i = 0; i < n; ++i) d[off[0] + i * st[0]] = v;
    });
  });
}

}  // namespace d2l::kernels
