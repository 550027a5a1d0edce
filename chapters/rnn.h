#pragma once
// Recurrent neural networks (course chapter 8): a character-level language model trained on a
// book, from scratch (`d2l rnn-scratch`: the course's params, step function and sgd) and
// concise (`d2l rnn-concise`: RNNModel over nn::RNN, GRU or LSTM, with SGD or Adam).
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "command.h"
#include "d2l/data/paths.h"
#include "d2l/train/rnn.h"

namespace d2l::chapters {

struct RnnOptions {
  RnnOptions();
  CommonOptions common;              // epochs 5, lr 1, batch 32
  std::string corpus = "moby-dick";  // "moby-dick", "tang300" or a UTF-8 text file
  std::string clean;                 // letters | none; empty: the corpus's default
  bool lossy = false;
  std::string data_dir = data::default_data_dir();
  std::int64_t max_tokens = 200000;  // train on the first N tokens (0: all); the vocabulary is the whole book's
  std::int64_t hidden = 256;
  std::int64_t num_steps = 35;
  double clip = 1.0;                 // gradient clipping threshold theta
  std::string sampling = "sequential";  // sequential | random
  std::vector<std::string> prefixes;    // empty: "白日" for tang300, else "the " (or the text's first two characters)
  std::int64_t num_preds = 50;
  int sample_every = 10;
  bool one_hot = false;            // scratch only: float one-hot rows through the course's loop, op by op
  std::string cell = "rnn";        // concise only: rnn | gru | lstm
  std::string optimizer = "sgd";   // concise only: sgd | adam
};

struct RnnResult {
  train::Ch8Result train;
  std::int64_t vocab_size = 0, tokens = 0;
  train::Metrics metrics{""};
};

// The two programs. Output goes to `log` (nothing when quiet); the plot and metrics under
// options.common.out / options.common.metrics.
RnnResult rnn_scratch(const RnnOptions& options, std::ostream& log);
RnnResult rnn_concise(const RnnOptions& options, std::ostream& log);

// What both share: the corpus cut into batches (an error when it is too short for one
// batch at every offset), and train_ch8 with its printed lines, the perplexity plot
// (out/<chapter>.svg) and the metrics file.
text::SeqDataLoader load_rnn_data(const RnnOptions& options, std::ostream& log, train::Metrics& metrics);
RnnResult train_and_report(const std::string& chapter, const RnnOptions& options, const text::SeqDataLoader& data,
                           const train::CharModel& net, optim::Optimizer* optimizer, train::Metrics metrics,
                           std::ostream& log);
// The metrics record of a run, its config holding every setting.
train::Metrics rnn_metrics(const std::string& chapter, const RnnOptions& options);

std::unique_ptr<Command> make_rnn_scratch_command();
std::unique_ptr<Command> make_rnn_concise_command();

}  // namespace d2l::chapters
