#pragma once
// The course's recurrent-network helpers (chapter 8): the scratch model (get_params,
// init_rnn_state, rnn, RNNModelScratch), the concise one (RNNModel over nn::RNN / GRU / LSTM),
// predict_ch8, grad_clipping, train_epoch_ch8 and train_ch8.
//
//   auto [train_iter, vocab] = text::load_data_lm(32, 35);
//   RNNModelScratch net(vocab.size(), 256, get_params, init_rnn_state, rnn);
//   train_ch8(net, train_iter, vocab, 1.0, 500);
//   predict_ch8("time traveller", 50, net, vocab);
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "d2l/nn/linear.h"
#include "d2l/nn/module.h"
#include "d2l/nn/rnn.h"
#include "d2l/optim/optimizer.h"
#include "d2l/tensor.h"
#include "d2l/text/lm_data.h"
#include "d2l/text/vocab.h"
#include "d2l/train/classify.h"  // Updater
#include "d2l/train/diverged.h"
#include "d2l/train/metrics.h"

namespace d2l::train {

class ProgressBar;

// A recurrent state: {H}, or {H, C} for an LSTM (the course's tuple).
using RNNState = std::vector<Tensor>;
using Params = std::vector<Tensor>;

// ---- from scratch

// W_xh (vocab_size, num_hiddens), W_hh (num_hiddens, num_hiddens), b_h (num_hiddens),
// W_hq (num_hiddens, vocab_size), b_q (vocab_size): weights ~ N(0, 1) * 0.01, biases zero,
// all requiring grad, drawn in that order from the global generator.
Params get_params(std::int64_t vocab_size, std::int64_t num_hiddens);
// {zeros (batch_size, num_hiddens)}.
RNNState init_rnn_state(std::int64_t batch_size, std::int64_t num_hiddens);
// The course's step function over a sequence: H = tanh(X W_xh + H W_hh + b_h), Y = H W_hq + b_q
// at every step; returns (the Ys of all steps stacked, (num_steps * batch, vocab_size), {H}).
//   inputs float (num_steps, batch, vocab_size) one-hot rows: the course's loop, op by op;
//          or int64 (num_steps, batch) token indices: the same sums with X W_xh read as rows
//          of W_xh, the recurrence as one graph node (d2l::recurrent_layer) and the output
//          layer as one product over all steps.
std::pair<Tensor, RNNState> rnn(const Tensor& inputs, const RNNState& state, const Params& params);

class RNNModelScratch {
 public:
  using GetParams = std::function<Params(std::int64_t vocab_size, std::int64_t num_hiddens)>;
  using InitState = std::function<RNNState(std::int64_t batch_size, std::int64_t num_hiddens)>;
  using ForwardFn = std::function<std::pair<Tensor, RNNState>(const Tensor&, const RNNState&, const Params&)>;

  // forward_fn receives X.T: as int64 token indices (num_steps, batch) when one_hot_inputs is
  // false (rnn reads them as one-hot rows, without making them), or as the course's
  // F.one_hot(X.T, vocab_size) in float32 when it is true.
  RNNModelScratch(std::int64_t vocab_size, std::int64_t num_hiddens, const GetParams& get_params, InitState init_state,
                  ForwardFn forward_fn, bool one_hot_inputs = false);
  // X: int64 (batch, num_steps) token indices -> (Y (num_steps * batch, vocab_size), state).
  std::pair<Tensor, RNNState> operator()(const Tensor& X, const RNNState& state) const;
  RNNState begin_state(std::int64_t batch_size) const { return init_state_(batch_size, num_hiddens); }

  std::int64_t vocab_size, num_hiddens;
  Params params;
  bool one_hot_inputs;

 private:
  InitState init_state_;
  ForwardFn forward_fn_;
};

// ---- concise: a recurrent layer and the output layer

class RNNModel : public nn::Module {
 public:
  // rnn_layer: an nn::RNN, GRU or LSTM whose input_size is vocab_size (it reads the token
  // indices as one-hot rows).
  RNNModel(std::shared_ptr<nn::RNNBase> rnn_layer, std::int64_t vocab_size);
  // inputs: int64 (batch, num_steps) -> (the scores (num_steps * batch, vocab_size), state).
  std::pair<Tensor, RNNState> forward(const Tensor& inputs, const RNNState& state);
  std::pair<Tensor, RNNState> operator()(const Tensor& inputs, const RNNState& state) { return forward(inputs, state); }
  // Zeros (num_layers, batch_size, num_hiddens): {H}, or {H, C} for an LSTM.
  RNNState begin_state(std::int64_t batch_size = 1) const;
  std::string type_name() const override { return "RNNModel"; }

