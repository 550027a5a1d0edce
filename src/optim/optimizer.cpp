#include "d2l/optim/optimizer.h"

#include <cmath>
#include <ostream>

#include "d2l/autograd.h"
#include "d2l/detail/python_float.h"

namespace d2l::optim {

double ParamGroup::number(const std::string& name) const {
  auto it = options.find(name);
  D2L_CHECK(it != options.end() && std::holds_alternative<double>(it->second), "optimizer option '", name,
            "' is missing or not a number");
  return std::get<double>(it->second);
}

bool ParamGroup::flag(const std::string& name) const {
  auto it = options.find(name);
  D2L_CHECK(it != options.end() && std::holds_alternative<bool>(it->second), "optimizer option '", name,
            "' is missing or not a flag");
  return std::get<bool>(it->second);
}

std::pair<double, double> ParamGroup::number_pair(const std::string& name) const {
  using Pair = std::pair<double, double>;
  auto it = options.find(name);
  D2L_CHECK(it != options.end() && std::holds_alternative<Pair>(it->second), "optimizer option '", name,
            "' is missing or not a pair of numbers");
  return std::get<Pair>(it->second);
}

void Optimizer::add_param_group(ParamGroup group) {
  for (const auto& [name, value] : defaults_) group.options.try_emplace(name, value);
  for (std::size_t i = 0; i < group.params.size(); ++i) {
    const Tensor& p = group.params[i];
    D2L_CHECK(p.defined() && p.is_leaf(), "can't optimize a non-leaf Tensor");
    // Listed twice, a tensor would be stepped twice per step (torch warns that this will be an error).
    for (std::size_t j = 0; j < i; ++j)
      D2L_CHECK(!p.is_same(group.params[j]), "optimizer contains a parameter group with duplicate parameters");
    for (const auto& g : groups_)
      for (const auto& q : g.params)
        D2L_CHECK(!p.is_same(q), "some parameters appear in more than one parameter group");
  }
  groups_.push_back(std::move(group));
}

void Optimizer::zero_grad(bool set_to_none) {
  NoGradGuard guard;
  for (auto& g : groups_)
    for (auto& p : g.params) {
      if (!p.grad().defined()) continue;
      if (set_to_none) p.set_grad(Tensor());
      else p.grad().zero_();
    }
}

// Python's repr of an option: True/False, None, "0" rather than "0.0" for the integer
// defaults PyTorch uses, and Python's float repr for other numbers ("0.03", "1e-05").
static std::string option_str(const OptionValue& v) {
  if (std::holds_alternative<bool>(v)) return std::get<bool>(v) ? "True" : "False";
  if (std::holds_alternative<std::monostate>(v)) return "None";
  if (const auto* p = std::get_if<std::pair<double, double>>(&v)) {  // a tuple of floats: "(0.9, 0.999)"
    std::string out = "(";
    out.append(detail::python_float_repr(p->first)).append(", ").append(detail::python_float_repr(p->second));
    return out.append(")");
  }
  const double d = std::get<double>(v);
  if (std::isfinite(d) && d == std::trunc(d) && std::abs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  return detail::python_float_repr(d);
}

std::string Optimizer::to_string() const {
  std::string out = type_name() + " (";
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    // Each group is "\nParameter Group i\n" then one "    name: value\n" line per option,
    // so consecutive groups are separated by a blank line, as in torch.optim.Optimizer.__repr__.
    out += "\nParameter Group " + std::to_string(i) + "\n";
    for (const auto& [name, value] : groups_[i].options) out += "    " + name + ": " + option_str(value) + "\n";
  }
  return out + ")";
}

std::ostream& operator<<(std::ostream& os, const Optimizer& optimizer) { return os << optimizer.to_string(); }

}  // namespace d2l::optim
