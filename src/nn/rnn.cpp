#include "d2l/nn/rnn.h"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

#include "d2l/nn/dropout.h"

#include "d2l/nn/init.h"

namespace d2l::nn {

static RecurrentCell rnn_cell(const std::string& nonlinearity) {
  if (nonlinearity == "tanh") return RecurrentCell::RnnTanh;
  if (nonlinearity == "relu") return RecurrentCell::RnnRelu;
  throw Error("RNN: unknown nonlinearity '" + nonlinearity + "'. Select from 'tanh' or 'relu'.");
}

RNNBase::RNNBase(RecurrentCell c, const RNNOptions& o, const char* name)
    : cell(c),
      input_size(o.input_size_),
      hidden_size(o.hidden_size_),
      num_layers(o.num_layers_),
      bias(o.bias_),
      batch_first(o.batch_first_),
      dropout(o.dropout_) {
  D2L_CHECK(!o.bidirectional_, "nn::", name, ": bidirectional=true is not supported yet");
  D2L_CHECK(dropout >= 0.0 && dropout <= 1.0, "dropout should be a number in range [0, 1] representing the "
            "probability of an element being zeroed (got ", dropout, ")");
  D2L_CHECK(input_size >= 0, "RNN: input_size must be non-negative, got ", input_size);
  D2L_CHECK(hidden_size > 0, "hidden_size must be greater than zero, got ", hidden_size);
  D2L_CHECK(num_layers > 0, "num_layers must be greater than zero, got ", num_layers);
  D2L_CHECK(is_floating(o.dtype_), "RNN: parameters must be floating point, got ", dtype_name(o.dtype_));
  const std::int64_t width = recurrent_gates(cell) * hidden_size;
  for (std::int64_t k = 0; k < num_layers; ++k) {
    const std::string suffix = "_l" + std::to_string(k);
    Layer l;
    l.w_ih = register_parameter("weight_ih" + suffix, empty({width, k == 0 ? input_size : hidden_size}, o.dtype_));
    l.w_hh = register_parameter("weight_hh" + suffix, empty({width, hidden_size}, o.dtype_));
    if (bias) {
      l.b_ih = register_parameter("bias_ih" + suffix, empty({width}, o.dtype_));
      l.b_hh = register_parameter("bias_hh" + suffix, empty({width}, o.dtype_));
    }
    layers_.push_back(l);
  }
  reset_parameters();
}

void RNNBase::reset_parameters() {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_size));
  for (auto& p : parameters(/*recurse=*/false)) init::uniform_(p, -bound, bound);
}

std::string RNNBase::extra_repr() const {
  std::string s = std::to_string(input_size) + ", " + std::to_string(hidden_size);
  if (num_layers != 1) s += ", num_layers=" + std::to_string(num_layers);
  if (!bias) s += ", bias=False";
  if (batch_first) s += ", batch_first=True";
  if (dropout != 0.0) {
    std::ostringstream os;  // Python's repr of a float: shortest round-trip form
    os << std::setprecision(17) << dropout;
    std::string d = os.str();
    for (int digits = 1; digits <= 17; ++digits) {
      std::ostringstream t;
      t << std::setprecision(digits) << dropout;
      if (std::stod(t.str()) == dropout) {
        d = t.str();
        break;
      }
    }
    if (d.find_first_of(".e") == std::string::npos) d += ".0";
    s += ", dropout=" + d;
  }
  return s;
}

const RNNBase::Layer& RNNBase::layer_at(std::int64_t k) const {
  D2L_CHECK(k >= 0 && k < num_layers, type_name(), ": layer ", k, " does not exist (num_layers=", num_layers, ")");
  return layers_[static_cast<std::size_t>(k)];
}

// "(2, 32, 256)" as PyTorch prints an expected size.
static std::string size_tuple(const Shape& s) {
  std::string out = "(";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + ")";
}

