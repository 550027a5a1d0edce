#pragma once
// The kinds of recurrent cell, shared by the recurrent kernels, the op and the nn layers.
#include <cstdint>

namespace d2l {

// The cell of a recurrent layer. Gates are stacked in PyTorch's order: GRU r, z, n with
// n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); LSTM i, f, g, o.
enum class RecurrentCell { RnnTanh, RnnRelu, Gru, Lstm };

// Gates per cell: 1 for the plain RNN, 3 for GRU, 4 for LSTM.
constexpr std::int64_t recurrent_gates(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::Gru: return 3;
    case RecurrentCell::Lstm: return 4;
    default: return 1;
  }
}

}  // namespace d2l
