#pragma once
// tests/data/nn_golden.json, written by tests/golden/make_nn_golden.py from PyTorch.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace d2l::testing {

inline const nlohmann::json& nn_golden() {
  static const nlohmann::json j = [] {
    std::ifstream f(std::string(D2L_TEST_DATA_DIR) + "/nn_golden.json");
    EXPECT_TRUE(f.good()) << "missing tests/data/nn_golden.json; run tests/golden/make_nn_golden.py";
    return nlohmann::json::parse(f);
  }();
  return j;
}

}  // namespace d2l::testing
