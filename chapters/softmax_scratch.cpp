// Softmax regression from scratch (course section 2): W and b as plain tensors, softmax
// from exp and sum, the cross-entropy loss from gather and log, and the course's sgd.
#include "classify.h"
#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "linreg.h"  // sgd

namespace d2l::chapters {

namespace scratch {

Tensor softmax(const Tensor& X) {
  Tensor X_exp = exp(X);
  Tensor partition = sum(X_exp, {1}, /*keepdim=*/true);
  return X_exp / partition;  // broadcasting divides each row by its sum
}

Tensor cross_entropy(const Tensor& y_hat, const Tensor& y) {
  return -log(gather(y_hat, 1, y.view({-1, 1})));
}

Tensor relu(const Tensor& X) { return maximum(X, zeros_like(X)); }

}  // namespace scratch

ClassifyResult softmax_scratch(const ClassifyOptions& options, std::ostream& log) {
  options.common.apply();
  const auto data = vision::load_data_fashion_mnist(options.common.batch_size, options.common.num_workers,
                                                    options.data_dir);
  check_class_names(options, data);  // a bad --classes file fails before anything is printed

  // each 28 x 28 image is a vector of 784 inputs; 10 classes
  const std::int64_t num_inputs = 784, num_outputs = 10;
  Tensor W = normal(0, 0.01, {num_inputs, num_outputs}).requires_grad_();
  Tensor b = zeros({num_outputs}).requires_grad_();

  auto net = [&](const Tensor& X) { return scratch::softmax(mm(X.view({-1, num_inputs}), W) + b); };
  auto updater = [&, lr = options.common.lr](std::int64_t batch_size) {
    sgd({W, b}, lr, batch_size);
    W.grad().zero_();
    b.grad().zero_();
  };
  return train_and_report("softmax-scratch", options, data, net, scratch::cross_entropy, updater, log);
}

}  // namespace d2l::chapters
