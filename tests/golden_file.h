#pragma once
// The golden files that the scripts in tests/golden/ write from PyTorch into tests/data/.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace d2l::testing {

// tests/data/<name>, parsed once.
inline const nlohmann::json& golden_file(const std::string& name) {
  static std::map<std::string, nlohmann::json> files;
  auto it = files.find(name);
  if (it != files.end()) return it->second;
  std::ifstream f(std::string(D2L_TEST_DATA_DIR) + "/" + name);
  EXPECT_TRUE(f.good()) << "missing tests/data/" << name << "; run its script in tests/golden/";
  return files.emplace(name, nlohmann::json::parse(f)).first->second;
}

}  // namespace d2l::testing
