// The multilayer perceptron from scratch (course chapter 3): one hidden layer of 256 units
// (--hidden) with ReLU written as max(X, 0) (or --activation sigmoid | tanh), parameters as
// plain tensors, the library's cross-entropy loss and optim::SGD, as the course does.
#include "classify.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "d2l/optim.h"

namespace d2l::chapters {

ClassifyResult mlp_scratch(const ClassifyOptions& options, std::ostream& log) {
  options.common.apply();
  const auto data = vision::load_data_fashion_mnist(options.common.batch_size, options.common.num_workers,
                                                    options.data_dir);
  check_class_names(options, data);  // a bad --classes file fails before anything is printed

  const std::int64_t num_inputs = 784, num_outputs = 10, num_hiddens = options.hidden;
  Tensor W1 = (randn({num_inputs, num_hiddens}) * 0.01).requires_grad_();
  Tensor b1 = zeros({num_hiddens}).requires_grad_();
  Tensor W2 = (randn({num_hiddens, num_outputs}) * 0.01).requires_grad_();
  Tensor b2 = zeros({num_outputs}).requires_grad_();
  const std::vector<Tensor> params = {W1, b1, W2, b2};

  Tensor (*activation)(const Tensor&) = scratch::relu;
  if (options.activation == "sigmoid") activation = d2l::sigmoid;
  if (options.activation == "tanh") activation = d2l::tanh;
  auto net = [&](const Tensor& X) {
    Tensor H = activation(matmul(X.reshape({-1, num_inputs}), W1) + b1);
    return matmul(H, W2) + b2;
  };

  nn::CrossEntropyLoss loss(nn::Reduction::None);
  optim::SGD updater(params, optim::SGDOptions(options.common.lr));
  return train_and_report("mlp-scratch", options, data, net,
                          [&](const Tensor& y_hat, const Tensor& y) { return loss(y_hat, y); }, updater, log);
}

}  // namespace d2l::chapters
