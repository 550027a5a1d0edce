#include "d2l/nn/module.h"

#include <ostream>
#include <sstream>

#include "d2l/autograd.h"

namespace d2l::nn {

Tensor Module::forward(const Tensor&) {
  throw Error(type_name() + " has no one-tensor forward(); call it with its own arguments");
}

Tensor Module::register_parameter(const std::string& name, Tensor tensor, bool requires_grad) {
  D2L_CHECK(!name.empty() && name.find('.') == std::string::npos, "parameter name can't be empty or contain \".\": \"",
            name, "\"");
  for (const auto& [n, t] : parameters_) D2L_CHECK(n != name, "attribute '", name, "' already exists");
  if (tensor.defined()) tensor.requires_grad_(requires_grad);
  parameters_.emplace_back(name, tensor);
  return tensor;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
  D2L_CHECK(module != nullptr, "module '", name, "' is null");
  D2L_CHECK(!name.empty() && name.find('.') == std::string::npos, "module name can't be empty or contain \".\": \"",
            name, "\"");
  for (const auto& [n, m] : children_) D2L_CHECK(n != name, "module name '", name, "' already exists");
  children_.emplace_back(name, std::move(module));
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  for (const auto& [name, t] : parameters_)
    if (t.defined()) out.emplace_back(name, t);
  if (!recurse) return out;
  for (const auto& [child_name, child] : children_)
    for (auto& [name, t] : child->named_parameters(true)) out.emplace_back(child_name + "." + name, t);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters(recurse)) out.push_back(t);
  return out;
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
  if (!extra.empty()) {
    std::istringstream is(extra);
    for (std::string line; std::getline(is, line);) lines.push_back(line);
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
