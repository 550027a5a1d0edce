// gather and its adjoint scatter_add, over any input layout: one strided loop over the
// index's elements, with the gathered dim's stride applied to the index value.
#include "kernels/cpu/classify.h"
#include "kernels/cpu/loops.h"

namespace d2l::kernels {

void gather(const Tensor& input, std::int64_t dim, const Tensor& index, const Tensor& out) {
  if (index.numel() == 0) return;
  Shape in_strides = input.strides();
  const std::int64_t step = in_strides[dim];
  in_strides[dim] = 0;  // the index value picks the position along dim
  const Shape& idx_strides = index.strides();
  const std::int64_t* pidx = index.data_ptr<std::int64_t>();
  D2L_DISPATCH_ALL(input.dtype(), [&] {
    const scalar_t* pin = static_cast<const scalar_t*>(input.impl()->storage->data);
    scalar_t* pout = out.data_ptr<scalar_t>();
    for_each_row<2>(index.shape(), {&idx_strides, &in_strides}, {0, input.storage_offset()},
                    [&](auto off, std::int64_t n, auto st) {
                      // out and index are both contiguous: they share offsets and strides.
                      const std::int64_t* ix = pidx + off[0];
                      scalar_t* o = pout + off[0];
                      const scalar_t* src = pin + off[1];
                      for (std::int64_t i = 0; i < n; ++i) o[i * st[0]] = src[i * st[1] + ix[i * st[0]] * step];
                    });
  });
}

void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& src) {
  if (index.numel() == 0) return;
  Shape out_strides = out.strides();
  const std::int64_t step = out_strides[dim];
  out_strides[dim] = 0;
  const std::int64_t* pidx = index.data_ptr<std::int64_t>();
  D2L_DISPATCH_NUMERIC(out.dtype(), [&] {
    const scalar_t* psrc = static_cast<const scalar_t*>(src.impl()->storage->data);
    scalar_t* pout = out.data_ptr<scalar_t>();
    // Sequential on purpose: repeated indices add into the same element.
    for_each_row<3>(index.shape(), {&index.strides(), &src.strides(), &out_strides}, {0, src.storage_offset(), 0},
                    [&](auto off, std::int64_t n, auto st) {
                      const std::int64_t* ix = pidx + off[0];
                      const scalar_t* s = psrc + off[1];
                      scalar_t* o = pout + off[2];
                      for (std::int64_t i = 0; i < n; ++i) o[i * st[2] + ix[i * st[0]] * step] += s[i * st[1]];
                    });
  });
}

}  // namespace d2l::kernels
