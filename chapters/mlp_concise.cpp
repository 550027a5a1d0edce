// The multilayer perceptron, concise (course chapter 3): nn::Sequential(Flatten,
// Linear(784, 256), ReLU, Linear(256, 10)), weights ~ N(0, 0.01), nn::CrossEntropyLoss,
// optim::SGD.
#include "classify.h"
#include "d2l/nn.h"
#include "d2l/optim.h"

namespace d2l::chapters {

ClassifyResult mlp_concise(const ClassifyOptions& options, std::ostream& log) {
  options.common.apply();
  const auto data = vision::load_data_fashion_mnist(options.common.batch_size, options.common.num_workers,
                                                    options.data_dir);
  check_class_names(options, data);  // a bad --classes file fails before anything is printed

  std::shared_ptr<nn::Module> activation = std::make_shared<nn::ReLU>();
  if (options.activation == "sigmoid") activation = std::make_shared<nn::Sigmoid>();
  if (options.activation == "tanh") activation = std::make_shared<nn::Tanh>();
  auto net = std::make_shared<nn::Sequential>(std::make_shared<nn::Flatten>(),
                                              std::make_shared<nn::Linear>(784, options.hidden), activation,
                                              std::make_shared<nn::Linear>(options.hidden, 10));
  for (const auto& [name, module] : net->named_children())
    if (auto linear = std::dynamic_pointer_cast<nn::Linear>(module)) nn::init::normal_(linear->weight, 0.0, 0.01);
  log << *net << "\n";

  nn::CrossEntropyLoss loss(nn::Reduction::None);
  optim::SGD trainer(net->parameters(), optim::SGDOptions(options.common.lr));
  log << trainer << "\n";
  return train_and_report("mlp-concise", options, data, net,
                          [&](const Tensor& y_hat, const Tensor& y) { return loss(y_hat, y); }, trainer, log);
}

}  // namespace d2l::chapters
