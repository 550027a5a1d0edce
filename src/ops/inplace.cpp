// In-place ops (add_, mul_, exp_, clamp_, fill_, copy_, normal_, ...), with PyTorch 1.13's
// rules, checked in this order before anything is written:
//   1. dtype: the result type of both operands must be castable to the written tensor
//      (a float into int64 is an error, not a truncation);
//   2. memory: a written tensor with several elements on one address (an expand) is refused,
//      and so is an operand that partly overlaps it; an overlap too irregular to classify is
//      resolved by copying the operand first, so the result is never silently wrong;
//   3. autograd: refused on a leaf that requires grad (and on its views) outside NoGradGuard;
//      recorded in the graph when the tensor or the operand requires grad, rebasing the
//      tensor's history onto the new node.
// Every write bumps the storage's version, so a backward that saved the old values refuses
// to run (see Node::check_saved_versions).
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "d2l/random.h"
#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using kernels::Binary;
using kernels::Unary;

namespace {

// ---- 1. dtype

// PyTorch's ScalarType names, which its casting errors use.
const char* scalar_type_name(DType dtype) {
  switch (dtype) {
    case kFloat32: return "Float";
    case kFloat64: return "Double";
    case kInt64: return "Long";
    default: return "Bool";
  }
}

// torch.can_cast: never floating to integral or bool, never a number to bool.
bool can_cast(DType from, DType to) {
  if (is_floating(from) && !is_floating(to)) return false;
  if (from != kBool && to == kBool) return false;
  return true;
}

void check_castable(DType result, const Tensor& self) {
  D2L_CHECK(can_cast(result, self.dtype()), "result type ", scalar_type_name(result),
            " can't be cast to the desired output type ", scalar_type_name(self.dtype()));
}

// The type `self op other` computes in: true division always gives a floating type.
DType binary_result(Binary op, const Tensor& self, const Tensor& other) {
  const DType dt = result_type(self, other);
  return op == Binary::Div && !is_floating(dt) ? kFloat32 : dt;
}
DType scalar_result(Binary op, const Tensor& self, double value) {
  const DType dt = result_type(self, value);
  return op == Binary::Div && !is_floating(dt) ? kFloat32 : dt;
}

// ---- 2. memory

const char* const kInternalOverlap =
    "unsupported operation: more than one element of the written-to tensor refers to a single memory location. "
    "Please clone() the tensor before performing the operation.";
const char* const kPartialOverlap =
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory "
    "location. Please clone() the tensor before performing the operation.";

// A dim of stride 0 and size > 1 (an expanded tensor) puts several elements on one address.
void check_no_internal_overlap(const Tensor& self) {
  for (std::int64_t d = 0; d < self.dim(); ++d)
    D2L_CHECK(!(self.stride(d) == 0 && self.size(d) > 1), kInternalOverlap);
}

// True when the elements fill [offset, offset + numel) exactly once, in some dim order.
bool non_overlapping_and_dense(const Tensor& t) {
  std::vector<std::pair<std::int64_t, std::int64_t>> dims;  // (stride, size) of dims with size > 1
  for (std::int64_t d = 0; d < t.dim(); ++d)
    if (t.size(d) != 1) dims.emplace_back(t.stride(d), t.size(d));
  std::sort(dims.begin(), dims.end());
  std::int64_t expected = 1;
  for (const auto& [stride, size] : dims) {
    if (stride != expected) return false;
    expected *= size;
  }
  return true;
}

enum class Overlap { None, Full, Partial, TooHard };

// PyTorch's get_overlap_status between the written tensor and an operand.
Overlap overlap(const Tensor& self, const Tensor& other) {
  if (self.is_same(other)) return Overlap::Full;
  if (self.impl()->storage != other.impl()->storage || self.numel() == 0 || other.numel() == 0) return Overlap::None;
  if (!non_overlapping_and_dense(self) || !non_overlapping_and_dense(other)) return Overlap::TooHard;
  const std::int64_t a0 = self.storage_offset(), a1 = a0 + self.numel();
  const std::int64_t b0 = other.storage_offset(), b1 = b0 + other.numel();
  if (a0 == b0 && a1 == b1)
    return self.strides() == other.strides() && self.shape() == other.shape() ? Overlap::Full : Overlap::Partial;
  return a0 < b1 && b0 < a1 ? Overlap::Partial : Overlap::None;
}

// The operand as the kernel may read it while writing `self`: PyTorch refuses a partial
// overlap; one it cannot classify (strided views of one buffer) is read from a copy here,
// where PyTorch would compute from half-written values.
Tensor readable_operand(const Tensor& self, const Tensor& other) {
  switch (overlap(self, other)) {
    case Overlap::Partial: throw Error(kPartialOverlap);
    case Overlap::TooHard: return other.detach().clone();
    default: return other;
  }
}

// ---- 3. autograd

// Whether the op must be recorded in the graph; raises where PyTorch refuses the op.
bool records_graph(const Tensor& self, const Tensor* other) {
  if (!is_grad_enabled()) return false;
  const bool other_requires_grad = other && other->requires_grad();
  if (self.is_view()) {
    const TensorImpl& base = *self.impl()->view_base;
    if (!self.requires_grad() && !other_requires_grad && !base.requires_grad) return false;
    D2L_CHECK(!(base.requires_grad && !base.grad_fn),
              "a view of a leaf Variable that requires grad is being used in an in-place operation. (To update it, "
              "wrap the update in d2l::NoGradGuard.)");
    D2L_CHECK(!autograd::is_stale_view(*self.impl()),
              "a view was modified in place after an in-place operation on its base changed the base's autograd "
              "history; take the view again after that operation");
    D2L_CHECK(self.requires_grad() || !base.requires_grad,
              "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that "
              "this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both "
              "the view and the inplace either both inside the no_grad block (if you don't want the inplace to be "
              "tracked) or both outside (if you want the inplace to be tracked).");
    D2L_CHECK(Tensor(self.impl()->view_base).is_contiguous(),
              "an in-place operation on a view of a non-contiguous tensor that autograd tracks is not supported; "
              "clone() the tensor first");
    return true;
  }
  if (!self.requires_grad() && !other_requires_grad) return false;
  D2L_CHECK(!(self.is_leaf() && self.requires_grad()),
            "a leaf Variable that requires grad is being used in an in-place operation. (To update it, as the "
            "optimizers do, wrap the update in d2l::NoGradGuard.)");
  return true;
}

// Where a view lies in its (contiguous) base: its shape and strides, and its offset from the base's.
struct Region {
  Shape shape, strides;
  std::int64_t offset;
  // The same elements of `t`, a tensor laid out as the base (contiguous, the base's shape).
  Tensor of(const Tensor& t) const { return detail::make_view(t, shape, strides, t.storage_offset() + offset); }
};

// A node that saved its own output `r` now reads the written tensor instead (PyTorch saves
// the result of exp_), so a later in-place change of it is caught like any other.
void save_written_instead(const Tensor& r, const Tensor& written) {
  const std::shared_ptr<Node>& node = r.grad_fn();
  if (!node) return;
  for (auto& s : node->saved)
    if (s.storage == r.impl()->storage) {
      s.storage = written.impl()->storage;
      s.version = written._version();
    }
}

// In place on a view (PyTorch's CopySlices): the base's history is rebased onto a node that
// passes the gradient of the view's elements to `r` and the rest to the base's old history,
// and the view gets a fresh grad_fn that reads its elements out of the base's new history.
// Other views of the base taken before are stale now, and refused if used (PyTorch replays them).
void rebase_view_history(const Tensor& self, const Tensor& r) {
  Tensor base(self.impl()->view_base);
  const Region region{self.shape(), self.strides(), self.storage_offset() - base.storage_offset()};
  base = autograd::record(base, "CopySlices", {base, r}, [region](const Tensor& g, const Node& n) {
    const Tensor whole = g.contiguous();
    Tensor grad_base, grad_r;
    if (n.needs_grad(0)) {
      grad_base = whole.clone();
      kernels::fill(region.of(grad_base), 0.0);
    }
    if (n.needs_grad(1)) grad_r = region.of(whole).contiguous();
    return autograd::Grads{grad_base, grad_r};
  });
  ++base.impl()->history;
  const Shape base_shape = base.shape();
  Tensor fresh = detail::make_view(base, region.shape, region.strides, self.storage_offset());
  fresh = autograd::record(fresh, "AsStridedBackward0", {base}, [region, base_shape](const Tensor& g, const Node&) {
    Tensor grad_base = zeros(base_shape, g.dtype());
    kernels::copy(g, region.of(grad_base));
    return autograd::Grads{grad_base};
  });
  TensorImpl& impl = *self.impl();
  impl.grad_fn = fresh.grad_fn();
  impl.requires_grad = true;
  impl.base_history = base.impl()->history;
}

// Writes the recorded out-of-place result `r` into `self` and makes its node self's grad_fn
// (or, for a view, rebases the base's history).
void rebase_history(const Tensor& self, Tensor r) {
  if (r.dtype() != self.dtype()) r = r.to(self.dtype());
  kernels::copy(r, self);
  self.bump_version();
  save_written_instead(r, self);
  if (self.is_view()) {
    rebase_view_history(self, r);
    return;
  }
  TensorImpl& impl = *self.impl();
  impl.grad_fn = r.grad_fn();
  impl.requires_grad = r.requires_grad();
  ++impl.history;
}

// The values a recorded in-place op starts from: a copy that stays as it is, with self's
// history behind it (what PyTorch keeps as original_self where the derivative needs it).
Tensor original(const Tensor& self) { return self.clone(); }

// A node for an op whose result does not depend on the old values (fill_, zero_, normal_):
// self's old history gets a zero gradient, as in PyTorch.
Tensor replaced(const Tensor& self, const char* name) {
  Tensor values = empty(self.shape(), self.dtype());
  return autograd::record(values, name, {self}, [](const Tensor& g, const Node&) {
    return autograd::Grads{zeros_like(g)};
  });
}

// ---- the ops

using Recorded = std::function<Tensor(const Tensor& original, const Tensor& other)>;

// self op= alpha * other (alpha only for add and sub).
Tensor& inplace_binary(Tensor& self, Binary op, const Tensor& other, const Recorded& recorded, const char* name,
                       double alpha = 1.0) {
  check_castable(binary_result(op, self, other), self);
  D2L_CHECK(alpha == std::floor(alpha) || is_floating(self.dtype()) || is_floating(other.dtype()),
            "For integral input tensors, argument alpha must not be a floating point number.");
  const Shape shape = broadcast_shapes(self.shape(), other.shape(), name);
  D2L_CHECK(shape == self.shape(), "output with shape ", shape_str(self.shape()),
            " doesn't match the broadcast shape ", shape_str(shape));
  check_no_internal_overlap(self);
  Tensor operand = readable_operand(self, other);
  if (records_graph(self, &other)) {
    rebase_history(self, recorded(original(self), alpha == 1.0 ? other : mul(other, alpha)));
    return self;
  }
  if (alpha != 1.0) operand = mul(operand.detach(), alpha);
  kernels::binary(op, self, detail::cast(operand, self.dtype()), self);
  self.bump_version();
  return self;
}

Tensor& inplace_scalar(Tensor& self, Binary op, double value, const std::function<Tensor(const Tensor&)>& recorded) {
  check_castable(scalar_result(op, self, value), self);
  check_no_internal_overlap(self);
  if (records_graph(self, nullptr)) {
    rebase_history(self, recorded(original(self)));
    return self;
  }
  kernels::binary_scalar(op, self, value, self);
  self.bump_version();
  return self;
}

// self += alpha * other: in one pass when both are contiguous and alike and no graph is
// recorded (the optimizers' update), else as any in-place binary op.
Tensor& add_scaled(Tensor& self, const Tensor& other, double alpha, const char* name) {
  const bool plain = !(is_grad_enabled() && (self.requires_grad() || other.requires_grad()));
  const bool alike = other.shape() == self.shape() && other.dtype() == self.dtype() && self.is_contiguous() &&
                     other.is_contiguous() && is_floating(self.dtype());
  if (plain && alike && (self.impl()->storage != other.impl()->storage || overlap(self, other) == Overlap::Full)) {
    kernels::axpy(alpha, other, self);
    self.bump_version();
    return self;
  }
  return inplace_binary(self, Binary::Add, other, [](const Tensor& a, const Tensor& b) { return add(a, b); }, name,
                        alpha);
}

Tensor& inplace_unary(Tensor& self, Unary op, Tensor (*recorded)(const Tensor&)) {
  D2L_CHECK(!(op == Unary::Neg && self.dtype() == kBool),
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use "
            "the `~` or `logical_not()` operator instead.");
  const bool keeps_dtype = op == Unary::Neg || op == Unary::Abs || op == Unary::Relu;
  if (!keeps_dtype && !is_floating(self.dtype())) check_castable(kFloat32, self);
  check_no_internal_overlap(self);
  if (records_graph(self, nullptr)) {
    rebase_history(self, recorded(original(self)));
    return self;
  }
  kernels::unary(op, self, self);
  self.bump_version();
  return self;
}

// Writes values that do not depend on the old ones (fill_, zero_, normal_, uniform_).
template <class Write>
Tensor& overwrite(Tensor& self, const char* node_name, Write write) {
  if (records_graph(self, nullptr)) {
    Tensor r = replaced(self, node_name);
    write(r);
    rebase_history(self, r);
    return self;
  }
  write(self);
  self.bump_version();
  return self;
}

}  // namespace

