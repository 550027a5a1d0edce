#pragma once
// optim::Optimizer: parameter groups, each with its own options; zero_grad and step.
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "d2l/tensor.h"

namespace d2l::optim {

// An option's value as PyTorch prints it: a number, a flag, None, or a pair of numbers (Adam's betas).
using OptionValue = std::variant<double, bool, std::monostate, std::pair<double, double>>;
// Options by name; a std::map keeps them sorted, which is the order PyTorch prints them in.
using Options = std::map<std::string, OptionValue>;

struct ParamGroup {
  std::vector<Tensor> params;
  Options options;
  double number(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::pair<double, double> number_pair(const std::string& name) const;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // Sets every parameter's gradient to zero (or drops it, with set_to_none).
  void zero_grad(bool set_to_none = false);
  virtual void step() = 0;
  // Adds a group; options it lacks are taken from the optimizer's defaults.
  void add_param_group(ParamGroup group);
  std::vector<ParamGroup>& param_groups() { return groups_; }
  const std::vector<ParamGroup>& param_groups() const { return groups_; }
  virtual std::string type_name() const = 0;
  // print(optimizer) in PyTorch's layout.
  std::string to_string() const;

 protected:
  explicit Optimizer(Options defaults) : defaults_(std::move(defaults)) {}
  Options defaults_;
  std::vector<ParamGroup> groups_;
};

std::ostream& operator<<(std::ostream& os, const Optimizer& optimizer);

}  // namespace d2l::optim
