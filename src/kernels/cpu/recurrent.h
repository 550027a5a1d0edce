#pragma once
// A recurrent layer over a whole sequence, forward and backward, in float32 or float64.
// The input projection of all T steps is one product over T*B rows; each step then costs one
// (B x H) @ (H x G*H) product and the cell's elementwise math. The backward keeps every
// step's gate gradients, so the weight gradients are again single products over T*B rows.
#include <array>

#include "d2l/recurrent_cell.h"
#include "d2l/tensor.h"

namespace d2l::kernels {

// The layer's operands, all contiguous and of one floating dtype (input may be int64 indices).
// Undefined h0 / c0 mean zero states; undefined biases mean none.
struct RecurrentInputs {
  RecurrentCell cell;
  Tensor input;  // (T, B, C) floating, or (T, B) int64 indices of one-hot rows
  Tensor h0, c0;
  Tensor w_ih, w_hh, b_ih, b_hh;
};

// What a forward pass leaves for its backward.
struct RecurrentSaved {
  Tensor states;  // (S, T, B, H): hidden states, then (LSTM) cell states
  Tensor gates;   // GRU, LSTM: every step's gate activations, (T*B, G*H)
  Tensor extra;   // GRU: W_hn h + b_hn; LSTM: tanh(c); (T*B, H)
};

RecurrentSaved recurrent_forward(const RecurrentInputs& in);

// Gradients of the operands, in RecurrentInputs' order (input, h0, c0, w_ih, w_hh, b_ih, b_hh);
// only those flagged in `needs` are computed, the rest stay undefined.
using RecurrentGrads = std::array<Tensor, 7>;
RecurrentGrads recurrent_backward(const RecurrentInputs& in, const RecurrentSaved& saved, const Tensor& grad_states,
                                  const std::array<bool, 7>& needs);

}  // namespace d2l::kernels