Tensor& Tensor::add_(const Tensor& other, double alpha) { return add_scaled(*this, other, alpha, "add_"); }
Tensor& Tensor::sub_(const Tensor& other, double alpha) {
  if (alpha != 1.0) return add_scaled(*this, other, -alpha, "sub_");
  return inplace_binary(*this, Binary::Sub, other, [](const Tensor& a, const Tensor& b) { return sub(a, b); }, "sub_");
}
Tensor& Tensor::mul_(const Tensor& other) {
  return inplace_binary(*this, Binary::Mul, other, [](const Tensor& a, const Tensor& b) { return mul(a, b); }, "mul_");
}
Tensor& Tensor::div_(const Tensor& other) {
  return inplace_binary(*this, Binary::Div, other, [](const Tensor& a, const Tensor& b) { return div(a, b); }, "div_");
}
Tensor& Tensor::add_(double value) {
  return inplace_scalar(*this, Binary::Add, value, [value](const Tensor& t) { return t + value; });
}
Tensor& Tensor::sub_(double value) {
  return inplace_scalar(*this, Binary::Sub, value, [value](const Tensor& t) { return t - value; });
}
Tensor& Tensor::mul_(double value) {
  return inplace_scalar(*this, Binary::Mul, value, [value](const Tensor& t) { return t * value; });
}
Tensor& Tensor::div_(double value) {
  return inplace_scalar(*this, Binary::Div, value, [value](const Tensor& t) { return t / value; });
}

