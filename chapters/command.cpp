#include "command.h"

#include <charconv>
#include <cmath>
#include <ostream>
#include <thread>

#include "d2l/random.h"
#include "d2l/threads.h"

namespace d2l::chapters {

CLI::Validator whole_number(std::int64_t lo, std::int64_t hi, std::string note) {
  const std::string range = hi == std::numeric_limits<std::int64_t>::max()
                                ? "at least " + std::to_string(lo)
                                : "between " + std::to_string(lo) + " and " + std::to_string(hi);
  if (!note.empty()) note = " " + note;
  return CLI::Validator(
      [lo, hi, range, note](std::string& s) -> std::string {
        const char* first = s.c_str() + (s.starts_with('+') ? 1 : 0);
        const char* last = s.c_str() + s.size();
        std::int64_t v = 0;
        const auto [end, error] = std::from_chars(first, last, v);
        const bool digits_only = end == last && first != last;
        if (error == std::errc::result_out_of_range && digits_only) return "must be " + range + note + ", got '" + s + "'";
        if (error != std::errc() || !digits_only) return "must be a whole number " + range + ", got '" + s + "'";
        if (v < lo || v > hi) return "must be " + range + note + ", got '" + s + "'";
        return "";
      },
      hi == std::numeric_limits<std::int64_t>::max() ? ">=" + std::to_string(lo)
                                                      : std::to_string(lo) + ".." + std::to_string(hi));
}

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (end == s.c_str() || *end != '\0' || !std::isfinite(v) || v <= 0)
          return "must be a finite number > 0, got '" + s + "'";
        return "";
      },
      "POSITIVE");
}

int max_threads() { return 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void CommonOptions::add_to(CLI::App& app) {
  // The upper bounds are far beyond any useful run; they stop typos before they become a
  // run that never ends or an allocation the machine cannot make.
  app.add_option("--epochs", epochs, "number of passes over the training data")
      ->check(whole_number(0, 1'000'000))->capture_default_str();
  app.add_option("--lr", lr, "learning rate")->check(positive_number())->capture_default_str();
  app.add_option("--batch-size", batch_size, "examples per mini-batch")
      ->check(whole_number(1, 1 << 24))->capture_default_str();
  app.add_option("--seed", seed, "random seed (same seed, same run)")->capture_default_str();
  const int cores = max_threads() / 4;
  app.add_option("--threads", threads, "threads for our kernels and BLAS (0: one per core)")
      ->check(whole_number(0, max_threads(), "(0: one per core; this machine has " + std::to_string(cores) +
                                                 (cores == 1 ? " core)" : " cores)")))
      ->capture_default_str();
  app.add_option("--num-workers", num_workers, "data-loading worker threads")
      ->check(whole_number(0, 64))->capture_default_str();
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

CommandLine::CommandLine()
    : app_("d2l: the course's chapter programs (linear regression, ...) on the d2l C++ library", "d2l"),
      commands_(all_commands()) {
  app_.require_subcommand(1);
  for (auto& command : commands_) command->add_options(*app_.add_subcommand(command->name(), command->summary()));
}

Command* CommandLine::parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err, int& status) {
  status = 0;
  // An unknown first word gets the list of chapters, not CLI11's "extra arguments".
  std::string names;
  bool known = argc < 2 || argv[1][0] == '-';
  for (const auto& command : commands_) {
    names += (names.empty() ? "" : ", ") + command->name();
    known = known || command->name() == argv[1];
  }
  if (!known) {
    // Control characters shown as '?', so the message stays one line whatever was typed.
    std::string typed = argv[1];
    for (char& c : typed)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
    err << "d2l: error: unknown chapter '" << typed << "' (chapters: " << names << ")\n";
    status = 2;
    return nullptr;
  }
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    status = app_.exit(e, out, err);
    return nullptr;
  } catch (const CLI::CallForAllHelp& e) {
    status = app_.exit(e, out, err);
    return nullptr;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    for (char& c : message)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    err << "d2l: error: " << message << "\n";
    status = 2;
    return nullptr;
  }
  for (auto& command : commands_)
    if (app_.got_subcommand(command->name())) return command.get();
  status = 2;  // require_subcommand(1) makes this unreachable
  return nullptr;
}

}  // namespace d2l::chapters
