// Activation functions (multilayer perceptron chapter): relu, sigmoid and tanh, each
// plotted with its derivative, the derivative taken by autograd as the course does:
// y.backward(torch.ones_like(x)) and then x.grad.
#include "activations.h"

#include <iostream>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/train/format.h"
#include "d2l/train/plot.h"
#include "d2l/train/timer.h"

namespace d2l::chapters {

using train::format;

namespace {

struct Activation {
  const char* name;
  Tensor (*function)(const Tensor&);
};

const Activation kActivations[] = {
    {"relu", [](const Tensor& x) { return relu(x); }},
    {"sigmoid", [](const Tensor& x) { return sigmoid(x); }},
    {"tanh", [](const Tensor& x) { return tanh(x); }},
};

void plot(const std::string& path, const Tensor& x, const Tensor& y, const std::string& ylabel) {
  train::PlotOptions o;
  o.xlabel = "x";
  o.ylabel = ylabel;
  o.height = 250;  // the course's figsize=(5, 2.5)
  train::save_plot(path, {{"", x.to_vector<double>(), y.to_vector<double>()}}, o);
}

}  // namespace

ActivationsResult activations(const CommonOptions& options, std::ostream& log) {
  options.apply();
  ActivationsResult result;
  result.metrics = start_metrics("activations", options);
  result.metrics.config["x"] = {{"start", -8.0}, {"end", 8.0}, {"step", 0.1}};
  result.points = {-2.0, 0.0, 2.0};
  train::Timer timer;

  Tensor x = arange(-8.0, 8.0, 0.1, kFloat32).requires_grad_();
  for (const Activation& a : kActivations) {
    if (x.grad().defined()) x.grad().zero_();  // x.grad.data.zero_(): gradients accumulate otherwise
    Tensor y = a.function(x);
    y.backward(ones_like(x));
    const std::string name = a.name;
    plot(options.out + "/activations-" + name + ".svg", x.detach(), y.detach(), name + "(x)");
    plot(options.out + "/activations-" + name + "-grad.svg", x.detach(), x.grad(), "grad of " + name);

    // The same at a few points, by sum().backward(), which gives each point its own derivative.
    Tensor p = from_vector(result.points).requires_grad_();
    Tensor yp = a.function(p);
    yp.sum().backward();
    result.curves.push_back({name, yp.to_vector<double>(), p.grad().to_vector<double>()});
  }
  const double seconds = timer.stop();

  auto row = [&](const std::string& label, const std::vector<double>& values) {
    std::string line = format("%-16s", (label + ":").c_str());
    for (double v : values) line += format(" %8.4f", v);
    return line + "\n";
  };
  log << row("x", result.points);
  for (const auto& c : result.curves) log << row(c.name + "(x)", c.value) << row("grad of " + c.name, c.gradient);

  result.metrics.final["x"] = result.points;
  for (const auto& c : result.curves) {
    result.metrics.final[c.name] = c.value;
    result.metrics.final[c.name + "_grad"] = c.gradient;
  }
  result.metrics.timing = {{"seconds", seconds}};
  if (!options.metrics.empty()) result.metrics.save(options.metrics);
  return result;
}

namespace {

// "sigmoid'(0) 0.2500, tanh'(0) 1.0000, relu'(2) 1.0000", for the tour's table.
std::string tour_result(const ActivationsResult& r) {
  auto gradient = [&](const std::string& name, std::size_t point) {
    for (const auto& c : r.curves)
      if (c.name == name) return c.gradient.at(point);
    return 0.0;
  };
  return format("sigmoid'(0) %.4f, tanh'(0) %.4f, relu'(2) %.4f", gradient("sigmoid", 1), gradient("tanh", 1),
                gradient("relu", 2));
}

class ActivationsCommand : public Command {
 public:
  std::string name() const override { return "activations"; }
  std::string summary() const override {
    return "relu, sigmoid and tanh with their derivatives by autograd, plotted over [-8, 8)";
  }
  // The common flags are accepted for uniformity; only --seed, --threads, --out, --metrics
  // and --quiet change anything here.
  void add_options(CLI::App& app) override { options_.add_to(app); }
  int run() override {
    std::ostream null(nullptr);
    activations(options_, options_.quiet ? null : std::cout);
    return 0;
  }
  TourLine tour(const std::string& out_dir) override {
    train::Timer timer;
    std::ostream null(nullptr);
    const ActivationsResult r = activations(options_.for_tour(out_dir, name()), null);
    return {name(), tour_result(r), timer.stop()};
  }

 private:
  CommonOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_activations_command() { return std::make_unique<ActivationsCommand>(); }

}  // namespace d2l::chapters
