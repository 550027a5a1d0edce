// recurrent_layer: a whole recurrent layer as one graph node (the kernels are in
// kernels/cpu/recurrent.cpp). One node instead of a dozen per step keeps the graph small, and
// lets the backward compute the weight gradients as single products over all steps.
#include "kernels/cpu/recurrent.h"

#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;

static const char* cell_node_name(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::RnnTanh:
      return "RnnTanhBackward0";
    case RecurrentCell::RnnRelu:
      return "RnnReluBackward0";
    case RecurrentCell::Gru:
      return "GruBackward0";
    default:
      return "LstmBackward0";
  }
}

// Checks an optional operand's shape and dtype; `what` names it in the message.
static void check_operand(const Tensor& t, const Shape& shape, DType dtype, const char* what) {
  if (!t.defined()) return;
  D2L_CHECK(t.shape() == shape, "recurrent layer: expected ", what, " of shape ", shape_str(shape), ", got ",
            shape_str(t.shape()));
  D2L_CHECK(t.dtype() == dtype, "recurrent layer: ", what, " is ", dtype_name(t.dtype()), " but the weights are ",
            dtype_name(dtype));
}

static Tensor contiguous_data(const Tensor& t) { return t.defined() ? t.detach().contiguous() : t; }

Tensor recurrent_layer(RecurrentCell cell, const Tensor& input, const Tensor& h0, const Tensor& c0, const Tensor& w_ih,
                       const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  D2L_CHECK(w_ih.defined() && w_hh.defined() && w_ih.dim() == 2 && w_hh.dim() == 2,
            "recurrent layer: weight_ih and weight_hh must be 2-D tensors");
  const DType dtype = w_ih.dtype();
  D2L_CHECK(is_floating(dtype), "recurrent layer: weights must be floating point, got ", dtype_name(dtype));
  const std::int64_t hidden = w_hh.size(1), width = recurrent_gates(cell) * hidden, features = w_ih.size(1);
  D2L_CHECK(hidden > 0, "recurrent layer: hidden_size must be positive, got weight_hh of shape ",
            shape_str(w_hh.shape()));
  check_operand(w_ih, {width, features}, dtype, "weight_ih");
  check_operand(w_hh, {width, hidden}, dtype, "weight_hh");
  check_operand(b_ih, {width}, dtype, "bias_ih");
  check_operand(b_hh, {width}, dtype, "bias_hh");
  const bool indices = input.dtype() == kInt64;
  if (indices) {
    D2L_CHECK(input.dim() == 2, "recurrent layer: token indices must be (num_steps, batch_size), got shape ",
              shape_str(input.shape()));
  } else {
    D2L_CHECK(input.dim() == 3, "recurrent layer: input must be 3-D (num_steps, batch_size, input_size), got shape ",
              shape_str(input.shape()));
    D2L_CHECK(input.size(2) == features, "input.size(-1) must be equal to input_size. Expected ", features, ", got ",
              input.size(2));
    D2L_CHECK(input.dtype() == dtype, "recurrent layer: input is ", dtype_name(input.dtype()), " but the weights are ",
              dtype_name(dtype));
  }
  const std::int64_t steps = input.size(0), batch = input.size(1);
  D2L_CHECK(steps > 0 && batch > 0,
            "recurrent layer: expected at least one step and one batch row, got input of shape ",
            shape_str(input.shape()));
  check_operand(h0, {batch, hidden}, dtype, "hidden state");
  D2L_CHECK(!c0.defined() || cell == RecurrentCell::Lstm, "recurrent layer: only an LSTM takes a cell state");
  check_operand(c0, {batch, hidden}, dtype, "cell state");

  kernels::RecurrentInputs in{cell,
                              contiguous_data(input),
                              contiguous_data(h0),
                              contiguous_data(c0),
                              contiguous_data(w_ih),
                              contiguous_data(w_hh),
                              contiguous_data(b_ih),
                              contiguous_data(b_hh)};
  if (indices) {
    const std::int64_t* p = in.input.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < in.input.numel(); ++i)
      D2L_CHECK(p[i] >= 0 && p[i] < features, "recurrent layer: token index ", p[i], " is out of range for input_size ",
                features);
  }
  kernels::RecurrentSaved saved = kernels::recurrent_forward(in);
  Tensor states = saved.states;
  if (!autograd::any_requires_grad(input, h0, c0, w_ih, w_hh, b_ih, b_hh)) return states;
  // The backward keeps a detached handle: the output's own handle would hold its node alive forever.
  saved.states = states.detach();
  return record(states, cell_node_name(cell), {input, h0, c0, w_ih, w_hh, b_ih, b_hh},
                {input, h0, c0, w_ih, w_hh, b_ih, b_hh, states},
                [in = std::move(in), saved = std::move(saved)](const Tensor& g, const Node& n) {
                  std::array<bool, 7> needs{};
                  for (std::size_t i = 0; i < needs.size(); ++i) needs[i] = n.needs_grad(i);
                  const Tensor grad = detail::cast(g, in.w_ih.dtype()).contiguous();
                  kernels::RecurrentGrads r = kernels::recurrent_backward(in, saved, grad, needs);
                  return autograd::Grads{r[0], r[1], r[2], r[3], r[4], r[5], r[6]};
                });
}

}  // namespace d2l
