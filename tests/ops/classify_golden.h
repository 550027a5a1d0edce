#pragma once
// tests/data/classify_golden.json, written by tests/golden/make_classify_golden.py from PyTorch.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "d2l/tensor.h"

namespace d2l::testing {

inline const nlohmann::json& classify_golden() {
  static const nlohmann::json j = [] {
    std::ifstream f(std::string(D2L_TEST_DATA_DIR) + "/classify_golden.json");
    EXPECT_TRUE(f.good()) << "missing tests/data/classify_golden.json; run tests/golden/make_classify_golden.py";
    return nlohmann::json::parse(f);
  }();
  return j;
}

// Every number of a (nested) JSON array, row-major.
inline std::vector<double> flat_values(const nlohmann::json& j) {
  std::vector<double> out;
  if (!j.is_array()) {
    out.push_back(j.get<double>());
    return out;
  }
  for (const auto& x : j) {
    const auto inner = flat_values(x);
    out.insert(out.end(), inner.begin(), inner.end());
  }
  return out;
}

inline Shape shape_of(const nlohmann::json& j) {
  Shape s;
  for (const auto& x : j) s.push_back(x.get<std::int64_t>());
  return s;
}

// A tensor of the given dtype from a JSON array (nested or flat with an explicit shape).
inline Tensor golden_tensor(const nlohmann::json& values, const Shape& shape, DType dtype = kFloat64) {
  return from_vector(flat_values(values), shape).to(dtype);
}

// |got - want| <= atol + rtol * |want| element by element, with the first mismatches named.
inline ::testing::AssertionResult all_close(const std::vector<double>& got, const std::vector<double>& want,
                                            double rtol, double atol) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << "size " << got.size() << " vs expected " << want.size();
  int bad = 0;
  std::ostringstream msg;
  msg.precision(17);
  for (std::size_t i = 0; i < want.size(); ++i)
    if (!(std::abs(got[i] - want[i]) <= atol + rtol * std::abs(want[i])) && bad++ < 5)
      msg << "\n  element " << i << ": got " << got[i] << ", want " << want[i];
  if (bad) return ::testing::AssertionFailure() << bad << " mismatches" << msg.str();
  return ::testing::AssertionSuccess();
}

}  // namespace d2l::testing
