#pragma once
// Activation functions (multilayer perceptron chapter): relu, sigmoid and tanh over
// [-8, 8) and their derivatives, computed by autograd and plotted.
#include <ostream>
#include <string>
#include <vector>

#include "command.h"
#include "d2l/train/metrics.h"

namespace d2l::chapters {

struct ActivationCurve {
  std::string name;             // "relu"
  std::vector<double> value;    // at ActivationsResult::points
  std::vector<double> gradient;
};

struct ActivationsResult {
  std::vector<double> points;  // where the values are reported: -2, 0, 2
  std::vector<ActivationCurve> curves;
  train::Metrics metrics{""};
};

// Writes six plots under options.out (activations-relu.svg, activations-relu-grad.svg, ...)
// and prints each function and its gradient at the points (nothing when `log` is null).
ActivationsResult activations(const CommonOptions& options, std::ostream& log);

std::unique_ptr<Command> make_activations_command();

}  // namespace d2l::chapters
