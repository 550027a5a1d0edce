// torch.flatten as a free function (the work is Tensor::flatten's: a view when the layout allows).
#include "d2l/ops.h"

namespace d2l {

Tensor flatten(const Tensor& x, std::int64_t start_dim, std::int64_t end_dim) { return x.flatten(start_dim, end_dim); }

}  // namespace d2l
