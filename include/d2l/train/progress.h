#pragma once
// A one-line progress bar on stderr ("epoch 3/10 [=======>      ] 120/235  1.2s"), drawn
// only when stderr is a terminal, so logs and pipes never see it.
#include <chrono>
#include <cstdint>
#include <string>

namespace d2l::train {

class ProgressBar {
 public:
  // Draws nothing unless `enabled` and stderr is a terminal.
  explicit ProgressBar(bool enabled = true);
  ~ProgressBar() { finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Begins a pass of `total` steps under `label`.
  void start(std::string label, std::int64_t total);
  // One more step done; redraws at most every 100 ms, so a step costs a clock read.
  void step();
  // Erases the line, leaving the cursor where the bar began.
  void finish();
  bool enabled() const { return enabled_; }

  // The text of the bar, without control characters.
  static std::string render(const std::string& label, std::int64_t done, std::int64_t total, double seconds,
                            int width = 30);

 private:
  void draw(std::chrono::steady_clock::time_point now);
  bool enabled_;
  bool shown_ = false;
  std::string label_;
  std::int64_t done_ = 0, total_ = 0;
  std::chrono::steady_clock::time_point begin_, last_draw_;
};

}  // namespace d2l::train
