#pragma once
// Reverse-mode automatic differentiation: each op's result holds a Node that knows the
// op's inputs and how to turn the output's gradient into theirs.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

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

struct Node;
// Given the output's gradient, returns one gradient per input (undefined where
// `node.needs_grad(i)` is false or the input gets none).
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& grad_output, const Node& node)>;

struct Node {
  const char* name = "";  // "MulBackward0", as PyTorch names its nodes
  std::vector<std::shared_ptr<TensorImpl>> inputs;  // null where no gradient flows
  BackwardFn backward;
  bool released = false;  // backward ran and freed the saved tensors
  // Scratch state of the backward pass running through this node (kept here rather than in
  // hash maps, which cost more than the small models' arithmetic).
  std::uint64_t pass = 0;  // which backward pass last visited the node
  int dependencies = 0;    // consumers that have not yet handed over their gradient
  Tensor pending_grad;     // the sum of the gradients handed over so far
  bool needs_grad(std::size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
  ~Node();  // dismantles long chains without deep recursion
};

// Attaches a Node to `output` if grad mode is on and any input requires grad; returns output.
Tensor record(Tensor output, const char* name, std::initializer_list<Tensor> inputs, BackwardFn backward);
Tensor record(Tensor output, const char* name, const std::vector<Tensor>& inputs, BackwardFn backward);
// True when an op on these inputs would record a node.
bool any_requires_grad(std::initializer_list<Tensor> inputs);

// Runs backward from `root` with the given gradient (same shape as root).
void run_backward(const Tensor& root, const Tensor& gradient, bool retain_graph);

}  // namespace autograd
}  // namespace d2l
