// Softmax regression, concise (course section 2): nn::Sequential(Flatten, Linear(784, 10)),
// nn::CrossEntropyLoss (log-softmax and the loss fused, stable for any logits), optim::SGD.
#include <iostream>

#include "classify.h"
#include "d2l/nn.h"
#include "d2l/optim.h"

namespace d2l::chapters {

ClassifyResult softmax_concise(const ClassifyOptions& options, std::ostream& log) {
  options.common.apply();
  const auto data = vision::load_data_fashion_mnist(options.common.batch_size, options.common.num_workers,
                                                    options.data_dir);
  check_class_names(options, data);  // a bad --classes file fails before anything is printed

  // Flatten turns each 1 x 28 x 28 image into 784 inputs before the linear layer
  auto net = std::make_shared<nn::Sequential>(std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(784, 10));
  nn::init::normal_(net->at<nn::Linear>(1)->weight, 0.0, 0.01);
  log << *net << "\n";

  nn::CrossEntropyLoss loss(nn::Reduction::None);  // one loss per example, as train_ch3 expects
  optim::SGD trainer(net->parameters(), optim::SGDOptions(options.common.lr));
  log << trainer << "\n";
  return train_and_report("softmax-concise", options, data, net,
                          [&](const Tensor& y_hat, const Tensor& y) { return loss(y_hat, y); }, trainer, log);
}

}  // namespace d2l::chapters
