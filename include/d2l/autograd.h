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

// One recorded op. Its backward turns the output's gradient into one gradient per input
// (undefined where `needs_grad(i)` is false or the input gets none).
struct Node {
  virtual ~Node();  // dismantles long chains without deep recursion
  virtual Grads apply(const Tensor& grad_output) = 0;
  // Frees what the backward saved; the node cannot run again.
  virtual void release_saved() = 0;

  const char* name = "";  // "MulBackward0", as PyTorch names its nodes
  detail::InlineList<std::shared_ptr<TensorImpl>, 3> inputs;  // null where no gradient flows
  bool released = false;  // backward ran and freed the saved tensors
  bool needs_grad(std::size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
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

// True when an op on these inputs would record a node.
bool any_requires_grad(const Tensor* begin, const Tensor* end);
inline bool any_requires_grad(std::initializer_list<Tensor> inputs) {
  return any_requires_grad(inputs.begin(), inputs.end());
}
// The same for inputs passed one by one, without copying the handles into a list: ops
// called outside training (inference, benchmarks) check this before building their backward.
template <class... Rest>
bool any_requires_grad(const Tensor& first, const Rest&... rest) {
  auto needs = [](const Tensor& t) { return t.defined() && t.requires_grad(); };
  return is_grad_enabled() && (needs(first) || ... || needs(rest));
}
// Makes `node` the grad_fn of `output`, with the inputs that require grad as its edges.
void attach(const Tensor& output, std::shared_ptr<Node> node, const char* name, const Tensor* begin, const Tensor* end);

// Records `backward` as the grad_fn of `output` if grad mode is on and any input requires
// grad; returns output.
template <class F>
Tensor record(Tensor output, const char* name, std::initializer_list<Tensor> inputs, F&& backward) {
  if (any_requires_grad(inputs))
    attach(output, detail::make_pooled<LambdaNode<std::decay_t<F>>>(std::forward<F>(backward)), name, inputs.begin(),
           inputs.end());
  return output;
}
template <class F>
Tensor record(Tensor output, const char* name, const std::vector<Tensor>& inputs, F&& backward) {
  const Tensor* begin = inputs.data();
  const Tensor* end = begin + inputs.size();
  if (any_requires_grad(begin, end))
    attach(output, detail::make_pooled<LambdaNode<std::decay_t<F>>>(std::forward<F>(backward)), name, begin, end);
  return output;
}

// Runs backward from `root` with the given gradient (same shape as root).
void run_backward(const Tensor& root, const Tensor& gradient, bool retain_graph);

}  // namespace autograd
}  // namespace d2l
