#pragma once
#include "d2l/nn/module.h"

namespace d2l::nn {

// (name, module) pairs in order: the C++ spelling of Python's OrderedDict([...]).
using OrderedDict = std::vector<std::pair<std::string, std::shared_ptr<Module>>>;

// Runs its children in order. Built like PyTorch's in three ways:
//   Sequential(std::make_shared<Linear>(2, 1))          children named "0", "1", ...
//   Sequential(); add_module("linear", ...)
//   Sequential(OrderedDict{{"linear", std::make_shared<Linear>(2, 1)}})
class Sequential : public Module {
 public:
  Sequential() = default;
  template <class... M>
  explicit Sequential(std::shared_ptr<M>... modules) {
    (push_back(std::move(modules)), ...);
  }
  explicit Sequential(const OrderedDict& modules);

  void add_module(const std::string& name, std::shared_ptr<Module> module) { add_child(name, std::move(module)); }
  void push_back(std::shared_ptr<Module> module);
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Sequential"; }

  std::size_t size() const { return named_children().size(); }
  std::shared_ptr<Module> operator[](std::size_t index) const;
  // net.at<Linear>(0)->weight: the child at `index` as its concrete type.
  template <class M>
  std::shared_ptr<M> at(std::size_t index) const {
    auto m = std::dynamic_pointer_cast<M>((*this)[index]);
    D2L_CHECK(m != nullptr, "Sequential::at: module ", index, " is a ", (*this)[index]->type_name(),
              ", not the requested type");
    return m;
  }
};

}  // namespace d2l::nn