  std::shared_ptr<nn::RNNBase> rnn;
  std::shared_ptr<nn::Linear> linear;
  std::int64_t vocab_size, num_hiddens;
};

// What predict_ch8 and train_ch8 take: either model (not owned), as the course passes either
// `net`. Converts implicitly.
class CharModel {
 public:
  CharModel(RNNModelScratch& net) : scratch_(&net) {}
  CharModel(RNNModel& net) : module_(&net) {}
  std::pair<Tensor, RNNState> operator()(const Tensor& X, const RNNState& state) const;
  RNNState begin_state(std::int64_t batch_size) const;
  // Every trainable parameter: the scratch model's params, or the module's parameters().
  Params parameters() const;
  // The module, or null for the scratch model.
  nn::Module* module() const { return module_; }

 private:
  RNNModelScratch* scratch_ = nullptr;
  RNNModel* module_ = nullptr;
};

// ---- training

// The course's d2l.sgd: param -= lr * grad / batch_size, then the gradient is zeroed.
void sgd(const Params& params, double lr, std::int64_t batch_size);

// Scales the gradients so that their joint L2 norm is theta when it exceeds theta (the
// course's grad_clipping); gradients within the bound are left alone. Returns the norm
// before clipping (NaN when a gradient holds one: nothing is scaled then).
double grad_clipping(const Params& params, double theta);

// The characters of `prefix` (UTF-8) that are not in the vocabulary, each once, in order.
std::vector<std::string> out_of_vocab(std::string_view prefix, const text::Vocab& vocab);
// Warms the state up on the prefix, then appends num_preds tokens, each the argmax of the
// next-token scores; returns the prefix and the predictions joined. The prefix is split into
// UTF-8 characters; those outside the vocabulary are read as <unk> (see out_of_vocab).
std::string predict_ch8(std::string_view prefix, std::int64_t num_preds, const CharModel& net,
                        const text::Vocab& vocab);

struct Ch8EpochResult {
  double perplexity = 0;      // exp(mean cross-entropy per token)
  double tokens_per_sec = 0;  // tokens trained on / the epoch's seconds
  double seconds = 0;
  std::int64_t tokens = 0;
};

// One pass over train_iter: sequential sampling carries the state from batch to batch (cut
// out of the graph), random sampling starts each batch from begin_state. Loss: the mean
// cross-entropy of y_hat against Y.T flattened; gradients clipped to theta before each
// update. An optimizer updater steps after zero_grad and backward; a function updater is
// called with batch size 1 after backward (the loss is already a mean) and must clear the
// gradients. `progress`, if given, is started under `progress_label` and told after each
// batch. Throws TrainingDiverged for a non-finite loss or perplexity, and an Error for an
// epoch without a batch.
Ch8EpochResult train_epoch_ch8(const CharModel& net, const text::SeqDataLoader& train_iter, const Updater& updater,
                               bool use_random_iter, double theta = 1.0, ProgressBar* progress = nullptr,
                               const std::string& progress_label = "train");

struct Ch8Options {
  bool use_random_iter = false;
  double theta = 1.0;  // gradient clipping threshold
  // Null: the course's updater, torch.optim.SGD for an RNNModel, sgd for the scratch model.
  optim::Optimizer* optimizer = nullptr;
  std::vector<std::string> prefixes = {"time traveller"};
  std::int64_t num_preds = 50;
  int sample_every = 10;  // print each prefix's prediction every this many epochs (0: never)
  std::ostream* log = nullptr;  // the epoch lines and samples (null: std::cout)
  bool quiet = false;           // no lines, no progress bar
  bool progress = true;         // a bar on stderr during each epoch, when stderr is a terminal
  Metrics* metrics = nullptr;   // one history entry per epoch
  std::string plot;             // an SVG of perplexity per epoch, redrawn every epoch; empty: none
};

struct Ch8Record {
  int epoch = 0;  // 1-based
  double perplexity = 0, tokens_per_sec = 0, seconds = 0;
};

struct Ch8Result {
  std::vector<Ch8Record> history;
  double perplexity = 0, tokens_per_sec = 0;  // of the last epoch
  std::vector<std::pair<std::string, std::string>> samples;  // (prefix, prediction) after training
};

// d2l.train_ch8: per epoch, train_epoch_ch8 and the line "epoch 5, perplexity 8.25, 41016
// tokens/sec" (and every sample_every epochs each prefix's prediction); at the end
// "perplexity 8.25, 41016 tokens/sec" and each prefix's prediction.
Ch8Result train_ch8(const CharModel& net, const text::SeqDataLoader& train_iter, const text::Vocab& vocab, double lr,
                    int num_epochs, const Ch8Options& options = {});

}  // namespace d2l::train
