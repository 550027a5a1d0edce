#include "d2l/optim/optimizer.h"

#include <charconv>
#include <ostream>

#include "d2l/autograd.h"

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

void Optimizer::add_param_group(ParamGroup group) {
  for (const auto& [name, value] : defaults_) group.options.try_emplace(name, value);
  for (const auto& p : group.params) {
    D2L_CHECK(p.defined() && p.is_leaf(), "can't optimize a non-leaf Tensor");
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

// Python's repr of an option: shortest round-trip for numbers, "0" rather than "0.0" for the
// integer defaults PyTorch uses, True/False, None.
static std::string option_str(const OptionValue& v) {
  if (std::holds_alternative<bool>(v)) return std::get<bool>(v) ? "True" : "False";
  if (std::holds_alternative<std::monostate>(v)) return "None";
  const double d = std::get<double>(v);
  if (d == static_cast<double>(static_cast<long long>(d)) && std::abs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

std::string Optimizer::to_string() const {
  std::string out = type_name() + " (";
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    out += "\nParameter Group " + std::to_string(i);
    for (const auto& [name, value] : groups_[i].options) out += "\n    " + name + ": " + option_str(value);
  }
  return out + "\n)";
}

std::ostream& operator<<(std::ostream& os, const Optimizer& optimizer) { return os << optimizer.to_string(); }

}  // namespace d2l::optim
