#pragma once
// Recurrent layers with PyTorch's semantics: nn::RNN (tanh or relu), nn::GRU and nn::LSTM.
// Input (num_steps, batch, input_size), or (batch, num_steps, input_size) with batch_first,
// or (num_steps, input_size) unbatched; they return {output, state} with output
// (num_steps, batch, hidden_size) (batch first with batch_first) the last layer's hidden state
// at every step and state (num_layers, batch, hidden_size) every layer's last one ((h, c) for
// LSTM), whatever batch_first. Parameters are named as in PyTorch: weight_ih_l0, weight_hh_l0,
// bias_ih_l0, bias_hh_l0, weight_ih_l1, ...; gates are stacked in its order (GRU r, z, n;
// LSTM i, f, g, o). Each layer runs as one graph node (d2l::recurrent_layer).
//
// Beyond PyTorch: an int64 input (num_steps, batch) of token indices is read as their one-hot
// vectors of width input_size, without making them (the input product becomes a row gather).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "d2l/nn/module.h"
#include "d2l/ops.h"

namespace d2l::nn {

struct RNNOptions {
  RNNOptions(std::int64_t input_size, std::int64_t hidden_size) : input_size_(input_size), hidden_size_(hidden_size) {}
  RNNOptions& num_layers(std::int64_t v) { num_layers_ = v; return *this; }
  // "tanh" or "relu"; nn::RNN only.
  RNNOptions& nonlinearity(std::string v) { nonlinearity_ = std::move(v); return *this; }
  RNNOptions& bias(bool v) { bias_ = v; return *this; }
  // The parameters' dtype (PyTorch's dtype= factory argument).
  RNNOptions& dtype(DType v) { dtype_ = v; return *this; }
  // Input and output as (batch, num_steps, feature); the state keeps (num_layers, batch, hidden).
  RNNOptions& batch_first(bool v) { batch_first_ = v; return *this; }
  // Dropout with this probability on each layer's output but the last, in training mode.
  RNNOptions& dropout(double v) { dropout_ = v; return *this; }
  // Not supported yet: true is refused with a clear error.
  RNNOptions& bidirectional(bool v) { bidirectional_ = v; return *this; }
  std::int64_t input_size_, hidden_size_, num_layers_ = 1;
  std::string nonlinearity_ = "tanh";
  bool bias_ = true, batch_first_ = false, bidirectional_ = false;
  double dropout_ = 0.0;
  DType dtype_ = kFloat32;
};

// What RNN, GRU and LSTM share: the stacked layers' parameters, their init, the run, the printing.
class RNNBase : public Module {
 public:
  // The layer whichever its kind, for code that holds any of the three: `state` is {} (zeros),
  // {h} or, for LSTM, {h, c}; returns {output, {h_n}} or {output, {h_n, c_n}}.
  std::pair<Tensor, std::vector<Tensor>> forward_state(const Tensor& input, const std::vector<Tensor>& state = {});

  // PyTorch's init: every parameter ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), drawn in
  // registration order from the global generator.
  void reset_parameters();
  // "28, 256", then ", num_layers=2", ", bias=False", ", batch_first=True" and ", dropout=0.5"
  // where they differ from the defaults (PyTorch's order).
  std::string extra_repr() const override;

  // Layer k's parameters (the biases are undefined when built without them).
  const Tensor& weight_ih(std::int64_t layer) const { return layer_at(layer).w_ih; }
  const Tensor& weight_hh(std::int64_t layer) const { return layer_at(layer).w_hh; }
  const Tensor& bias_ih(std::int64_t layer) const { return layer_at(layer).b_ih; }
  const Tensor& bias_hh(std::int64_t layer) const { return layer_at(layer).b_hh; }

  RecurrentCell cell;
  std::int64_t input_size, hidden_size, num_layers;
  bool bias, batch_first;
  double dropout;

 protected:
  RNNBase(RecurrentCell cell, const RNNOptions& options, const char* name);
  struct Result {
    Tensor output, h_n, c_n;  // c_n: LSTM only
  };
  // Runs the layers from states hx / cx ((num_layers, batch, hidden_size); undefined: zeros).
  Result run(const Tensor& input, const Tensor& hx, const Tensor& cx) const;

 private:
  struct Layer {
    Tensor w_ih, w_hh, b_ih, b_hh;
  };
  const Layer& layer_at(std::int64_t k) const;
  std::vector<Layer> layers_;
};

// h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), or relu.
class RNN : public RNNBase {
 public:
  RNN(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers = 1);
  explicit RNN(const RNNOptions& options);
  // hx: (num_layers, batch, hidden_size), undefined for zeros. Returns {output, h_n}.
  std::pair<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = Tensor());
  std::pair<Tensor, Tensor> operator()(const Tensor& input, const Tensor& hx = Tensor()) { return forward(input, hx); }
  std::string type_name() const override { return "RNN"; }
};

class GRU : public RNNBase {
 public:
  GRU(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers = 1);
  explicit GRU(const RNNOptions& options);
  std::pair<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = Tensor());
  std::pair<Tensor, Tensor> operator()(const Tensor& input, const Tensor& hx = Tensor()) { return forward(input, hx); }
  std::string type_name() const override { return "GRU"; }
};

class LSTM : public RNNBase {
 public:
  using State = std::pair<Tensor, Tensor>;  // (h, c); an undefined part means zeros
  LSTM(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers = 1);
  explicit LSTM(const RNNOptions& options);
  // Returns {output, (h_n, c_n)}.
  std::pair<Tensor, State> forward(const Tensor& input, const State& hx = {});
  std::pair<Tensor, State> operator()(const Tensor& input, const State& hx = {}) { return forward(input, hx); }
  std::string type_name() const override { return "LSTM"; }
};

}  // namespace d2l::nn
