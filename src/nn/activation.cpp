#include "d2l/nn/activation.h"

#include "d2l/ops.h"

namespace d2l::nn {

Tensor functional::relu(const Tensor& input) { return d2l::relu(input); }
Tensor functional::sigmoid(const Tensor& input) { return d2l::sigmoid(input); }
Tensor functional::tanh(const Tensor& input) { return d2l::tanh(input); }
Tensor functional::softmax(const Tensor& input, std::int64_t dim) { return d2l::softmax(input, dim); }
Tensor functional::log_softmax(const Tensor& input, std::int64_t dim) { return d2l::log_softmax(input, dim); }

Tensor ReLU::forward(const Tensor& input) { return d2l::relu(input); }
Tensor Sigmoid::forward(const Tensor& input) { return d2l::sigmoid(input); }
Tensor Tanh::forward(const Tensor& input) { return d2l::tanh(input); }
Tensor Softmax::forward(const Tensor& input) { return d2l::softmax(input, dim); }
Tensor LogSoftmax::forward(const Tensor& input) { return d2l::log_softmax(input, dim); }

}  // namespace d2l::nn
