#include "d2l/nn/sequential.h"

namespace d2l::nn {

Sequential::Sequential(const OrderedDict& modules) {
  for (const auto& [name, module] : modules) add_module(name, module);
}

void Sequential::push_back(std::shared_ptr<Module> module) { add_module(std::to_string(size()), std::move(module)); }

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (const auto& [name, module] : named_children()) x = module->forward(x);
  return x;
}

std::shared_ptr<Module> Sequential::operator[](std::size_t index) const {
  D2L_CHECK(index < size(), "index ", index, " is out of range for a Sequential of ", size(), " modules");
  return named_children()[index].second;
}

}  // namespace d2l::nn
