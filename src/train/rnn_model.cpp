// The course's character models: the scratch RNN (get_params, init_rnn_state, rnn,
// RNNModelScratch) and the concise RNNModel over a recurrent layer.
#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/train/rnn.h"

namespace d2l::train {

Params get_params(std::int64_t vocab_size, std::int64_t num_hiddens) {
  D2L_CHECK(vocab_size > 0 && num_hiddens > 0, "get_params: vocab_size and num_hiddens must be positive, got ",
            vocab_size, " and ", num_hiddens);
  const std::int64_t num_inputs = vocab_size, num_outputs = vocab_size;
  const auto normal = [](const Shape& shape) { return randn(shape).mul_(0.01); };
  // hidden-layer parameters
  Tensor W_xh = normal({num_inputs, num_hiddens});
  Tensor W_hh = normal({num_hiddens, num_hiddens});
  Tensor b_h = zeros({num_hiddens});
  // output-layer parameters
  Tensor W_hq = normal({num_hiddens, num_outputs});
  Tensor b_q = zeros({num_outputs});
  Params params = {W_xh, W_hh, b_h, W_hq, b_q};
  for (Tensor& param : params) param.requires_grad_(true);
  return params;
}

RNNState init_rnn_state(std::int64_t batch_size, std::int64_t num_hiddens) {
  return {zeros({batch_size, num_hiddens})};
}

namespace {

void check_rnn_operands(const Tensor& inputs, const RNNState& state, const Params& params) {
  D2L_CHECK(params.size() == 5, "rnn: expected the 5 params W_xh, W_hh, b_h, W_hq, b_q, got ", params.size());
  for (const Tensor& p : params) D2L_CHECK(p.defined(), "rnn: a parameter is undefined");
  const std::int64_t vocab = params[0].size(0), hidden = params[1].size(0);
  D2L_CHECK(params[0].dim() == 2 && params[1].shape() == Shape({hidden, hidden}) &&
                params[0].size(1) == hidden && params[2].shape() == Shape({hidden}) &&
                params[3].shape() == Shape({hidden, vocab}) && params[4].shape() == Shape({vocab}),
            "rnn: params must be W_xh (V, H), W_hh (H, H), b_h (H), W_hq (H, V), b_q (V); got W_xh ",
            shape_str(params[0].shape()), ", W_hh ", shape_str(params[1].shape()), ", b_h ",
            shape_str(params[2].shape()), ", W_hq ", shape_str(params[3].shape()), ", b_q ",
            shape_str(params[4].shape()));
  D2L_CHECK(state.size() == 1 && state[0].defined(), "rnn: the state must be one tensor (H,), got ", state.size());
  const bool indices = inputs.dtype() == kInt64;
  D2L_CHECK(inputs.dim() == (indices ? 2 : 3) && (indices || inputs.size(2) == vocab),
            "rnn: inputs must be token indices (num_steps, batch) or one-hot rows (num_steps, batch, ", vocab,
            "), got ", dtype_name(inputs.dtype()), " of shape ", shape_str(inputs.shape()));
  D2L_CHECK(state[0].shape() == Shape({inputs.size(1), hidden}), "rnn: the state must be (", inputs.size(1), ", ",
            hidden, "), got ", shape_str(state[0].shape()));
}

}  // namespace

std::pair<Tensor, RNNState> rnn(const Tensor& inputs, const RNNState& state, const Params& params) {
  check_rnn_operands(inputs, state, params);
  const Tensor &W_xh = params[0], &W_hh = params[1], &b_h = params[2], &W_hq = params[3], &b_q = params[4];
  if (inputs.dtype() != kInt64) {
    // The course's loop: shape of X: (batch_size, vocab_size)
    Tensor H = state[0];
    std::vector<Tensor> outputs;
    for (std::int64_t t = 0; t < inputs.size(0); ++t) {
      const Tensor X = inputs.select(0, t);
      H = tanh(mm(X, W_xh) + mm(H, W_hh) + b_h);
      outputs.push_back(mm(H, W_hq) + b_q);
    }
    return {cat(outputs, 0), {H}};
  }
  // The same sums over token indices. recurrent_layer takes PyTorch's layout, h W^T, and
  // the scratch weights multiply from the right (X W_xh), so it gets their transposes (views;
  // the gradients come back through them). Every step's output is one product over T * B rows.
  const Tensor states = recurrent_layer(RecurrentCell::RnnTanh, inputs, state[0], Tensor(), W_xh.t(), W_hh.t(), b_h,
                                        Tensor());
  const Tensor Hs = states.select(0, 0);  // (num_steps, batch, num_hiddens)
  const Tensor Y = linear(Hs.reshape({-1, W_hh.size(0)}), W_hq.t(), b_q);
  return {Y, {Hs.select(0, -1)}};
}

RNNModelScratch::RNNModelScratch(std::int64_t vocab_size_, std::int64_t num_hiddens_, const GetParams& get_params_fn,
                                 InitState init_state, ForwardFn forward_fn, bool one_hot_inputs_)
    : vocab_size(vocab_size_),
      num_hiddens(num_hiddens_),
      params(get_params_fn(vocab_size_, num_hiddens_)),
      one_hot_inputs(one_hot_inputs_),
      init_state_(std::move(init_state)),
      forward_fn_(std::move(forward_fn)) {}

std::pair<Tensor, RNNState> RNNModelScratch::operator()(const Tensor& X, const RNNState& state) const {
  D2L_CHECK(X.dtype() == kInt64 && X.dim() == 2, "RNNModelScratch: X must be int64 (batch, num_steps), got ",
            dtype_name(X.dtype()), " of shape ", shape_str(X.shape()));
  if (one_hot_inputs) return forward_fn_(one_hot(X.t(), vocab_size).to(kFloat32), state, params);
  return forward_fn_(X.t(), state, params);
}

RNNModel::RNNModel(std::shared_ptr<nn::RNNBase> rnn_layer, std::int64_t vocab_size_)
    : rnn(std::move(rnn_layer)), vocab_size(vocab_size_) {
  D2L_CHECK(rnn != nullptr, "RNNModel: the recurrent layer is null");
  D2L_CHECK(rnn->input_size == vocab_size, "RNNModel: the recurrent layer's input_size (", rnn->input_size,
            ") must be vocab_size (", vocab_size, "): it reads one-hot tokens");
  num_hiddens = rnn->hidden_size;
  register_module("rnn", rnn);
  linear = register_module("linear", std::make_shared<nn::Linear>(num_hiddens, vocab_size));
}

std::pair<Tensor, RNNState> RNNModel::forward(const Tensor& inputs, const RNNState& state) {
  D2L_CHECK(inputs.dtype() == kInt64 && inputs.dim() == 2, "RNNModel: inputs must be int64 (batch, num_steps), got ",
            dtype_name(inputs.dtype()), " of shape ", shape_str(inputs.shape()));
  // The layer reads the indices of inputs.T as one-hot rows (the course's F.one_hot(inputs.T)).
  auto [Y, new_state] = rnn->forward_state(inputs.t(), state);
  // The fully connected layer first reshapes Y to (num_steps * batch_size, num_hiddens).
  const Tensor output = linear->forward(Y.reshape({-1, Y.size(-1)}));
  return {output, std::move(new_state)};
}

RNNState RNNModel::begin_state(std::int64_t batch_size) const {
  const Shape shape = {rnn->num_layers, batch_size, num_hiddens};
  if (rnn->cell == RecurrentCell::Lstm) return {zeros(shape), zeros(shape)};
  return {zeros(shape)};
}

std::pair<Tensor, RNNState> CharModel::operator()(const Tensor& X, const RNNState& state) const {
  return scratch_ ? (*scratch_)(X, state) : module_->forward(X, state);
}

RNNState CharModel::begin_state(std::int64_t batch_size) const {
  return scratch_ ? scratch_->begin_state(batch_size) : module_->begin_state(batch_size);
}

Params CharModel::parameters() const {
  if (scratch_) return scratch_->params;
  Params params;
  for (const Tensor& p : module_->parameters())
    if (p.requires_grad()) params.push_back(p);
  return params;
}

}  // namespace d2l::train