Tensor& Tensor::pow_(double exponent) {
  D2L_CHECK(is_floating(dtype()) || exponent >= 0 || exponent != std::floor(exponent),
            "Integers to negative integer powers are not allowed.");
  return inplace_scalar(*this, Binary::Pow, exponent, [exponent](const Tensor& t) { return d2l::pow(t, exponent); });
}

Tensor& Tensor::clamp_(std::optional<double> min, std::optional<double> max) {
  D2L_CHECK(min || max, "clamp_: at least one of 'min' or 'max' must not be None");
  auto fractional = [](std::optional<double> v) { return v && std::isfinite(*v) && *v != std::floor(*v); };
  if (!is_floating(dtype()) && (fractional(min) || fractional(max))) check_castable(kFloat32, *this);
  check_no_internal_overlap(*this);
  if (records_graph(*this, nullptr)) {
    rebase_history(*this, d2l::clamp(original(*this), min, max));
    return *this;
  }
  // Through the out-of-place op, so its checks of the bounds (none given, NaN) apply here too.
  kernels::copy(d2l::clamp(detach(), min, max), *this);
  bump_version();
  return *this;
}

Tensor& Tensor::neg_() { return inplace_unary(*this, Unary::Neg, d2l::neg); }
Tensor& Tensor::exp_() { return inplace_unary(*this, Unary::Exp, d2l::exp); }
Tensor& Tensor::log_() { return inplace_unary(*this, Unary::Log, d2l::log); }
Tensor& Tensor::sqrt_() { return inplace_unary(*this, Unary::Sqrt, d2l::sqrt); }
Tensor& Tensor::abs_() { return inplace_unary(*this, Unary::Abs, d2l::abs); }
Tensor& Tensor::tanh_() { return inplace_unary(*this, Unary::Tanh, d2l::tanh); }
Tensor& Tensor::sigmoid_() { return inplace_unary(*this, Unary::Sigmoid, d2l::sigmoid); }
Tensor& Tensor::relu_() { return inplace_unary(*this, Unary::Relu, d2l::relu); }

