#pragma once
// Reverse-mode automatic differentiation: each op's result holds a Node that knows the
// op's inputs and how to turn the output's gradient into theirs.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "d2l/detail/inline_list.h"
#include "d2l/detail/pool.h"
#include "d2l/tensor.h"

namespace d2l {

// Grad mode is per thread, as in PyTorch. While a NoGradGuard lives, ops record nothing.
bool is_grad_enabled();
void set_grad_enabled(bool enabled);

class NoGradGuard {
 public:
  NoGradGuard() : previous_(is_grad_enabled()) { set_grad_enabled(false); }
  ~NoGradGuard() { set_grad_enabled(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

namespace autograd {

// The gradients a backward returns, one per input.
using Grads = detail::InlineList<Tensor, 3>;

struct Node;

// Where one input's gradient goes: the node that made the input (its grad_fn when the op
// ran, so a later in-place op that rebases the input's history does not redirect it), or the
// leaf whose .grad it accumulates into. Neither for an input that needs no gradient.
struct Edge {
  std::shared_ptr<Node> fn;
  std::shared_ptr<TensorImpl> leaf;
  explicit operator bool() const { return fn || leaf; }
};

// The storage of a tensor a backward reads, and its version when it was saved. The storage,
// not the tensor: a node saving its own output must not keep that output (and so itself) alive.
struct SavedVersion {
  std::shared_ptr<Storage> storage;
  std::uint32_t version = 0;
  DType dtype = kFloat32;  // dtype and shape, for the error message
  Shape shape;
  const char* producer = nullptr;  // the grad_fn that made it ("ExpBackward0"), null for a leaf
  // A saved input, to name its grad_fn as it is when the check fails (an in-place op may
  // have given it a new one since); weak, so the node does not keep its inputs alive.
  std::weak_ptr<TensorImpl> input;
};

// One recorded op. Its backward turns the output's gradient into one gradient per input
// (undefined where `needs_grad(i)` is false or the input gets none).
struct Node {
  virtual ~Node();  // dismantles long chains without deep recursion
  virtual Grads apply(const Tensor& grad_output) = 0;
  // Frees what the backward saved; the node cannot run again.
  virtual void release_saved() = 0;

  const char* name = "";  // "MulBackward0", as PyTorch names its nodes
  detail::InlineList<Edge, 3> next_edges;  // one per input
  detail::InlineList<SavedVersion, 2> saved;  // checked before the backward runs
  Shape shape;  // the output's shape and dtype: every gradient handed to this node has them
  DType dtype = kFloat32;
  bool released = false;  // backward ran and freed the saved tensors
  bool needs_grad(std::size_t i) const { return i < next_edges.size() && bool(next_edges[i]); }
  // Raises PyTorch's error if a saved tensor was modified in place since it was saved.
  void check_saved_versions() const;
  // Scratch state of the backward pass running through this node (kept here rather than in
  // hash maps, which cost more than the small models' arithmetic).
  std::uint64_t pass = 0;  // which backward pass last visited the node
  int dependencies = 0;    // consumers that have not yet handed over their gradient
  Tensor pending_grad;     // the sum of the gradients handed over so far
};

// A node whose backward is a lambda `(const Tensor& grad, const Node& node) -> Grads` (or a std::vector<Tensor>),
// stored inline: one allocation per recorded op.
template <class F>
struct LambdaNode final : Node {
  explicit LambdaNode(F f) : fn(std::move(f)) {}
  Grads apply(const Tensor& grad_output) override { return Grads((*fn)(grad_output, *this)); }
  void release_saved() override { fn.reset(); }
  std::optional<F> fn;
};

// A view taken before an in-place op rebased its base's history: its grad_fn is stale.
inline bool is_stale_view(const TensorImpl& t) { return t.view_base && t.view_base->history != t.base_history; }
// Whether an op with this input records a node (a stale view does, so that recording raises).
inline bool needs_recording(const Tensor& t) {
  return t.defined() && (t.requires_grad() || is_stale_view(*t.impl()));
}

// True when an op on these inputs would record a node.
bool any_requires_grad(const Tensor* begin, const Tensor* end);
inline bool any_requires_grad(std::initializer_list<Tensor> inputs) {
  return any_requires_grad(inputs.begin(), inputs.end());
}
// The same for inputs passed one by one, without copying the handles into a list: ops
// called outside training (inference, benchmarks) check this before building their backward.
// A stale view counts, so that recording it raises (see attach).
template <class... Rest>
bool any_requires_grad(const Tensor& first, const Rest&... rest) {
  return is_grad_enabled() && (needs_recording(first) || ... || needs_recording(rest));
}
// A tensor a backward reads besides the gradient: for the gradient of input `for_input`
// only (mul reads b for a's gradient), or for any (-1). It is saved only when that gradient
// is wanted, as PyTorch does, so changing a tensor no gradient needs is not an error.
struct Saved {
  Saved(const Tensor& t, int input = -1) : tensor(t), for_input(input) {}  // NOLINT: implicit from Tensor
  Tensor tensor;
  int for_input;
};

// Makes `node` the grad_fn of `output`, with the inputs that require grad as its edges, and
// records the versions of the tensors its backward reads (undefined ones are skipped).
void attach(const Tensor& output, std::shared_ptr<Node> node, const char* name, const Tensor* begin, const Tensor* end,
            const Saved* saved_begin = nullptr, const Saved* saved_end = nullptr);

// Records `backward` as the grad_fn of `output` if grad mode is on and any input requires
// grad; returns output. `saved` lists every tensor the backward reads besides the gradient
// (inputs, or a detached handle of the output): an in-place change to any of them before
// backward runs is then an error instead of a gradient computed from the changed values.
template <class F>
Tensor record(Tensor output, const char* name, std::initializer_list<Tensor> inputs, std::initializer_list<Saved> saved,
              F&& backward) {
  if (any_requires_grad(inputs))
    attach(output, detail::make_pooled<LambdaNode<std::decay_t<F>>>(std::forward<F>(backward)), name, inputs.begin(),
           inputs.end(), saved.begin(), saved.end());
  return output;
}
// An op whose backward reads nothing but the gradient (and shapes, dtypes or scalars).
template <class F>
Tensor record(Tensor output, const char* name, std::initializer_list<Tensor> inputs, F&& backward) {
  return record(std::move(output), name, inputs, {}, std::forward<F>(backward));
}
template <class F>
Tensor record(Tensor output, const char* name, const std::vector<Tensor>& inputs, const std::vector<Saved>& saved,
              F&& backward) {
  const Tensor* begin = inputs.data();
  const Tensor* end = begin + inputs.size();
  if (any_requires_grad(begin, end))
    attach(output, detail::make_pooled<LambdaNode<std::decay_t<F>>>(std::forward<F>(backward)), name, begin, end,
           saved.data(), saved.data() + saved.size());
  return output;
}
template <class F>
Tensor record(Tensor output, const char* name, const std::vector<Tensor>& inputs, F&& backward) {
  return record(std::move(output), name, inputs, std::vector<Saved>{}, std::forward<F>(backward));
}

// Runs backward from `root` with the given gradient (same shape as root).
void run_backward(const Tensor& root, const Tensor& gradient, bool retain_graph);

}  // namespace autograd
}  // namespace d2l
