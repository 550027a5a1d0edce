#include "d2l/nn/module.h"

#include <ostream>
#include <unordered_set>

#include "d2l/autograd.h"

namespace d2l::nn {

Tensor Module::forward(const Tensor&) {
  throw Error(type_name() + " has no one-tensor forward(); call it with its own arguments");
}

Tensor Module::register_parameter(const std::string& name, Tensor tensor, bool requires_grad) {
  D2L_CHECK(!name.empty() && name.find('.') == std::string::npos, "parameter name can't be empty or contain \".\": \"",
            name, "\"");
  check_name_free(name);
  // A computed tensor would never receive a gradient of its own (PyTorch refuses it too).
  D2L_CHECK(!tensor.defined() || tensor.is_leaf(), "Cannot assign non-leaf Tensor to parameter '", name,
            "'; create the parameter explicitly and compute the value in forward()");
  if (tensor.defined()) tensor.requires_grad_(requires_grad);
  parameters_.emplace_back(name, tensor);
  return tensor;
}

Tensor Module::register_buffer(const std::string& name, Tensor tensor) {
  D2L_CHECK(!name.empty() && name.find('.') == std::string::npos, "buffer name can't be empty or contain \".\": \"",
            name, "\"");
  check_name_free(name);
  buffers_.emplace_back(name, tensor);
  return tensor;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
  D2L_CHECK(module != nullptr, "module '", name, "' is null");
  D2L_CHECK(!name.empty() && name.find('.') == std::string::npos, "module name can't be empty or contain \".\": \"",
            name, "\"");
  check_name_free(name);
  children_.emplace_back(name, std::move(module));
}

// Parameters and children share one namespace, as attributes do in PyTorch; a name used by
// both would make named_parameters() ambiguous.
void Module::check_name_free(const std::string& name) const {
  for (const auto& [n, t] : parameters_) D2L_CHECK(n != name, "attribute '", name, "' already exists");
  for (const auto& [n, m] : children_) D2L_CHECK(n != name, "attribute '", name, "' already exists");
  for (const auto& [n, b] : buffers_) D2L_CHECK(n != name, "attribute '", name, "' already exists");
}

// Depth-first, own parameters before children's; a tensor already seen is skipped.
static void collect_parameters(const Module& m, const std::string& prefix, std::unordered_set<const TensorImpl*>& seen,
                               std::vector<std::pair<std::string, Tensor>>& out) {
  for (auto& [name, t] : m.named_parameters(/*recurse=*/false))
    if (seen.insert(t.impl()).second) out.emplace_back(prefix + name, t);
  for (const auto& [child_name, child] : m.named_children()) collect_parameters(*child, prefix + child_name + ".", seen, out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(bool recurse) const {
  // A tensor reached twice (a shared layer, tied weights) is listed once, under its first
  // name, as PyTorch does; otherwise an optimizer would step it twice.
  std::vector<std::pair<std::string, Tensor>> out;
  std::unordered_set<const TensorImpl*> seen;
  if (recurse) {
    collect_parameters(*this, "", seen, out);
  } else {
    for (const auto& [name, t] : parameters_)
      if (t.defined() && seen.insert(t.impl()).second) out.emplace_back(name, t);
  }
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters(recurse)) out.push_back(t);
  return out;
}

static void collect_buffers(const Module& m, const std::string& prefix, std::unordered_set<const TensorImpl*>& seen,
                            std::vector<std::pair<std::string, Tensor>>& out) {
  for (auto& [name, t] : m.named_buffers(/*recurse=*/false))
    if (seen.insert(t.impl()).second) out.emplace_back(prefix + name, t);
  for (const auto& [child_name, child] : m.named_children()) collect_buffers(*child, prefix + child_name + ".", seen, out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  std::unordered_set<const TensorImpl*> seen;
  if (recurse) {
    collect_buffers(*this, "", seen, out);
  } else {
    for (const auto& [name, t] : buffers_)
      if (t.defined() && seen.insert(t.impl()).second) out.emplace_back(name, t);
  }
  return out;
}

std::vector<Tensor> Module::buffers(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_buffers(recurse)) out.push_back(t);
  return out;
}

// Points `t`'s own TensorImpl at a converted copy of its values, so every handle to it
// (the module's member, the registry, an optimizer's list) sees the new dtype.
static void convert_in_place(const Tensor& t, DType dtype) {
  if (!is_floating(t.dtype()) || t.dtype() == dtype) return;
  const Tensor converted = t.detach().to(dtype).contiguous();
  TensorImpl* impl = t.impl();
  impl->storage = converted.impl()->storage;
  impl->strides = converted.strides();
  impl->offset = converted.storage_offset();
  impl->dtype = dtype;
  if (impl->grad) impl->grad = Tensor(impl->grad).detach().to(dtype).contiguous().impl_ptr();
}

Module& Module::to(DType dtype) {
  D2L_CHECK(is_floating(dtype), type_name(), ".to: nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=",
            dtype_name(dtype));
  NoGradGuard guard;
  for (const auto& p : parameters()) convert_in_place(p, dtype);
  for (const auto& b : buffers()) convert_in_place(b, dtype);
  return *this;
}

void Module::zero_grad() {
  NoGradGuard guard;
  for (auto& p : parameters())
    if (p.grad().defined()) p.grad().zero_();
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

// Indents every line but the first by two spaces (PyTorch's _addindent).
static std::string add_indent(const std::string& s) {
  std::string out;
  for (char c : s) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

std::string Module::to_string() const {
  std::vector<std::string> lines;
  const std::string extra = extra_repr();
  if (!extra.empty()) {  // extra_repr().split('\n'): a trailing newline gives an empty last line
    for (std::size_t start = 0;;) {
      const std::size_t nl = extra.find('\n', start);
      lines.push_back(extra.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  for (const auto& [name, child] : children_) lines.push_back("(" + name + "): " + add_indent(child->to_string()));
  std::string out = type_name() + "(";
  if (!lines.empty()) {
    if (extra.find('\n') == std::string::npos && children_.empty()) {
      out += extra;  // simple one-liner
    } else {
      out += "\n";
      for (const auto& l : lines) out += "  " + l + "\n";
    }
  }
  return out + ")";
}

std::ostream& operator<<(std::ostream& os, const Module& module) { return os << module.to_string(); }

}  // namespace d2l::nn
