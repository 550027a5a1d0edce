#pragma once
// One thread count for our kernels (OpenMP) and for OpenBLAS, like torch.set_num_threads.

namespace d2l {

// n <= 0 means one thread per core.
void set_num_threads(int n);
int get_num_threads();

}  // namespace d2l
