#include "command.h"

#include <cmath>

#include "d2l/random.h"
#include "d2l/threads.h"

namespace d2l::chapters {

// Rejects NaN and infinities, which CLI11's range checks let through.
static const CLI::Validator kFinitePositive(
    [](std::string& s) -> std::string {
      char* end = nullptr;
      const double v = std::strtod(s.c_str(), &end);
      if (end == s.c_str() || *end != '\0' || !std::isfinite(v) || v <= 0)
        return "must be a finite number > 0, got '" + s + "'";
      return "";
    },
    "POSITIVE");

void CommonOptions::add_to(CLI::App& app) {
  app.add_option("--epochs", epochs, "number of passes over the training data")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--lr", lr, "learning rate")->check(kFinitePositive)->capture_default_str();
  app.add_option("--batch-size", batch_size, "examples per mini-batch")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--seed", seed, "random seed (same seed, same run)")->capture_default_str();
  app.add_option("--threads", threads, "threads for our kernels and BLAS (0: one per core)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--num-workers", num_workers, "data-loading worker threads")
      ->check(CLI::Range(0, 64))->capture_default_str();
  app.add_option("--out", out, "directory for plots and other files")->capture_default_str();
  app.add_option("--metrics", metrics, "write the run's settings, history and results to this JSON file");
  app.add_flag("--quiet", quiet, "print nothing but errors");
}

void CommonOptions::apply() const {
  manual_seed(seed);
  set_num_threads(threads);
}

void CommonOptions::to_config(nlohmann::ordered_json& config) const {
  config["epochs"] = epochs;
  config["lr"] = lr;
  config["batch_size"] = batch_size;
  config["seed"] = seed;
  config["threads"] = threads;
  config["num_workers"] = num_workers;
  config["out"] = out;
}

CommonOptions CommonOptions::for_tour(const std::string& out_dir, const std::string& chapter) const {
  CommonOptions o = *this;
  o.out = out_dir;
  o.metrics = out_dir + "/" + chapter + ".json";
  return o;
}

train::Metrics start_metrics(const std::string& chapter, const CommonOptions& options) {
  train::Metrics metrics(chapter);
  options.to_config(metrics.config);
  return metrics;
}

void set_timing(train::Metrics& metrics, const train::Timer& loops, std::int64_t steps) {
  metrics.timing = {{"train_seconds", loops.sum()},
                    {"steps", steps},
                    {"us_per_step", steps ? loops.sum() * 1e6 / static_cast<double>(steps) : 0.0}};
}

}  // namespace d2l::chapters
