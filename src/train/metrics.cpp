#include "d2l/train/metrics.h"

#include "d2l/io/files.h"

namespace d2l::train {

nlohmann::ordered_json Metrics::to_json() const {
  nlohmann::ordered_json j;
  j["chapter"] = chapter;
  j["config"] = config;
  j["history"] = history;
  j["final"] = final;
  j["timing"] = timing;
  return j;
}

void Metrics::save(const std::string& path) const { io::write_file_atomic(path, to_json().dump(2) + "\n"); }

}  // namespace d2l::train
