#pragma once
// nn::Module: parameters and child modules registered by name, PyTorch's naming and
// printing. Modules are plain classes held by std::shared_ptr.
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "d2l/tensor.h"

namespace d2l::nn {

class Module {
 public:
  virtual ~Module() = default;

  // One tensor in, one tensor out; modules with other signatures define their own call.
  virtual Tensor forward(const Tensor& input);
  Tensor operator()(const Tensor& input) { return forward(input); }

  // Registers `tensor` as a parameter (it will require grad) and returns it.
  Tensor register_parameter(const std::string& name, Tensor tensor, bool requires_grad = true);
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }

  // Registers a tensor that is state but not a parameter (it never requires grad), as
  // PyTorch's register_buffer; listed by buffers() / named_buffers(), converted by to().
  Tensor register_buffer(const std::string& name, Tensor tensor);

  std::vector<Tensor> parameters(bool recurse = true) const;
  // ("0.weight", tensor) pairs, children's names joined with dots, in registration order;
  // a tensor reachable twice (a shared child) is listed once, under its first name.
  std::vector<std::pair<std::string, Tensor>> named_parameters(bool recurse = true) const;
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const { return children_; }
  std::vector<Tensor> buffers(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>> named_buffers(bool recurse = true) const;

  // Converts every floating-point parameter and buffer (and parameter gradient) to `dtype` in
  // place: the handles a module holds (Linear::weight, an optimizer's list) stay its
  // parameters and see the new values. Integer buffers are left alone. Returns the module.
  Module& to(DType dtype);
  // PyTorch's module.double() / module.float(); `double` and `float` are C++ keywords, and
  // the trailing underscore is also this library's mark of an in-place change.
  Module& double_() { return to(kFloat64); }
  Module& float_() { return to(kFloat32); }

  void zero_grad();
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // The class name PyTorch prints ("Linear") and the text inside its parentheses.
  virtual std::string type_name() const { return "Module"; }
  virtual std::string extra_repr() const { return ""; }
  // print(net) in PyTorch's layout.
  std::string to_string() const;

 protected:
  void add_child(const std::string& name, std::shared_ptr<Module> module);

 private:
  void check_name_free(const std::string& name) const;
  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

std::ostream& operator<<(std::ostream& os, const Module& module);

}  // namespace d2l::nn
