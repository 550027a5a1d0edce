#include "tour.h"

#include <iostream>

#include "d2l/train.h"

namespace d2l::chapters {

namespace {

class TourCommand : public Command {
 public:
  std::string name() const override { return "tour"; }
  std::string summary() const override { return "run every chapter with quick settings and summarise"; }
  void add_options(CLI::App& app) override {
    app.add_option("--out", out_, "directory for every chapter's plots and metrics")->capture_default_str();
  }
  int run() override {
    io::make_directories(out_);
    std::vector<TourLine> lines;
    int failed = 0;
    for (auto& command : all_commands()) {
      if (command->name() == name()) continue;
      std::cout << "running " << command->name() << " ..." << std::endl;
      // One chapter's failure (a data set not fetched yet, say) is reported in the table;
      // the others still run.
      try {
        lines.push_back(command->tour(out_));
      } catch (const std::exception& e) {
        std::cerr << command->name() << ": " << e.what() << std::endl;
        lines.push_back({command->name(), std::string("FAILED: ") + e.what(), 0});
        ++failed;
      }
    }
    std::size_t width = 7;
    for (const auto& l : lines) width = std::max(width, l.chapter.size());
    std::cout << "\n" << train::format("%-*s  %8s  %s\n", static_cast<int>(width), "chapter", "seconds", "result");
    for (const auto& l : lines)
      std::cout << train::format("%-*s  %8.3f  %s\n", static_cast<int>(width), l.chapter.c_str(), l.seconds,
                                 l.result.c_str());
    std::cout << "\nplots and metrics are in " << out_ << "/\n";
    return failed ? 1 : 0;
  }
  TourLine tour(const std::string&) override { return {name(), "", 0}; }

 private:
  std::string out_ = "out";
};

}  // namespace

std::unique_ptr<Command> make_tour_command() { return std::make_unique<TourCommand>(); }

}  // namespace d2l::chapters
