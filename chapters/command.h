#pragma once
// What every chapter program provides to the `d2l` command: its flags, its run, and a
// quick run for `d2l tour`.
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "d2l/error.h"
#include "d2l/train/metrics.h"
#include "d2l/train/timer.h"

namespace d2l::chapters {

// A bad flag value found after parsing: the command line exits with status 2.
struct UsageError : Error {
  using Error::Error;
};

// Checks for numeric flags, worded as a person would ("--threads: must be at least 1, got
// '0'") rather than CLI11's ranges ("in range 0 - 1.8e308"); they read the text themselves,
// so a value too large for the flag's type gets the same message instead of a conversion error.
CLI::Validator whole_number(std::int64_t lo, std::int64_t hi = std::numeric_limits<std::int64_t>::max(),
                            std::string note = "");
// A finite number > 0 (CLI11's checks let nan and inf through).
CLI::Validator positive_number();
// The most --threads a machine is given: four per core. More only adds switching, and each
// thread's stack and buffers cost memory, so a typo like 100000 is refused at once.
int max_threads();

// Flags every chapter takes. Chapters set their own defaults before adding them.
struct CommonOptions {
  int epochs = 1;
  double lr = 0.1;
  std::int64_t batch_size = 1;
  std::uint64_t seed = 0;
  int threads = 0;  // 0: one per core
  int num_workers = 0;
  std::string out = "out";
  std::string metrics;  // empty: no metrics file
  bool quiet = false;

  void add_to(CLI::App& app);
  // Seeds the generator and sets the thread count.
  void apply() const;
  // The effective settings, for the metrics JSON.
  void to_config(nlohmann::ordered_json& config) const;
  // These settings for a tour run: files under `out_dir`, metrics in out_dir/<chapter>.json.
  CommonOptions for_tour(const std::string& out_dir, const std::string& chapter) const;
};

// The metrics record of a run of `chapter`, its config holding the common options.
train::Metrics start_metrics(const std::string& chapter, const CommonOptions& options);
// Fills metrics.timing from the timer of the training loops and their step count.
void set_timing(train::Metrics& metrics, const train::Timer& loops, std::int64_t steps);

// One line in the tour's summary table.
struct TourLine {
  std::string chapter;
  std::string result;  // e.g. "loss 0.000050, w [2.0000, -3.3999], b 4.1998"
  double seconds = 0;
};

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  virtual void add_options(CLI::App& app) = 0;
  // Runs with the parsed flags; returns the exit status.
  virtual int run() = 0;
  // A short run with quick settings, files written under `out_dir`.
  virtual TourLine tour(const std::string& out_dir) = 0;
};

// Every chapter program, in course order.
std::vector<std::unique_ptr<Command>> all_commands();

// The `d2l` command line: every chapter as a subcommand of one CLI11 app.
class CommandLine {
 public:
  CommandLine();
  // Parses argv: the chosen chapter, or nullptr with `status` set (0 after help was printed
  // on `out`, 2 after a one-line error on `err`).
  Command* parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err, int& status);

 private:
  CLI::App app_;
  std::vector<std::unique_ptr<Command>> commands_;
};

}  // namespace d2l::chapters
