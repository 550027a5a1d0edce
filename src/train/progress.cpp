#include "d2l/train/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "d2l/train/format.h"

namespace d2l::train {

ProgressBar::ProgressBar(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO) == 1) {}

void ProgressBar::start(std::string label, std::int64_t total) {
  label_ = std::move(label);
  done_ = 0;
  total_ = total;
  begin_ = std::chrono::steady_clock::now();
  if (enabled_) draw(begin_);
}

void ProgressBar::step() {
  ++done_;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ >= std::chrono::milliseconds(100) || done_ == total_) draw(now);
}

void ProgressBar::draw(std::chrono::steady_clock::time_point now) {
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - begin_).count();
  // \r returns to the line's start, \033[K clears what a longer previous line left.
  std::fprintf(stderr, "\r%s\033[K", render(label_, done_, total_, seconds).c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressBar::finish() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

std::string ProgressBar::render(const std::string& label, std::int64_t done, std::int64_t total, double seconds,
                                int width) {
  std::string bar(static_cast<std::size_t>(std::max(width, 1)), ' ');
  if (total > 0) {
    const auto filled = static_cast<std::size_t>(std::clamp<std::int64_t>(done * width / total, 0, width));
    std::fill(bar.begin(), bar.begin() + static_cast<std::ptrdiff_t>(filled), '=');
    if (filled < bar.size() && done > 0) bar[filled] = '>';
  }
  return format("%s [%s] %lld/%lld  %.1fs", label.c_str(), bar.c_str(), static_cast<long long>(done),
                static_cast<long long>(total), seconds);
}

}  // namespace d2l::train