RNNBase::Result RNNBase::run(const Tensor& input, const Tensor& hx, const Tensor& cx) const {
  D2L_CHECK(input.defined(), type_name(), ": input is undefined");
  const bool indices = input.dtype() == kInt64;
  // Unbatched input ((T, C), or (T) indices) runs as a batch of one.
  const bool batched = input.dim() == (indices ? 2 : 3);
  D2L_CHECK(batched || input.dim() == (indices ? 1 : 2), type_name(), ": Expected input to be 2-D or 3-D but received ",
            input.dim(), "-D tensor (shape ", shape_str(input.shape()), ")");
  // batch_first applies to batched input only, as in PyTorch.
  const Tensor x0 = batched ? (batch_first ? input.transpose(0, 1) : input) : input.unsqueeze(1);
  const Shape state_shape = batched ? Shape{num_layers, x0.size(1), hidden_size} : Shape{num_layers, hidden_size};
  for (const Tensor* s : {&hx, &cx})
    D2L_CHECK(!s->defined() || s->shape() == state_shape, "Expected hidden size ", size_tuple(state_shape), ", got ",
              shape_str(s->shape()));
  const Tensor h0 = hx.defined() && !batched ? hx.unsqueeze(1) : hx;
  const Tensor c0 = cx.defined() && !batched ? cx.unsqueeze(1) : cx;

  Tensor x = x0;
  std::vector<Tensor> h_last, c_last;
  for (std::int64_t k = 0; k < num_layers; ++k) {
    const Layer& l = layers_[static_cast<std::size_t>(k)];
    const Tensor states = recurrent_layer(cell, x, h0.defined() ? h0.select(0, k) : Tensor(),
                                          c0.defined() ? c0.select(0, k) : Tensor(), l.w_ih, l.w_hh, l.b_ih, l.b_hh);
    x = states.select(0, 0);
    h_last.push_back(x.select(0, -1));
    if (dropout > 0.0 && k + 1 < num_layers) x = functional::dropout(x, dropout, is_training());
    if (cell == RecurrentCell::Lstm) c_last.push_back(states.select(0, 1).select(0, -1));
  }
  Result r{x, stack(h_last), cell == RecurrentCell::Lstm ? stack(c_last) : Tensor()};
  if (batched && batch_first) r.output = r.output.transpose(0, 1);
  if (!batched) {
    r.output = r.output.squeeze(1);
    r.h_n = r.h_n.squeeze(1);
    if (r.c_n.defined()) r.c_n = r.c_n.squeeze(1);
  }
  return r;
}

std::pair<Tensor, std::vector<Tensor>> RNNBase::forward_state(const Tensor& input, const std::vector<Tensor>& state) {
  const std::size_t parts = cell == RecurrentCell::Lstm ? 2 : 1;
  D2L_CHECK(state.empty() || state.size() == parts, type_name(), " expects a state of ", parts,
            parts == 1 ? " tensor (h)" : " tensors (h, c)", ", got ", state.size());
  const Result r = run(input, state.empty() ? Tensor() : state[0], state.size() > 1 ? state[1] : Tensor());
  if (parts == 1) return {r.output, {r.h_n}};
  return {r.output, {r.h_n, r.c_n}};
}

RNN::RNN(std::int64_t input, std::int64_t hidden, std::int64_t layers)
    : RNN(RNNOptions(input, hidden).num_layers(layers)) {}
RNN::RNN(const RNNOptions& o) : RNNBase(rnn_cell(o.nonlinearity_), o, "RNN") {}

std::pair<Tensor, Tensor> RNN::forward(const Tensor& input, const Tensor& hx) {
  const Result r = run(input, hx, Tensor());
  return {r.output, r.h_n};
}

GRU::GRU(std::int64_t input, std::int64_t hidden, std::int64_t layers)
    : GRU(RNNOptions(input, hidden).num_layers(layers)) {}
GRU::GRU(const RNNOptions& o) : RNNBase(RecurrentCell::Gru, o, "GRU") {}

std::pair<Tensor, Tensor> GRU::forward(const Tensor& input, const Tensor& hx) {
  const Result r = run(input, hx, Tensor());
  return {r.output, r.h_n};
}

LSTM::LSTM(std::int64_t input, std::int64_t hidden, std::int64_t layers)
    : LSTM(RNNOptions(input, hidden).num_layers(layers)) {}
LSTM::LSTM(const RNNOptions& o) : RNNBase(RecurrentCell::Lstm, o, "LSTM") {}

std::pair<Tensor, LSTM::State> LSTM::forward(const Tensor& input, const State& hx) {
  const Result r = run(input, hx.first, hx.second);
  return {r.output, {r.h_n, r.c_n}};
}

}  // namespace d2l::nn
