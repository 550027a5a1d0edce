#pragma once
// Small SVG plots: line and scatter series on linear or log axes, like the course's
// matplotlib figures.
#include <string>
#include <vector>

namespace d2l::train {

struct Series {
  std::string label;
  std::vector<double> x, y;
  bool scatter = false;  // points instead of a line
};

struct PlotOptions {
  std::string title, xlabel, ylabel;
  bool log_x = false, log_y = false;
  int width = 480, height = 340;
};

// The SVG document for the series.
std::string plot_svg(const std::vector<Series>& series, const PlotOptions& options);
// Writes it atomically to `path`.
void save_plot(const std::string& path, const std::vector<Series>& series, const PlotOptions& options);

}  // namespace d2l::train
