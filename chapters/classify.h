#pragma once
// Image classification on Fashion-MNIST, the course's softmax-regression and
// multilayer-perceptron chapters: each from scratch (tensors + autograd) and concise
// (nn / optim / data).
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "command.h"
#include "d2l/tensor.h"
#include "d2l/train.h"
#include "d2l/vision.h"

namespace d2l::chapters {

struct ClassifyOptions {
  CommonOptions common;
  std::string data_dir;             // holds fashion-mnist/ (default $D2L_DATA or ./data)
  std::string activation = "relu";  // MLP only: relu | sigmoid | tanh
  std::int64_t hidden = 256;        // MLP only: hidden units
  std::string classes_file;         // one class name per line; empty: the dataset's own, else the indices
};

struct ClassifyResult {
  std::vector<train::EpochRecord> history;
  double test_acc = 0;  // after the last epoch
  train::Metrics metrics{""};
};

// ---- the scratch chapters' functions, named as the course names them
namespace scratch {
// exp(X) / exp(X).sum(1, keepdim): each row a probability distribution.
Tensor softmax(const Tensor& X);
// -log(y_hat[i, y[i]]), one value per example.
Tensor cross_entropy(const Tensor& y_hat, const Tensor& y);
// max(X, 0)
Tensor relu(const Tensor& X);
}  // namespace scratch

// The four programs. Output goes to `log` (nothing when quiet); plots under options.common.out.
ClassifyResult softmax_scratch(const ClassifyOptions& options, std::ostream& log);
ClassifyResult softmax_concise(const ClassifyOptions& options, std::ostream& log);
ClassifyResult mlp_scratch(const ClassifyOptions& options, std::ostream& log);
ClassifyResult mlp_concise(const ClassifyOptions& options, std::ostream& log);

// What the four programs share: the metrics record of a run, the training loop with its
// printed lines and curves, and the prediction grid.
train::Metrics classify_metrics(const std::string& chapter, const ClassifyOptions& options);
// The names predictions are shown with, one per class: the lines of --classes FILE (as many as
// the classes the labels show), else the course's text labels when the files are
// Fashion-MNIST's own, else the dataset's class names, else the class indices "0", "1", ...
std::vector<std::string> class_names(const ClassifyOptions& options, const vision::TrainTestLoaders& data);
// Throws the error class_names() would, so the programs can fail before printing anything.
inline void check_class_names(const ClassifyOptions& options, const vision::TrainTestLoaders& data) {
  if (!options.classes_file.empty()) class_names(options, data);
}
// train_ch3 with the printed lines, the curves (out/<chapter>.svg), then predict_ch3's grid of
// the first 18 test images with true and predicted labels (out/<chapter>-predictions.svg),
// and the metrics file.
ClassifyResult train_and_report(const std::string& chapter, const ClassifyOptions& options,
                                const vision::TrainTestLoaders& data, const train::Net& net, const train::Loss& loss,
                                const train::Updater& updater, std::ostream& log);

std::unique_ptr<Command> make_softmax_scratch_command();
std::unique_ptr<Command> make_softmax_concise_command();
std::unique_ptr<Command> make_mlp_scratch_command();
std::unique_ptr<Command> make_mlp_concise_command();

}  // namespace d2l::chapters
