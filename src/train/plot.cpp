#include "d2l/train/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "d2l/error.h"
#include "d2l/io/files.h"

namespace d2l::train {

namespace {

constexpr const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::abs(v) < 1e-12 ? 0.0 : v);
  return buf;
}

// One axis: the data range mapped onto [pixel_lo, pixel_hi], linear or log10.
struct Axis {
  double lo, hi;
  bool log;
  double to_unit(double v) const {
    const double t = log ? std::log10(v) : v;
    return hi == lo ? 0.5 : (t - lo) / (hi - lo);
  }
  // Tick positions in data units: "nice" steps of 1, 2 or 5 x 10^k, or decades on a log axis.
  std::vector<double> ticks() const {
    std::vector<double> out;
    if (log) {
      for (double e = std::ceil(lo); e <= std::floor(hi) + 1e-9; ++e) out.push_back(std::pow(10.0, e));
      return out;
    }
    const double raw = (hi - lo) / 5.0;
    if (!(raw > 0)) return {lo};
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push_back(t);
    return out;
  }
};

Axis make_axis(const std::vector<Series>& series, bool use_x, bool log,
               const std::optional<std::array<double, 2>>& lim) {
  if (lim) {
    const auto [a, b] = *lim;
    D2L_CHECK(std::isfinite(a) && std::isfinite(b) && a < b && (!log || a > 0), "plot: ", use_x ? "xlim" : "ylim",
              " must be two finite increasing values", log ? " above 0 on a log axis" : "", ", got [", a, ", ", b, "]");
    return log ? Axis{std::log10(a), std::log10(b), true} : Axis{a, b, false};
  }
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& s : series)
    for (double v : use_x ? s.x : s.y) {
      if (!std::isfinite(v) || (log && v <= 0)) continue;
      const double t = log ? std::log10(v) : v;
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (lo == hi) lo -= 0.5, hi += 0.5;
  const double pad = log ? 0.0 : (hi - lo) * 0.04;
  return {lo - pad, hi + pad, log};
}

}  // namespace

std::string plot_svg(const std::vector<Series>& series, const PlotOptions& o) {
  const double left = 62, right = 16, top = o.title.empty() ? 14 : 32, bottom = 46;
  const double pw = o.width - left - right, ph = o.height - top - bottom;
  const Axis ax = make_axis(series, true, o.log_x, o.xlim), ay = make_axis(series, false, o.log_y, o.ylim);
  auto px = [&](double v) { return left + ax.to_unit(v) * pw; };
  auto py = [&](double v) { return top + (1.0 - ay.to_unit(v)) * ph; };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << o.width << "\" height=\"" << o.height
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (!o.title.empty())
    svg << "<text x=\"" << o.width / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"13\">" << xml_escape(o.title)
        << "</text>\n";
  for (double t : ax.ticks()) {
    const double x = px(t);
    svg << "<line x1=\"" << num(x) << "\" y1=\"" << top << "\" x2=\"" << num(x) << "\" y2=\"" << top + ph
        << "\" stroke=\"#e6e6e6\"/>\n<text x=\"" << num(x) << "\" y=\"" << top + ph + 14
        << "\" text-anchor=\"middle\">" << tick_label(t) << "</text>\n";
  }
  for (double t : ay.ticks()) {
    const double y = py(t);
    svg << "<line x1=\"" << left << "\" y1=\"" << num(y) << "\" x2=\"" << left + pw << "\" y2=\"" << num(y)
        << "\" stroke=\"#e6e6e6\"/>\n<text x=\"" << left - 5 << "\" y=\"" << num(y + 4)
        << "\" text-anchor=\"end\">" << tick_label(t) << "</text>\n";
  }
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"#333\"/>\n";
  if (!o.xlabel.empty())
    svg << "<text x=\"" << left + pw / 2 << "\" y=\"" << o.height - 8 << "\" text-anchor=\"middle\">"
        << xml_escape(o.xlabel) << "</text>\n";
  if (!o.ylabel.empty())
    svg << "<text transform=\"translate(14," << top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
        << xml_escape(o.ylabel) << "</text>\n";

  // With fixed ranges, data outside them is cut at the frame, as matplotlib does.
  const bool clip = o.xlim || o.ylim;
  if (clip)
    svg << "<clipPath id=\"frame\"><rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw
        << "\" height=\"" << ph << "\"/></clipPath>\n<g clip-path=\"url(#frame)\">\n";
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    D2L_CHECK(s.x.size() == s.y.size(), "plot: series '", s.label, "' has ", s.x.size(), " x values and ",
              s.y.size(), " y values");
    const char* color = kColors[i % std::size(kColors)];
    auto drawable = [&](std::size_t k) {
      return std::isfinite(s.x[k]) && std::isfinite(s.y[k]) && (!o.log_x || s.x[k] > 0) && (!o.log_y || s.y[k] > 0);
    };
    if (s.scatter) {
      svg << "<g fill=\"" << color << "\" fill-opacity=\"0.6\">\n";
      for (std::size_t k = 0; k < s.x.size(); ++k)
        if (drawable(k)) svg << "<circle cx=\"" << num(px(s.x[k])) << "\" cy=\"" << num(py(s.y[k])) << "\" r=\"1.5\"/>\n";
      svg << "</g>\n";
    } else {
      svg << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"1.5\" points=\"";
      for (std::size_t k = 0; k < s.x.size(); ++k)
        if (drawable(k)) svg << num(px(s.x[k])) << "," << num(py(s.y[k])) << " ";
      svg << "\"/>\n";
    }
    if (!s.label.empty()) {
      const double ly = top + 14 + 15 * static_cast<double>(i);
      svg << "<rect x=\"" << left + pw - 110 << "\" y=\"" << ly - 8 << "\" width=\"10\" height=\"10\" fill=\"" << color
          << "\"/>\n<text x=\"" << left + pw - 95 << "\" y=\"" << ly + 1 << "\">" << xml_escape(s.label) << "</text>\n";
    }
  }
  if (clip) svg << "</g>\n";
  svg << "</svg>\n";
  return svg.str();
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void save_plot(const std::string& path, const std::vector<Series>& series, const PlotOptions& options) {
  io::write_file_atomic(path, plot_svg(series, options));
}

}  // namespace d2l::train
