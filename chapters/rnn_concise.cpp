// The concise recurrent network (course section 8.6): RNNModel over nn::RNN, and beyond the
// course nn::GRU or nn::LSTM, trained with optim::SGD or optim::Adam.
#include "d2l/optim.h"
#include "d2l/text.h"
#include "rnn.h"

namespace d2l::chapters {

namespace {

std::shared_ptr<nn::RNNBase> make_rnn_layer(const std::string& cell, std::int64_t vocab_size,
                                            std::int64_t num_hiddens) {
  if (cell == "gru") return std::make_shared<nn::GRU>(vocab_size, num_hiddens);
  if (cell == "lstm") return std::make_shared<nn::LSTM>(vocab_size, num_hiddens);
  D2L_CHECK(cell == "rnn", "unknown --cell '", cell, "' (rnn, gru or lstm)");
  return std::make_shared<nn::RNN>(vocab_size, num_hiddens);
}

}  // namespace

RnnResult rnn_concise(const RnnOptions& options, std::ostream& log) {
  train::Metrics metrics = rnn_metrics("rnn-concise", options);
  const text::SeqDataLoader train_iter = load_rnn_data(options, log, metrics);
  const std::int64_t vocab_size = train_iter.vocab().size();
  const auto rnn_layer = make_rnn_layer(options.cell, vocab_size, options.hidden);
  train::RNNModel net(rnn_layer, vocab_size);
  std::unique_ptr<optim::Optimizer> optimizer;
  if (options.optimizer == "adam")
    optimizer = std::make_unique<optim::Adam>(net.parameters(), optim::AdamOptions(options.common.lr));
  else
    optimizer = std::make_unique<optim::SGD>(net.parameters(), optim::SGDOptions(options.common.lr));
  return train_and_report("rnn-concise", options, train_iter, net, optimizer.get(), std::move(metrics), log);
}

}  // namespace d2l::chapters
