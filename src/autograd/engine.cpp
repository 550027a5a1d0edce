// The backward pass: an iterative topological order over the graph (no recursion, so an
// unrolled RNN or a 100,000-op chain is fine), then gradients flow in reverse.
#include <atomic>
#include <sstream>
#include <vector>

#include "d2l/autograd.h"
#include "kernels/cpu/kernels.h"

namespace d2l::autograd {

namespace {

// A node is dismantled by hand when it holds the last reference to it.
bool last_reference(const std::shared_ptr<Node>& fn) { return fn && fn.use_count() == 1; }

}  // namespace

Node::~Node() {
  // Destroying a long chain the default way recurses once per node (node -> edge -> node ...).
  // Instead, steal the edges of every node that dies with us and drop them one by one.
  // The saved tensors go first (a LambdaNode's lambda is already destroyed by the time this
  // base destructor runs): while they are held, a saved input's grad_fn is not yet down to
  // the edge's last reference, so the chain would be left to the recursive path after all.
  saved.clear();
  bool deep = false;
  for (const auto& e : next_edges) deep = deep || last_reference(e.fn);
  if (!deep) return;
  // Most graphs fit inline (a chain hands over one or two nodes at a time): no heap allocation.
  detail::InlineList<std::shared_ptr<Node>, 8> pending;
  for (auto& e : next_edges) pending.push_back(std::move(e.fn));
  next_edges.clear();
  while (!pending.empty()) {
    std::shared_ptr<Node> node = pending.pop_back();
    if (!last_reference(node)) continue;  // others still hold it: dropping ours frees nothing
    node->release_saved();
    node->saved.clear();
    for (auto& e : node->next_edges) pending.push_back(std::move(e.fn));
    node->next_edges.clear();
  }
}

// PyTorch's legacy type names, which its in-place error messages use.
static const char* legacy_type_name(DType dtype) {
  switch (dtype) {
    case kFloat32: return "torch.FloatTensor";
    case kFloat64: return "torch.DoubleTensor";
    case kInt64: return "torch.LongTensor";
    default: return "torch.BoolTensor";
  }
}

void Node::check_saved_versions() const {
  for (const SavedVersion& s : saved) {
    const std::uint32_t now = s.storage->version;
    if (now == s.version) continue;
    std::ostringstream what;
    what << "[" << legacy_type_name(s.dtype) << " " << shape_str(s.shape) << "]";
    const auto input = s.input.lock();
    const char* producer = input && input->grad_fn ? input->grad_fn->name : s.producer;
    if (producer) what << ", which is output 0 of " << producer << ",";
    throw Error("one of the variables needed for gradient computation has been modified by an inplace operation: " +
                what.str() + " is at version " + std::to_string(now) + "; expected version " +
                std::to_string(s.version) + " instead. Hint: clone() it before the in-place change, or make the "
                "change after backward()");
  }
}

bool any_requires_grad(const Tensor* begin, const Tensor* end) {
  if (!is_grad_enabled()) return false;
  for (const Tensor* t = begin; t != end; ++t)
    if (needs_recording(*t)) return true;
  return false;
}

static void check_not_stale(const Tensor& t) {
  D2L_CHECK(!is_stale_view(*t.impl()),
            "a view was used after an in-place operation on its base changed the base's autograd history; "
            "take the view again after the in-place operation (views of a rebased tensor are not replayed)");
}

void attach(const Tensor& output, std::shared_ptr<Node> node, const char* name, const Tensor* begin, const Tensor* end,
            const Saved* saved_begin, const Saved* saved_end) {
  node->name = name;
  node->next_edges.reserve(static_cast<std::size_t>(end - begin));
  for (const Tensor* t = begin; t != end; ++t) {
    Edge e;
    if (t->defined()) {
      check_not_stale(*t);
      if (t->grad_fn()) e.fn = t->grad_fn();
      else if (t->requires_grad()) e.leaf = t->impl_ptr();
    }
    node->next_edges.push_back(std::move(e));
  }
  for (const Saved* s = saved_begin; s != saved_end; ++s) {
    const Tensor& t = s->tensor;
    if (!t.defined() || (s->for_input >= 0 && !node->needs_grad(static_cast<std::size_t>(s->for_input)))) continue;
    // A saved handle of the output (the same storage) is output 0 of this node.
    const bool is_output = t.impl()->storage == output.impl()->storage;
    const char* producer = is_output ? name : (t.grad_fn() ? t.grad_fn()->name : nullptr);
    node->saved.push_back(SavedVersion{t.impl()->storage, t._version(), t.dtype(), t.shape(), producer,
                                       is_output ? std::weak_ptr<TensorImpl>() : t.impl_ptr()});
  }
  node->shape = output.shape();
  node->dtype = output.dtype();
  output.impl()->grad_fn = std::move(node);
  output.impl()->requires_grad = true;
}

namespace {

// The engine sits below the ops, so it does its arithmetic with the kernels directly.

// A fresh contiguous copy of `t` as `dtype`.
Tensor copy_as(const Tensor& t, DType dtype) {
  Tensor out = empty(t.shape(), dtype);
  kernels::copy(t, out);
  return out;
}

Tensor sum_of(const Tensor& a, const Tensor& b) {
  Tensor out = empty(a.shape(), a.dtype());
  kernels::binary(kernels::Binary::Add, a, b, out);
  return out;
}

// Adds `g` (the leaf's shape and dtype) into a leaf's .grad. The first gradient is copied,
// so .grad never aliases another tensor; later ones are added in place, as PyTorch's
// AccumulateGrad does, which bumps the gradient's version like any in-place op.
void accumulate_leaf(TensorImpl& leaf, const Tensor& g) {
  if (!leaf.grad) {
    leaf.grad = copy_as(g, leaf.dtype).impl_ptr();
  } else {
    const Tensor grad(leaf.grad);
    kernels::binary(kernels::Binary::Add, grad, g, grad);
    grad.bump_version();
  }
}

void check_grad_shape(const Node& node, const Shape& input_shape, const Tensor& g) {
  D2L_CHECK(g.shape() == input_shape, node.name, " returned a gradient of shape ", shape_str(g.shape()),
            " for an input of shape ", shape_str(input_shape));
}

}  // namespace

void run_backward(const Tensor& root, const Tensor& gradient, bool retain_graph) {
  D2L_CHECK(root.requires_grad(),
            "element 0 of tensors does not require grad and does not have a grad_fn");
  check_not_stale(root);
  Tensor seed = gradient;
  if (!seed.defined()) {
    D2L_CHECK(root.numel() == 1, "grad can be implicitly created only for scalar outputs (got shape ",
              shape_str(root.shape()), "); pass a gradient tensor to backward()");
    seed = empty(root.shape(), root.dtype());
    kernels::fill(seed, 1.0);
  }
  D2L_CHECK(seed.shape() == root.shape(), "backward: gradient has shape ", shape_str(seed.shape()),
            " but the tensor has shape ", shape_str(root.shape()));
  NoGradGuard no_grad;
  if (root.is_leaf()) {
    accumulate_leaf(*root.impl(), copy_as(seed, root.dtype()));
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
    for (const auto& e : node->next_edges) {
      if (!e.fn) continue;
      Node* next = e.fn.get();
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
  root_node->pending_grad = seed.dtype() == root.dtype() ? seed : copy_as(seed, root.dtype());
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
    if (grad_out.defined()) {
      node->check_saved_versions();
      grads = node->apply(grad_out);
    }
    for (std::size_t i = 0; i < node->next_edges.size(); ++i) {
      const Edge& e = node->next_edges[i];
      if (!e) continue;
      Tensor g = i < grads.size() ? grads[i] : Tensor();
      if (g.defined()) {
        // As PyTorch's engine does: a gradient always has its input's dtype.
        const DType dtype = e.fn ? e.fn->dtype : e.leaf->dtype;
        check_grad_shape(*node, e.fn ? e.fn->shape : e.leaf->shape, g);
        if (g.dtype() != dtype) g = copy_as(g, dtype);
      }
      if (!e.fn) {
        if (g.defined()) accumulate_leaf(*e.leaf, g);
        continue;
      }
      Node* next = e.fn.get();
      if (g.defined()) next->pending_grad = next->pending_grad.defined() ? sum_of(next->pending_grad, g) : g;
      if (--next->dependencies == 0) ready.push_back(next);
    }
    if (!retain_graph) {
      node->release_saved();
      node->saved.clear();
      node->released = true;
    }
  }
}

}  // namespace d2l::autograd

namespace d2l {

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  autograd::run_backward(*this, gradient, retain_graph);
}

}  // namespace d2l
