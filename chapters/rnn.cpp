// What the two recurrent-network programs share: their flags, the corpus cut into batches,
// the training report and the command-line wrapper.
#include "rnn.h"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "d2l/text.h"
#include "d2l/threads.h"
#include "d2l/io/files.h"
#include "d2l/train/format.h"
#include "text.h"  // add_corpus_options, py_repr

namespace d2l::chapters {

using train::format;

RnnOptions::RnnOptions() {
  common.epochs = 5;
  common.lr = 1.0;
  common.batch_size = 32;
}

namespace {

bool concise(const std::string& chapter) { return chapter == "rnn-concise"; }

// The prefixes given, or the default: "白日" for tang300, "the " for English, and for a text
// without those characters its first two.
std::vector<std::string> prefixes_of(const RnnOptions& o, const text::SeqDataLoader& data) {
  if (!o.prefixes.empty()) return o.prefixes;
  if (o.corpus == "tang300") return {"白日"};
  if (train::out_of_vocab("the ", data.vocab()).empty()) return {"the "};
  const auto& tokens = data.corpus().corpus;
  std::string first;
  for (std::size_t i = 0; i < std::min<std::size_t>(2, tokens.size()); ++i) first += data.vocab().to_token(tokens[i]);
  return {first};
}

}  // namespace

train::Metrics rnn_metrics(const std::string& chapter, const RnnOptions& options) {
  train::Metrics metrics = start_metrics(chapter, options.common);
  metrics.config.erase("num_workers");  // batches are cut from memory; no workers
  auto& c = metrics.config;
  c["corpus"] = options.corpus;
  c["clean"] = options.clean;
  c["token"] = "char";
  c["lossy"] = options.lossy;
  c["data_dir"] = options.data_dir;
  c["max_tokens"] = options.max_tokens;
  c["hidden"] = options.hidden;
  c["num_steps"] = options.num_steps;
  c["clip"] = options.clip;
  c["sampling"] = options.sampling;
  c["prefixes"] = options.prefixes;  // the defaults are filled in once the text is read
  c["num_preds"] = options.num_preds;
  c["sample_every"] = options.sample_every;
  if (!concise(chapter)) c["one_hot"] = options.one_hot;
  if (concise(chapter)) {
    c["cell"] = options.cell;
    c["optimizer"] = options.optimizer;
  }
  return metrics;
}

text::SeqDataLoader load_rnn_data(const RnnOptions& options, std::ostream& log, train::Metrics& metrics) {
  options.common.apply();                                                    // the parameters' init
  text::python_random().seed(static_cast<std::int64_t>(options.common.seed));  // the samplers' offsets
  const std::int64_t batch_size = options.common.batch_size, num_steps = options.num_steps;
  D2L_CHECK(batch_size > 0 && num_steps > 0, "batch size and num_steps must be positive, got ", batch_size, " and ",
            num_steps);
  const text::CorpusSource source = corpus_from_flags(options.corpus, options.clean, options.data_dir);
  const text::Clean how = source.clean;
  metrics.config["corpus"] = source.name;
  metrics.config["path"] = source.path;
  metrics.config["clean"] = text::to_string(how);

  train::Timer timer;
  const std::int64_t max_tokens = options.max_tokens > 0 ? options.max_tokens : -1;
  // A text kept as it is (the Tang poems) is modelled with one space between its lines, as
  // the course's Chinese chapter reads its lyrics: where a line ends is part of what the
  // model learns. Cleaned to letters, lines are joined with nothing, as in its English one.
  text::Corpus corpus = how == text::Clean::none
                            ? text::load_corpus(text::join_lines(text::read_lines(source.path, {options.lossy}), " "),
                                                "char", max_tokens, how, source.path)
                            : text::load_corpus(source.path, "char", max_tokens, how, {options.lossy});
  metrics.timing["load_seconds"] = timer.stop();
  // Every offset the samplers may draw (up to num_steps) must leave one whole batch.
  const auto tokens = static_cast<std::int64_t>(corpus.corpus.size());
  const std::int64_t needed = batch_size * num_steps + num_steps + 1;
  D2L_CHECK(tokens >= needed, source.path, ": ", tokens, " characters are too few for a batch of ", batch_size,
            " x ", num_steps, " at every offset (", needed, " needed); use a longer text",
            options.max_tokens > 0 && corpus.tokens > tokens ? " or a larger --max-tokens" : "",
            ", or a smaller --batch-size or --num-steps");
  const std::string where = source.name == source.path ? source.path : source.name + ": " + source.path;
  log << format("%s (clean %s), training on %lld of %lld characters, vocabulary %lld\n", where.c_str(),
                text::to_string(how), static_cast<long long>(tokens),
                static_cast<long long>(corpus.tokens), static_cast<long long>(corpus.vocab.size()));
  if (corpus.replaced > 0) log << "replaced " << corpus.replaced << " invalid UTF-8 sequences with U+FFFD\n";
  return text::SeqDataLoader(std::move(corpus), batch_size, num_steps, options.sampling == "random");
}

RnnResult train_and_report(const std::string& chapter, const RnnOptions& options, const text::SeqDataLoader& data,
                           const train::CharModel& net, optim::Optimizer* optimizer, train::Metrics metrics,
                           std::ostream& log) {
  const CommonOptions& common = options.common;
  const text::Vocab& vocab = data.vocab();
  const std::vector<std::string> prefixes = prefixes_of(options, data);
  metrics.config["prefixes"] = prefixes;
  for (const std::string& prefix : prefixes) {
    D2L_CHECK(!prefix.empty(), "a --prefix must hold at least one character");
    std::string missing;
    for (const std::string& c : train::out_of_vocab(prefix, vocab)) missing += (missing.empty() ? "" : ", ") + py_repr(c);
    if (!missing.empty())
      log << "note: prefix " << py_repr(prefix) << ": " << missing << " not in the vocabulary, read as <unk>\n";
  }
  io::make_directories(common.out);
  const std::string plot =
      common.out + "/" + chapter + (concise(chapter) && options.cell != "rnn" ? "-" + options.cell : "") + ".svg";
  train::Ch8Options o;
  o.use_random_iter = options.sampling == "random";
  o.theta = options.clip;
  o.optimizer = optimizer;
  o.prefixes = prefixes;
  o.num_preds = options.num_preds;
  o.sample_every = options.sample_every;
  o.log = &log;
  o.quiet = common.quiet;
  o.metrics = &metrics;
  o.plot = plot;

  RnnResult result;
  result.vocab_size = vocab.size();
  result.tokens = static_cast<std::int64_t>(data.corpus().corpus.size());
  try {
    result.train = train::train_ch8(net, data, vocab, common.lr, common.epochs, o);
  } catch (const train::TrainingDiverged& e) {
    throw Error(format("%s (try --lr %g or --clip %g)", e.what(), common.lr / 10, options.clip / 10));
  }

  auto& final = metrics.final;
  const bool trained = !result.train.history.empty();
  final["perplexity"] = trained ? nlohmann::ordered_json(result.train.perplexity) : nlohmann::ordered_json();
  final["tokens_per_sec"] = trained ? nlohmann::ordered_json(result.train.tokens_per_sec) : nlohmann::ordered_json();
  nlohmann::ordered_json samples = nlohmann::ordered_json::object();
  for (const auto& [prefix, text] : result.train.samples) samples[prefix] = text;
  final["samples"] = samples;
  final["vocab_size"] = result.vocab_size;
  final["tokens"] = result.tokens;
  double seconds = 0;
  std::int64_t tokens = 0;
  for (const auto& r : result.train.history) {
    seconds += r.seconds;
    tokens += static_cast<std::int64_t>(std::llround(r.tokens_per_sec * r.seconds));
  }
  const double epochs = std::max<double>(1, static_cast<double>(result.train.history.size()));
  metrics.timing["train_seconds"] = seconds;
  metrics.timing["seconds_per_epoch"] = seconds / epochs;
  metrics.timing["tokens_per_sec"] = seconds > 0 ? static_cast<double>(tokens) / seconds : 0.0;
  metrics.timing["threads"] = get_num_threads();
  if (!common.metrics.empty()) metrics.save(common.metrics);
  result.metrics = std::move(metrics);
  return result;
}

namespace {

using Program = RnnResult (*)(const RnnOptions&, std::ostream&);

class RnnCommand : public Command {
 public:
  RnnCommand(std::string name, std::string summary, Program program)
      : name_(std::move(name)), summary_(std::move(summary)), program_(program) {}
  std::string name() const override { return name_; }
  std::string summary() const override { return summary_; }
  void add_options(CLI::App& app) override {
    RnnOptions& o = options_;
    o.common.add_to(app);
    app.remove_option(app.get_option("--num-workers"));
    lr_ = app.get_option("--lr");
    if (concise(name_)) lr_->description("learning rate (default 1; 0.001 with --optimizer adam)");
    add_corpus_options(app, o.corpus, o.clean, o.lossy, o.data_dir);
    app.add_option("--max-tokens", o.max_tokens, "train on the first N characters (0: all); the vocabulary is the "
                                                  "whole text's")
        ->check(whole_number(0))->capture_default_str();
    app.add_option("--hidden", o.hidden, "hidden units")->check(whole_number(1, 16384))->capture_default_str();
    app.add_option("--num-steps", o.num_steps, "time steps per subsequence")
        ->check(whole_number(1, 100'000))->capture_default_str();
    app.add_option("--clip", o.clip, "gradient clipping threshold theta (joint L2 norm)")
        ->check(positive_number())->capture_default_str();
    app.add_option("--sampling", o.sampling, "how the corpus is cut into mini-batches")
        ->check(CLI::IsMember({"sequential", "random"}))->capture_default_str();
    app.add_option("--prefix", o.prefixes, "start of a generated text; repeatable (default: 'the ', or '白日' for "
                                           "tang300)")
        ->allow_extra_args(false);
    app.add_option("--num-preds", o.num_preds, "characters generated after each prefix")
        ->check(whole_number(0, 1'000'000))->capture_default_str();
    app.add_option("--sample-every", o.sample_every, "print the generated texts every N epochs (0: only at the end)")
        ->check(whole_number(0, 1'000'000))->capture_default_str();
    if (!concise(name_))
      app.add_flag("--one-hot", o.one_hot, "feed float one-hot rows and run the course's loop op by op (the same "
                                           "sums; slower than the fused recurrence over token indices)");
    if (concise(name_)) {
      app.add_option("--cell", o.cell, "the recurrent layer")
          ->check(CLI::IsMember({"rnn", "gru", "lstm"}))->capture_default_str();
      app.add_option("--optimizer", o.optimizer, "the optimizer")
          ->check(CLI::IsMember({"sgd", "adam"}))->capture_default_str();
    }
  }
  int run() override {
    RnnOptions o = options_;
    if (o.optimizer == "adam" && lr_ && lr_->count() == 0) o.common.lr = 1e-3;  // torch.optim.Adam's default
    for (const std::string& prefix : o.prefixes)
      if (prefix.empty()) throw UsageError("--prefix: must hold at least one character");
    std::ostream null(nullptr);
    program_(o, o.common.quiet ? null : std::cout);
    return 0;
  }
  TourLine tour(const std::string& out_dir) override {
    train::Timer timer;
    RnnOptions quick = options_;
    quick.common = options_.common.for_tour(out_dir, name_);
    quick.common.epochs = 1;
    quick.max_tokens = 5000;
    quick.hidden = 32;
    std::ostream null(nullptr);
    const RnnResult r = program_(quick, null);
    return {name_,
            format("1 epoch on %lld chars: perplexity %.2f, %.0f tokens/sec", static_cast<long long>(r.tokens),
                   r.train.perplexity, r.train.tokens_per_sec),
            timer.stop()};
  }

 private:
  std::string name_, summary_;
  Program program_;
  RnnOptions options_;
  CLI::Option* lr_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_rnn_scratch_command() {
  return std::make_unique<RnnCommand>(
      "rnn-scratch", "a character-level RNN language model from scratch (params, step function, sgd)", rnn_scratch);
}
std::unique_ptr<Command> make_rnn_concise_command() {
  return std::make_unique<RnnCommand>(
      "rnn-concise", "a character-level language model with nn::RNN, GRU or LSTM and SGD or Adam", rnn_concise);
}

}  // namespace d2l::chapters
