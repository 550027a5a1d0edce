#include "d2l/train/zipf.h"

#include "d2l/io/files.h"

namespace d2l::train {

namespace {

std::string ngram_label(int n) {
  switch (n) {
    case 1: return "unigram";
    case 2: return "bigram";
    case 3: return "trigram";
    default: return std::to_string(n) + "-gram";
  }
}

}  // namespace

Series zipf_series(std::span<const std::int64_t> frequencies, std::string label) {
  Series s;
  s.label = std::move(label);
  const std::size_t m = frequencies.size();
  for (std::size_t i = 0; i < m; ++i) {
    const bool run_start = i == 0 || frequencies[i] != frequencies[i - 1];
    const bool run_end = i + 1 == m || frequencies[i] != frequencies[i + 1];
    if (!run_start && !run_end) continue;
    s.x.push_back(static_cast<double>(i + 1));
    s.y.push_back(static_cast<double>(frequencies[i]));
  }
  return s;
}

std::string zipf_plot_svg(std::span<const text::NgramCounter> counters) {
  std::vector<Series> series;
  for (const text::NgramCounter& c : counters) series.push_back(zipf_series(c.frequencies(), ngram_label(c.n())));
  PlotOptions o;
  o.xlabel = "token: x";
  o.ylabel = "frequency: n(x)";
  o.log_x = o.log_y = true;
  return plot_svg(series, o);
}

void save_zipf_plot(const std::string& path, std::span<const text::NgramCounter> counters) {
  io::write_file_atomic(path, zipf_plot_svg(counters));
}

}  // namespace d2l::train
