#pragma once
// The op table (PyTorch's OpInfo pattern): one entry per public op. The samples live in
// tests/golden/make_op_table_golden.py, which runs each of them through PyTorch 1.13 and
// writes tests/data/op_table_golden.json; op_table_test.cpp runs every sample through the
// entry of the same name and compares forward values, gradients, central differences and
// errors with PyTorch's.
//
// Adding an op: an entry in op_table.cpp, an op(...) line with its samples in the script,
// then `/usr/bin/python3 tests/golden/make_op_table_golden.py`.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "d2l/ops.h"

namespace d2l::testing {

using Inputs = std::vector<Tensor>;
using Outputs = std::vector<Tensor>;

// A sample's scalar arguments, as the script stored them ("inf", "-inf" and "nan" as strings).
class Args {
 public:
  explicit Args(const nlohmann::json& j) : j_(j) {}
  std::int64_t i(const char* key) const { return j_.at(key).get<std::int64_t>(); }
  bool flag(const char* key) const { return j_.at(key).get<bool>(); }
  double d(const char* key) const { return number(j_.at(key)); }
  // null means None
  std::optional<double> opt(const char* key) const {
    const auto& v = j_.at(key);
    return v.is_null() ? std::nullopt : std::optional<double>(number(v));
  }
  std::optional<std::int64_t> opt_i(const char* key) const {
    const auto& v = j_.at(key);
    return v.is_null() ? std::nullopt : std::optional<std::int64_t>(v.get<std::int64_t>());
  }
  Shape shape(const char* key) const {
    Shape s;
    for (const auto& v : j_.at(key)) s.push_back(v.get<std::int64_t>());
    return s;
  }
  DType dtype(const char* key) const { return dtype_from(j_.at(key).get<std::string>()); }

  static double number(const nlohmann::json& v);
  static DType dtype_from(const std::string& name);

 private:
  const nlohmann::json& j_;
};

using EntryFn = std::function<Outputs(const Inputs&, const Args&)>;

struct OpEntry {
  // As the script names it: PyTorch's name, with a suffix for a variant (sum_dim, add_scalar).
  std::string name;
  EntryFn fn;
  // Other spellings of the same op (the Tensor method, an operator), run forward on every
  // sample that does not raise and compared with the same golden values.
  std::vector<EntryFn> aliases = {};
  // Samples where we knowingly differ from PyTorch: sample name -> why. The test requires
  // each of them to still differ, so a fix (or a regression in the reason) is noticed.
  std::map<std::string, std::string> known_divergences = {};
};

const std::vector<OpEntry>& op_table();

}  // namespace d2l::testing
