// The backward pass: an iterative topological order over the graph (no recursion, so an
// unrolled RNN or a 100,000-op chain is fine), then gradients flow in reverse.
#include <atomic>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"

namespace d2l::autograd {

Node::~Node() {
  // Destroying a long chain the default way recurses once per node (impl -> node -> impl ...).
  // Instead, steal the inputs of every node that dies with us and drop them one by one.
  // The saved tensors go first (a LambdaNode's lambda is already destroyed by the time this
  // base destructor runs): they are the same inputs (mul's operands, log's input), and while
  // they are held no input is ever the last reference, so the chain would be left to the
  // recursive path after all (a 100,000-op x * w chain overflowed).
  // Most nodes die with inputs that others still own: nothing deep to dismantle.
  bool deep = false;
  for (const auto& in : inputs) deep = deep || (in && in.use_count() == 1 && in->grad_fn && in->grad_fn.use_count() == 1);
  if (!deep) return;
  // Most graphs fit inline (a chain hands over one or two inputs at a time): no heap allocation.
  detail::InlineList<std::shared_ptr<TensorImpl>, 8> pending;
  for (auto& in : inputs) pending.push_back(std::move(in));
  while (!pending.empty()) {
    std::shared_ptr<TensorImpl> impl = pending.pop_back();
    if (impl && impl.use_count() == 1 && impl->grad_fn && impl->grad_fn.use_count() == 1) {
      Node& next = *impl->grad_fn;
      next.release_saved();
      for (auto& in : next.inputs) pending.push_back(std::move(in));
      next.inputs.clear();
    }
  }
}

bool any_requires_grad(const Tensor* begin, const Tensor* end) {
  if (!is_grad_enabled()) return false;
  for (const Tensor* t = begin; t != end; ++t)
    if (t->defined() && t->requires_grad()) return true;
  return false;
}

void attach(const Tensor& output, std::shared_ptr<Node> node, const char* name, const Tensor* begin, const Tensor* end) {
  node->name = name;
  node->inputs.reserve(static_cast<std::size_t>(end - begin));
  for (const Tensor* t = begin; t != end; ++t)
    node->inputs.push_back(t->defined() && t->requires_grad() ? t->impl_ptr() : nullptr);
  output.impl()->grad_fn = std::move(node);
  output.impl()->requires_grad = true;
}

namespace {

// Adds `g` into a leaf's .grad (the first gradient is copied, so .grad never aliases another tensor).
void accumulate_leaf(TensorImpl& leaf, const Tensor& g) {
  if (!leaf.grad) {
    leaf.grad = g.contiguous().clone().impl_ptr();
    if (leaf.grad->shape != leaf.shape) leaf.grad = g.reshape(leaf.shape).clone().impl_ptr();
  } else {
    Tensor(leaf.grad).add_(g);
  }
}

void check_grad_shape(const Node& node, const TensorImpl& input, const Tensor& g) {
  D2L_CHECK(g.shape() == input.shape, node.name, " returned a gradient of shape ", shape_str(g.shape()),
            " for an input of shape ", shape_str(input.shape));
}

}  // namespace

void run_backward(const Tensor& root, const Tensor& gradient, bool retain_graph) {
  D2L_CHECK(root.requires_grad(),
            "element 0 of tensors does not require grad and does not have a grad_fn");
  Tensor seed = gradient;
  if (!seed.defined()) {
    D2L_CHECK(root.numel() == 1, "grad can be implicitly created only for scalar outputs (got shape ",
              shape_str(root.shape()), "); pass a gradient tensor to backward()");
    seed = ones(root.shape(), root.dtype());
  }
  D2L_CHECK(seed.shape() == root.shape(), "backward: gradient has shape ", shape_str(seed.shape()),
            " but the tensor has shape ", shape_str(root.shape()));
  NoGradGuard no_grad;
  if (root.is_leaf()) {
    accumulate_leaf(*root.impl(), seed.to(root.dtype()));
    return;
  }

  // Count, for every node reachable from the root, how many edges point at it.
  static std::atomic<std::uint64_t> passes{0};
  const std::uint64_t pass = ++passes;
  Node* root_node = root.grad_fn().get();
  root_node->pass = pass;
  root_node->dependencies = 0;
  // Work lists reused across passes (a backward never starts another on the same thread).
  static thread_local std::vector<Node*> stack, ready;
  stack.assign(1, root_node);
  while (!stack.empty()) {
    Node* node = stack.back();
    stack.pop_back();
    D2L_CHECK(!node->released,
              "Trying to backward through the graph a second time (or directly access saved tensors after they "
              "have already been freed). Specify retain_graph=true if you need to backward twice.");
    for (const auto& in : node->inputs) {
      if (!in || !in->grad_fn) continue;
      Node* next = in->grad_fn.get();
      if (next->pass != pass) {
        next->pass = pass;
        next->dependencies = 0;
        next->pending_grad = Tensor();
        stack.push_back(next);
      }
      ++next->dependencies;
    }
  }

  // Kahn's algorithm: a node runs once every consumer has handed it its gradient.
  root_node->pending_grad = seed.to(root.dtype());
  ready.assign(1, root_node);
  while (!ready.empty()) {
    Node* node = ready.back();
    ready.pop_back();
    const Tensor grad_out = std::move(node->pending_grad);
    node->pending_grad = Tensor();
    // A backward may hand an input no gradient (an undefined tensor). If none reached this
    // node, it has nothing to pass on, but it must still count down the nodes below it, or
    // their other consumers' gradients would never be delivered.
    Grads grads;
    if (grad_out.defined()) grads = node->apply(grad_out);
    for (std::size_t i = 0; i < node->inputs.size(); ++i) {
      const auto& in = node->inputs[i];
      if (!in) continue;
      Tensor g = i < grads.size() ? grads[i] : Tensor();
      if (g.defined()) {
        check_grad_shape(*node, *in, g);
        // As PyTorch's engine does: a gradient always has its input's dtype.
        if (g.dtype() != in->dtype) g = g.to(in->dtype);
      }
      if (!in->grad_fn) {
        if (g.defined()) accumulate_leaf(*in, g);
        continue;
      }
      Node* next = in->grad_fn.get();
      if (g.defined()) next->pending_grad = next->pending_grad.defined() ? next->pending_grad + g : g;
      if (--next->dependencies == 0) ready.push_back(next);
    }
    if (!retain_graph) {
      node->release_saved();
      node->released = true;
    }
  }
}

}  // namespace d2l::autograd
