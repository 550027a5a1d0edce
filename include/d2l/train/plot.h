#pragma once
// Small SVG plots: line and scatter series on linear or log axes, like the course's
// matplotlib figures.
#include <array>
#include <optional>
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
  // Fixed axis ranges (matplotlib's xlim / ylim); lines leaving them are clipped. Unset: fit the data.
  std::optional<std::array<double, 2>> xlim = std::nullopt, ylim = std::nullopt;
  int width = 480, height = 340;
};

// The SVG document for the series.
std::string plot_svg(const std::vector<Series>& series, const PlotOptions& options);
// Writes it atomically to `path`.
void save_plot(const std::string& path, const std::vector<Series>& series, const PlotOptions& options);

// `text` with &, <, > and " escaped, for SVG text and attributes.
std::string xml_escape(const std::string& text);

}  // namespace d2l::train
