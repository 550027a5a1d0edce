// Fused gradient kernels for elementwise ops whose composite backward would take several
// passes and temporaries (compare, where, scale): one pass, no temporaries.
#include "kernels/cpu/kernels.h"
#include "kernels/cpu/loops.h"

namespace d2l::kernels {

template <class T>
static T* base(const Tensor& t) {
  return static_cast<T*>(t.impl()->storage->data) + t.storage_offset();
}

void extremum_backward(const Tensor& g, const Tensor& a, const Tensor& b, bool is_max, const Tensor& ga,
                       const Tensor& gb) {
  D2L_DISPATCH_FLOATING(g.dtype(), [&] {
    using T = scalar_t;
    T* pga = ga.defined() ? base<T>(ga) : nullptr;
    T* pgb = gb.defined() ? base<T>(gb) : nullptr;
    // torch: where(a == b, g / 2, g) with the loser's share zeroed; NaN loses nowhere.
    auto one = [is_max, pga, pgb](std::int64_t i, T gv, T x, T y) {
      const bool tie = x == y;
      const bool a_loses = is_max ? x < y : x > y;
      const bool b_loses = is_max ? x > y : x < y;
      const T share = tie ? gv * T(0.5) : gv;
      if (pga) pga[i] = a_loses ? T(0) : share;
      if (pgb) pgb[i] = b_loses ? T(0) : share;
    };
    const T* pg = base<T>(g);
    const T* pa = base<T>(a);
    const T* pb = base<T>(b);
    const Shape& shape = g.shape();
    if (g.is_contiguous() && a.shape() == shape && a.is_contiguous() && b.shape() == shape && b.is_contiguous()) {
      parallel_for(g.numel(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) one(i, pg[i], pa[i], pb[i]);
      });
      return;
    }
    // Broadcast inputs: walk g's shape; the outputs are contiguous, so their offset is a count.
    const Shape sa = broadcast_strides(a.shape(), a.strides(), shape);
    const Shape sb = broadcast_strides(b.shape(), b.strides(), shape);
    std::int64_t i = 0;
    for_each_row<3>(shape, {&g.strides(), &sa, &sb}, {0, 0, 0}, [&](auto off, std::int64_t len, auto st) {
      for (std::int64_t k = 0; k < len; ++k, ++i) one(i, pg[off[0] + k * st[0]], pa[off[1] + k * st[1]], pb[off[2] + k * st[2]]);
    });
  });
}

// Gradients computed from the op's output (relu, tanh, sigmoid): one pass instead of a few
// ops with a temporary each (the scratch RNN runs tanh's once per step).
template <class F>
static void from_output(const Tensor& g, const Tensor& out, const Tensor& grad_in, F f) {
  D2L_DISPATCH_FLOATING(g.dtype(), [&] {
    using T = scalar_t;
    const T* pg = base<T>(g);
    const T* po = base<T>(out);
    T* pr = base<T>(grad_in);
    parallel_for(g.numel(), [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) pr[i] = f(pg[i], po[i]);
    });
  });
}

void relu_backward(const Tensor& g, const Tensor& out, const Tensor& grad_in) {
  // As torch: a NaN output passes g.
  from_output(g, out, grad_in, [](auto gv, auto y) { return y <= decltype(y)(0) ? decltype(y)(0) : gv; });
}

void tanh_backward(const Tensor& g, const Tensor& out, const Tensor& grad_in) {
  from_output(g, out, grad_in, [](auto gv, auto y) { return gv * (decltype(y)(1) - y * y); });
}

void sigmoid_backward(const Tensor& g, const Tensor& out, const Tensor& grad_in) {
  from_output(g, out, grad_in, [](auto gv, auto y) { return gv * (decltype(y)(1) - y) * y; });
}

}  // namespace d2l::kernels
