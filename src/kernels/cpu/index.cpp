// Row gathers and their scatter-add adjoint.
#include <cstring>

#include "kernels/cpu/kernels.h"

namespace d2l::kernels {

// For contiguous tensors, dim splits memory into (outer, size(dim), inner) blocks.
static void split_at(const Shape& shape, std::int64_t dim, std::int64_t& outer, std::int64_t& inner) {
  outer = 1;
  inner = 1;
  for (std::int64_t d = 0; d < dim; ++d) outer *= shape[d];
  for (std::size_t d = dim + 1; d < shape.size(); ++d) inner *= shape[d];
}

void index_select(const Tensor& a, std::int64_t dim, const Tensor& index, const Tensor& out) {
  std::int64_t outer, inner;
  split_at(a.shape(), dim, outer, inner);
  const std::int64_t n_in = a.shape().empty() ? 1 : a.size(dim), n_idx = index.numel();
  const std::int64_t* idx = index.data_ptr<std::int64_t>();
  const std::size_t es = element_size(a.dtype());
  const char* src = static_cast<const char*>(a.raw_data());
  char* dst = static_cast<char*>(out.raw_data());
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t j = 0; j < n_idx; ++j)
      std::memcpy(dst + ((o * n_idx + j) * inner) * es, src + ((o * n_in + idx[j]) * inner) * es,
                  static_cast<std::size_t>(inner) * es);
}

void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& src) {
  std::int64_t outer, inner;
  split_at(out.shape(), dim, outer, inner);
  const std::int64_t n_out = out.shape().empty() ? 1 : out.size(dim), n_idx = index.numel();
  const std::int64_t* idx = index.data_ptr<std::int64_t>();
  D2L_DISPATCH_NUMERIC(out.dtype(), [&] {
    scalar_t* po = out.data_ptr<scalar_t>();
    const scalar_t* ps = src.data_ptr<scalar_t>();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t j = 0; j < n_idx; ++j) {
        scalar_t* d = po + (o * n_out + idx[j]) * inner;
        const scalar_t* s = ps + (o * n_idx + j) * inner;
        for (std::int64_t i = 0; i < inner; ++i) d[i] += s[i];
      }
  });
}

}  // namespace d2l::kernels
