#pragma once
// The metrics JSON every chapter writes with --metrics FILE:
// {"chapter", "config": {...}, "history": [{"epoch", ...}], "final": {...}, "timing": {...}}.
#include <string>

#include <nlohmann/json.hpp>

namespace d2l::train {

struct Metrics {
  explicit Metrics(std::string chapter_name) : chapter(std::move(chapter_name)) {}
  std::string chapter;
  nlohmann::ordered_json config = nlohmann::ordered_json::object();
  nlohmann::ordered_json history = nlohmann::ordered_json::array();
  nlohmann::ordered_json final = nlohmann::ordered_json::object();
  nlohmann::ordered_json timing = nlohmann::ordered_json::object();

  nlohmann::ordered_json to_json() const;
  // Writes the JSON atomically to `path`.
  void save(const std::string& path) const;
};

}  // namespace d2l::train
