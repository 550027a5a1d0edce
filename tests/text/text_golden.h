#pragma once
// tests/data/text_golden.json, written by tests/golden/make_text_golden.py (Python's random
// module, collections.Counter and the course's samplers).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

inline const nlohmann::json& text_golden() {
  static const nlohmann::json j = [] {
    std::ifstream f(std::string(D2L_TEST_DATA_DIR) + "/text_golden.json");
    EXPECT_TRUE(f.good()) << "missing tests/data/text_golden.json; run tests/golden/make_text_golden.py";
    return f.good() ? nlohmann::json::parse(f) : nlohmann::json::object();
  }();
  return j;
}