Tensor& Tensor::zero_() {
  return overwrite(*this, "ZeroBackward0", [](const Tensor& t) { kernels::fill(t, 0.0); });
}

// A fill writes one value everywhere, so an expanded tensor is fine here (as in PyTorch).
Tensor& Tensor::fill_(double value) {
  return overwrite(*this, "FillBackward2", [value](const Tensor& t) { kernels::fill(t, value); });
}

Tensor& Tensor::copy_(const Tensor& src) {
  D2L_CHECK(broadcast_shapes(shape(), src.shape(), "copy_") == shape(), "copy_: source of shape ",
            shape_str(src.shape()), " cannot be copied into shape ", shape_str(shape()));
  check_no_internal_overlap(*this);
  const Tensor operand = readable_operand(*this, src);
  if (records_graph(*this, &src)) {
    // PyTorch's CopyBackwards: the old values get a zero gradient, the source all of it.
    Tensor values = empty(shape(), dtype());
    kernels::copy(operand, values);
    values = autograd::record(values, "CopyBackwards", {*this, src},
                              [src_shape = src.shape(), src_dtype = src.dtype()](const Tensor& g, const Node& n) {
                                return autograd::Grads{n.needs_grad(0) ? zeros_like(g) : Tensor(),
                                                       n.needs_grad(1) ? detail::grad_for(g, src_shape, src_dtype)
                                                                       : Tensor()};
                              });
    rebase_history(*this, values);
    return *this;
  }
  kernels::copy(operand, *this);
  bump_version();
  return *this;
}

