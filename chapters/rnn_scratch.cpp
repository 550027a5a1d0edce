// A recurrent neural network from scratch (course section 8.5): the parameters as plain
// tensors, the step function H = tanh(X W_xh + H W_hh + b_h), and the course's sgd.
#include "d2l/text.h"
#include "rnn.h"

namespace d2l::chapters {

RnnResult rnn_scratch(const RnnOptions& options, std::ostream& log) {
  train::Metrics metrics = rnn_metrics("rnn-scratch", options);
  const text::SeqDataLoader train_iter = load_rnn_data(options, log, metrics);
  const std::int64_t vocab_size = train_iter.vocab().size();
  // Token indices by default: rnn reads them as one-hot rows without making them, and runs the
  // recurrence as one graph node. --one-hot feeds F.one_hot(X.T) and runs the course's loop.
  train::RNNModelScratch net(vocab_size, options.hidden, train::get_params, train::init_rnn_state, train::rnn,
                             options.one_hot);
  // No optimizer: train_ch8 updates the params with sgd(params, lr, 1)
  return train_and_report("rnn-scratch", options, train_iter, net, nullptr, std::move(metrics), log);
}

}  // namespace d2l::chapters
