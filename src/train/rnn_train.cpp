// The course's training loop for character models: sgd, grad_clipping, predict_ch8,
// train_epoch_ch8 and train_ch8.
#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>

#include "d2l/autograd.h"
#include "d2l/nn/loss.h"
#include "d2l/ops.h"
#include "d2l/optim/sgd.h"
#include "d2l/text/utf8.h"
#include "d2l/train/format.h"
#include "d2l/train/plot.h"
#include "d2l/train/progress.h"
#include "d2l/train/rnn.h"
#include "d2l/train/timer.h"
#include "kernels/cpu/kernels.h"

namespace d2l::train {

void sgd(const Params& params, double lr, std::int64_t batch_size) {
  NoGradGuard no_grad;
  for (const Tensor& param : params) {
    Tensor grad = param.grad();
    if (!grad.defined()) continue;
    param.detach().sub_(grad, lr / static_cast<double>(batch_size));
    grad.zero_();
  }
}

double grad_clipping(const Params& params, double theta) {
  NoGradGuard no_grad;
  std::vector<Tensor> grads;
  for (const Tensor& p : params)
    if (p.defined() && p.grad().defined()) grads.push_back(p.grad());
  double sum_sq = 0;  // in double: a million float squares would lose their small terms
  for (const Tensor& grad : grads) sum_sq += kernels::sum_of_squares(grad.contiguous());
  const double norm = std::sqrt(sum_sq);
  if (norm > theta)
    for (Tensor& grad : grads) grad.mul_(theta / norm);
  return norm;
}

namespace {

// The UTF-8 characters of `s`; ill-formed UTF-8 throws, naming where.
std::vector<std::string_view> characters(std::string_view s) {
  std::vector<std::string_view> chars;
  for (std::size_t pos = 0; pos < s.size();) {
    const text::Utf8Step step = text::utf8_step(s, pos);
    if (step.problem) throw Error("the prefix is not valid UTF-8: " + text::Utf8Error{pos, step.length, *step.problem}.message(s));
    chars.push_back(s.substr(pos, step.length));
    pos += step.length;
  }
  return chars;
}

bool in_vocab(std::string_view token, const text::Vocab& vocab) {
  return vocab.index(token) != text::Vocab::unk() || token == vocab.to_token(text::Vocab::unk());
}

}  // namespace

std::vector<std::string> out_of_vocab(std::string_view prefix, const text::Vocab& vocab) {
  std::vector<std::string> missing;
  for (std::string_view c : characters(prefix))
    if (!in_vocab(c, vocab) && std::find(missing.begin(), missing.end(), c) == missing.end()) missing.emplace_back(c);
  return missing;
}

std::string predict_ch8(std::string_view prefix, std::int64_t num_preds, const CharModel& net,
                        const text::Vocab& vocab) {
  const std::vector<std::string_view> chars = characters(prefix);
  D2L_CHECK(!chars.empty(), "predict_ch8: the prefix is empty; it needs at least one character");
  D2L_CHECK(num_preds >= 0, "predict_ch8: num_preds must be >= 0, got ", num_preds);
  NoGradGuard no_grad;  // nothing here is differentiated
  RNNState state = net.begin_state(/*batch_size=*/1);
  std::vector<std::int64_t> outputs;
  for (std::string_view c : chars) outputs.push_back(vocab[c]);
  // Warm-up period: the prefix but its last character, as one sequence (the course feeds it
  // a character at a time; the state comes out the same).
  if (outputs.size() > 1) {
    const auto n = static_cast<std::int64_t>(outputs.size()) - 1;
    state = net(from_vector(std::vector<std::int64_t>(outputs.begin(), outputs.end() - 1), {1, n}), state).second;
  }
  for (std::int64_t i = 0; i < num_preds; ++i) {  // predict num_preds steps
    auto [y, new_state] = net(from_vector(std::vector<std::int64_t>{outputs.back()}, {1, 1}), state);
    state = std::move(new_state);
    outputs.push_back(argmax(y, 1).item<std::int64_t>());
  }
  std::string text;
  for (std::int64_t i : outputs) text += vocab.to_token(i);
  return text;
}

Ch8EpochResult train_epoch_ch8(const CharModel& net, const text::SeqDataLoader& train_iter, const Updater& updater,
                               bool use_random_iter, double theta, ProgressBar* progress,
                               const std::string& progress_label) {
  if (net.module()) net.module()->train();
  const Params params = net.parameters();
  RNNState state;
  Timer timer;
  Accumulator metric(2);  // sum of training loss, number of tokens
  const text::SeqBatches epoch = train_iter.epoch();
  if (progress) progress->start(progress_label, epoch.size());
  std::int64_t batch = 0;
  for (const auto& [X, Y] : epoch) {
    ++batch;
    if (state.empty() || use_random_iter) {
      // Initialize the state on the first iteration, or on every one with random sampling
      state = net.begin_state(X.size(0));
    } else {
      // The state carries on from the previous batch, cut out of its graph
      for (Tensor& s : state) s = s.detach();
    }
    const Tensor y = Y.t().reshape({-1});
    auto [y_hat, new_state] = net(X, state);
    state = std::move(new_state);
    const Tensor l = nn::functional::cross_entropy(y_hat, y);
    const double loss = l.item<double>();
    check_loss(loss, 0, batch);  // train_ch8 adds the epoch
    if (optim::Optimizer* optimizer = updater.optimizer()) {
      optimizer->zero_grad();
      l.backward();
      grad_clipping(params, theta);
      optimizer->step();
    } else {
      l.backward();
      grad_clipping(params, theta);
      // The mean function has been invoked
      updater(/*batch_size=*/1);
    }
    metric.add(loss * static_cast<double>(y.numel()), y.numel());
    if (progress) progress->step();
  }
  const double seconds = timer.stop();
  D2L_CHECK(metric[1] > 0, "train_epoch_ch8: the epoch had no complete batch (the corpus has ",
            train_iter.corpus().corpus.size(), " tokens, offset ", epoch.offset(), "); use a longer corpus or a "
            "smaller batch size or num_steps");
  const double perplexity = std::exp(metric[0] / metric[1]);
  if (!std::isfinite(perplexity))  // finite losses, but too large for exp: as good as diverged
    throw TrainingDiverged(metric[0] / metric[1], 0, 0);
  return {perplexity, metric[1] / seconds, seconds, static_cast<std::int64_t>(metric[1])};
}

namespace {

void plot_ch8(const std::string& path, const std::vector<Ch8Record>& history, int num_epochs) {
  Series train{"train", {}, {}};
  for (const Ch8Record& r : history) {
    train.x.push_back(r.epoch);
    train.y.push_back(r.perplexity);
  }
  train.scatter = history.size() == 1;  // a single point draws no line
  PlotOptions o;
  o.xlabel = "epoch";
  o.ylabel = "perplexity";
  if (num_epochs > 1) o.xlim = std::array<double, 2>{1.0, static_cast<double>(num_epochs)};
  save_plot(path, {train}, o);
}

}  // namespace

Ch8Result train_ch8(const CharModel& net, const text::SeqDataLoader& train_iter, const text::Vocab& vocab, double lr,
                    int num_epochs, const Ch8Options& options) {
  D2L_CHECK(num_epochs >= 0, "train_ch8: num_epochs must be >= 0, got ", num_epochs);
  D2L_CHECK(std::isfinite(lr) && lr > 0, "train_ch8: lr must be a finite number > 0, got ", lr);
  // Initialize: the optimizer given, torch.optim.SGD for a module, the course's sgd otherwise
  std::unique_ptr<optim::SGD> own_sgd;
  optim::Optimizer* optimizer = options.optimizer;
  if (!optimizer && net.module()) {
    own_sgd = std::make_unique<optim::SGD>(net.parameters(), optim::SGDOptions(lr));
    optimizer = own_sgd.get();
  }
  const Updater updater = optimizer ? Updater(*optimizer)
                                    : Updater([params = net.parameters(), lr](std::int64_t batch_size) {
                                        sgd(params, lr, batch_size);
                                      });
  const auto predict = [&](const std::string& prefix) { return predict_ch8(prefix, options.num_preds, net, vocab); };
  std::ostream& log = options.log ? *options.log : std::cout;
  ProgressBar bar(options.progress && !options.quiet);
  Ch8Result result;
  // Train and predict
  for (int epoch = 1; epoch <= num_epochs; ++epoch) {
    Ch8EpochResult r;
    try {
      r = train_epoch_ch8(net, train_iter, updater, options.use_random_iter, options.theta, &bar,
                          format("epoch %d/%d", epoch, num_epochs));
    } catch (const TrainingDiverged& e) {
      bar.finish();
      throw TrainingDiverged(e.loss, epoch, e.step);
    }
    bar.finish();
    result.history.push_back({epoch, r.perplexity, r.tokens_per_sec, r.seconds});
    if (!options.quiet)
      log << format("epoch %d, perplexity %.2f, %.0f tokens/sec\n", epoch, r.perplexity, r.tokens_per_sec)
          << std::flush;
    nlohmann::ordered_json entry = {{"epoch", epoch},
                                    {"perplexity", r.perplexity},
                                    {"tokens_per_sec", r.tokens_per_sec},
                                    {"seconds", r.seconds}};
    if (options.sample_every > 0 && epoch % options.sample_every == 0) {
      nlohmann::ordered_json samples = nlohmann::ordered_json::object();
      for (const std::string& prefix : options.prefixes) {
        const std::string text = predict(prefix);
        if (!options.quiet) log << text << "\n" << std::flush;
        samples[prefix] = text;
      }
      entry["samples"] = samples;
    }
    if (options.metrics) options.metrics->history.push_back(entry);
    if (!options.plot.empty()) plot_ch8(options.plot, result.history, num_epochs);
  }
  if (!result.history.empty()) {
    result.perplexity = result.history.back().perplexity;
    result.tokens_per_sec = result.history.back().tokens_per_sec;
    if (!options.quiet) log << format("perplexity %.2f, %.0f tokens/sec\n", result.perplexity, result.tokens_per_sec);
  }
  for (const std::string& prefix : options.prefixes) {
    result.samples.emplace_back(prefix, predict(prefix));
    if (!options.quiet) log << result.samples.back().second << "\n";
  }
  log << std::flush;
  return result;
}

}  // namespace d2l::train