// Random fills draw in row-major order, so a seed gives the same values whatever the layout.
template <class Draw>
static Tensor& fill_random(Tensor& self, const char* node_name, Draw draw) {
  check_no_internal_overlap(self);
  return overwrite(self, node_name, [&](const Tensor& t) {
    D2L_DISPATCH_FLOATING(t.dtype(), [&] {
      Tensor buf = t.is_contiguous() ? t : empty(t.shape(), t.dtype());
      auto* p = buf.data_ptr<scalar_t>();
      for (std::int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = static_cast<scalar_t>(draw());
      if (!buf.is_same(t)) kernels::copy(buf, t);
    });
  });
}

Tensor& Tensor::normal_(double mean, double std) {
  D2L_CHECK(std >= 0, "normal_ expects std >= 0.0, but found std ", std);
  Generator& g = default_generator();
  return fill_random(*this, "NormalBackward0", [&] { return mean + std * g.normal(); });
}

Tensor& Tensor::uniform_(double low, double high) {
  D2L_CHECK(low <= high, "uniform_ expects to return a [from, to) range, but found from=", low, " > to=", high);
  Generator& g = default_generator();
  return fill_random(*this, "UniformBackward0", [&] { return low + (high - low) * g.uniform(); });
}

Tensor& operator+=(Tensor& a, const Tensor& b) { return a.add_(b); }
Tensor& operator-=(Tensor& a, const Tensor& b) { return a.sub_(b); }
Tensor& operator*=(Tensor& a, const Tensor& b) { return a.mul_(b); }
Tensor& operator/=(Tensor& a, const Tensor& b) { return a.div_(b); }
Tensor& operator+=(Tensor& a, double b) { return a.add_(b); }
Tensor& operator-=(Tensor& a, double b) { return a.sub_(b); }
Tensor& operator*=(Tensor& a, double b) { return a.mul_(b); }
Tensor& operator/=(Tensor& a, double b) { return a.div_(b); }
Tensor operator+=(Tensor&& a, const Tensor& b) { return a.add_(b); }
Tensor operator-=(Tensor&& a, const Tensor& b) { return a.sub_(b); }

}  // namespace d2l
