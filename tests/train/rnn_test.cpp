// The course's recurrent training helpers: the scratch model's fused path against the
// course's per-step composite, grad_clipping, predict_ch8 on a hand-built model, how the
// samplers' state is carried or restarted, and short convergence runs.
#include "d2l/train/rnn.h"

#include <gtest/gtest.h>

#include <sstream>

#include "d2l/autograd.h"
#include "d2l/nn/loss.h"
#include "d2l/ops.h"
#include "d2l/optim.h"
#include "d2l/random.h"
#include "d2l/text.h"

namespace d2l::train {
namespace {

float max_abs_diff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  const auto x = a.to_vector<float>(), y = b.to_vector<float>();
  float m = 0;
  for (std::size_t i = 0; i < x.size(); ++i) m = std::max(m, std::abs(x[i] - y[i]));
  return m;
}

// A corpus of `text`'s characters, every token kept.
text::SeqDataLoader loader_of(const std::string& text, std::int64_t batch_size, std::int64_t num_steps,
                              bool use_random_iter) {
  return text::SeqDataLoader(text::load_corpus(text::Lines::from_text(text), "char"), batch_size, num_steps,
                             use_random_iter);
}

TEST(RnnScratch, TokenPathEqualsTheCourseComposite) {
  manual_seed(3);
  const std::int64_t vocab_size = 7, num_hiddens = 5, batch = 3, steps = 4;
  // Larger weights than get_params' 0.01, so that tanh works away from its linear part.
  Params params = get_params(vocab_size, num_hiddens);
  for (Tensor& p : params) {
    NoGradGuard no_grad;
    p.detach().copy_(randn(p.shape()) * 0.5);
  }
  const auto same_params = [&](std::int64_t, std::int64_t) { return params; };
  const RNNModelScratch fused(vocab_size, num_hiddens, same_params, init_rnn_state, rnn);
  const RNNModelScratch course(vocab_size, num_hiddens, same_params, init_rnn_state, rnn, /*one_hot_inputs=*/true);
  const Tensor X = from_vector(std::vector<std::int64_t>{0, 3, 6, 1, 2, 2, 5, 4, 6, 0, 1, 3}, {batch, steps});
  const RNNState state = {randn({batch, num_hiddens})};
  const Tensor weights = randn({steps * batch, vocab_size});  // a loss that weighs every output differently

  std::vector<std::vector<Tensor>> grads;
  std::vector<std::pair<Tensor, RNNState>> outs;
  for (const RNNModelScratch* net : {&fused, &course}) {
    for (const Tensor& p : params) p.set_grad(Tensor());
    auto out = (*net)(X, state);
    (sum(out.first * weights) + sum(out.second[0])).backward();
    std::vector<Tensor> g;
    for (const Tensor& p : params) g.push_back(p.grad().clone());
    grads.push_back(g);
    outs.push_back(out);
  }
  EXPECT_EQ(outs[0].first.shape(), Shape({steps * batch, vocab_size}));
  EXPECT_LT(max_abs_diff(outs[0].first, outs[1].first), 1e-5);
  EXPECT_LT(max_abs_diff(outs[0].second[0], outs[1].second[0]), 1e-6);
  const char* names[] = {"W_xh", "W_hh", "b_h", "W_hq", "b_q"};
  for (std::size_t i = 0; i < params.size(); ++i) EXPECT_LT(max_abs_diff(grads[0][i], grads[1][i]), 1e-5) << names[i];
}

TEST(RnnScratch, GetParamsAsTheCourse) {
  manual_seed(0);
  const Params p = get_params(28, 256);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].shape(), Shape({28, 256}));
  EXPECT_EQ(p[1].shape(), Shape({256, 256}));
  EXPECT_EQ(p[3].shape(), Shape({256, 28}));
  for (const Tensor& t : p) EXPECT_TRUE(t.requires_grad());
  EXPECT_EQ(sum(abs(p[2])).item<double>() + sum(abs(p[4])).item<double>(), 0.0);
  const double std = std::sqrt(mean(p[1].detach() * p[1].detach()).item<double>());
  EXPECT_NEAR(std, 0.01, 0.0005);
  EXPECT_EQ(init_rnn_state(4, 256)[0].shape(), Shape({4, 256}));
}

TEST(GradClipping, ScalesToThetaAndLeavesSmallGradientsAlone) {
  Tensor a = zeros({2}).requires_grad_(), b = zeros({1}).requires_grad_();
  a.set_grad(tensor({3, 0}));
  b.set_grad(tensor({4}));  // joint norm 5
  EXPECT_DOUBLE_EQ(grad_clipping({a, b}, 10), 5);
  EXPECT_EQ(a.grad().to_vector<float>(), std::vector<float>({3, 0}));
  EXPECT_DOUBLE_EQ(grad_clipping({a, b}, 1), 5);
  EXPECT_NEAR(a.grad().to_vector<float>()[0], 0.6, 1e-7);
  EXPECT_NEAR(b.grad().to_vector<float>()[0], 0.8, 1e-7);
  EXPECT_NEAR(grad_clipping({a, b}, 1), 1, 1e-6);
  Tensor none = zeros({3}).requires_grad_();  // no gradient yet: skipped
  EXPECT_NEAR(grad_clipping({a, b, none}, 1), 1, 1e-6);
}

TEST(Predict, FollowsAHandBuiltModel) {
  // Vocabulary <unk> a b c; W_xh puts token i in hidden unit i, W_hq sends unit i to the
  // token after it (a -> b -> c -> a), so the argmax walks the cycle.
  const text::Vocab vocab(std::vector<std::string>{"a", "b", "c"});
  ASSERT_EQ(vocab.size(), 4);
  const auto hand_params = [](std::int64_t v, std::int64_t h) {
    Tensor W_xh = eye(v) * 10, W_hh = zeros({h, h}), b_h = zeros({h}), W_hq = zeros({h, v}), b_q = zeros({v});
    for (std::int64_t i = 1; i < v; ++i) W_hq.select(0, i).select(0, i % 3 + 1).fill_(1);
    return Params{W_xh, W_hh, b_h, W_hq, b_q};
  };
  RNNModelScratch net(4, 4, hand_params, init_rnn_state, rnn);
  EXPECT_EQ(predict_ch8("ab", 5, net, vocab), "abcabca");
  EXPECT_EQ(predict_ch8("c", 0, net, vocab), "c");
  // A character outside the vocabulary is read as <unk>.
  EXPECT_EQ(predict_ch8("xb", 2, net, vocab), "<unk>bca");
  EXPECT_EQ(out_of_vocab("xbyx", vocab), std::vector<std::string>({"x", "y"}));
  EXPECT_TRUE(out_of_vocab("abc", vocab).empty());
  EXPECT_THROW(predict_ch8("", 5, net, vocab), Error);
  EXPECT_THROW(predict_ch8("a\xff", 5, net, vocab), Error);
}

TEST(Predict, ConciseModelWithChineseCharacters) {
  manual_seed(0);
  const text::Vocab vocab(std::vector<std::string>{"白", "日", "依", "山", "尽"});
  RNNModel net(std::make_shared<nn::LSTM>(vocab.size(), 8), vocab.size());
  const std::string text = predict_ch8("白日", 3, net, vocab);
  EXPECT_EQ(text.rfind("白日", 0), 0u);
  // Five tokens: characters, or <unk> where the untrained model picks it.
  std::size_t chars = 0, unks = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  for (std::size_t at = text.find("<unk>"); at != std::string::npos; at = text.find("<unk>", at + 1)) ++unks;
  EXPECT_EQ(chars - 4 * unks, 5u) << text;
  EXPECT_EQ(net.begin_state(2).size(), 2u);
  EXPECT_EQ(net.begin_state(2)[1].shape(), Shape({1, 2, 8}));
}

// A scratch model that records the state it is handed at each batch.
struct StateLog {
  std::vector<Tensor> given;     // the state each batch started from
  std::vector<Tensor> returned;  // the state each batch ended with
};

void check_states(bool use_random_iter) {
  manual_seed(1);
  text::python_random().seed(0);
  std::string corpus;
  for (int i = 0; i < 200; ++i) corpus += "abcdefg"[i % 7];
  const text::SeqDataLoader train_iter = loader_of(corpus, 2, 5, use_random_iter);
  auto log = std::make_shared<StateLog>();
  RNNModelScratch net(train_iter.vocab().size(), 6, get_params, init_rnn_state,
                      [log](const Tensor& X, const RNNState& state, const Params& params) {
                        log->given.push_back(state[0]);
                        auto out = rnn(X, state, params);
                        log->returned.push_back(out.second[0]);
                        return out;
                      });
  const Params params = net.params;
  train_epoch_ch8(net, train_iter, Updater([&](std::int64_t b) { sgd(params, 1.0, b); }), use_random_iter);
  ASSERT_GT(log->given.size(), 3u);
  for (std::size_t k = 0; k < log->given.size(); ++k) {
    const Tensor& s = log->given[k];
    EXPECT_FALSE(s.requires_grad()) << k;  // cut out of the previous batch's graph
    EXPECT_EQ(s.grad_fn(), nullptr) << k;
    if (use_random_iter || k == 0) {
      EXPECT_EQ(sum(abs(s)).item<double>(), 0.0) << "batch " << k << " starts from zeros";
    } else {
      EXPECT_GT(sum(abs(s)).item<double>(), 0.0) << k;
      EXPECT_EQ(max_abs_diff(s, log->returned[k - 1]), 0) << "batch " << k << " carries on from batch " << k - 1;
    }
  }
  EXPECT_TRUE(log->returned[0].requires_grad());
}

TEST(TrainEpoch, SequentialCarriesTheStateDetached) { check_states(false); }
TEST(TrainEpoch, RandomRestartsTheState) { check_states(true); }

TEST(TrainEpoch, NonFiniteLossStops) {
  manual_seed(0);
  const text::SeqDataLoader train_iter = loader_of(std::string(300, 'a') + "bc", 2, 5, false);
  RNNModelScratch net(train_iter.vocab().size(), 4, get_params, init_rnn_state, rnn);
  net.params[4].detach().fill_(std::nan(""));
  const Params params = net.params;
  EXPECT_THROW(train_epoch_ch8(net, train_iter, Updater([&](std::int64_t b) { sgd(params, 1.0, b); }), false),
               TrainingDiverged);
}

TEST(TrainCh8, LearnsARepetitiveTextScratch) {
  manual_seed(0);
  text::python_random().seed(0);
  std::string corpus;
  for (int i = 0; i < 3000; ++i) corpus += "abcde"[i % 5];
  const text::SeqDataLoader train_iter = loader_of(corpus, 8, 10, false);
  RNNModelScratch net(train_iter.vocab().size(), 32, get_params, init_rnn_state, rnn);
  std::ostringstream log;
  Metrics metrics("test");
  Ch8Options o;
  o.prefixes = {"ab", "d"};
  o.num_preds = 8;
  o.sample_every = 2;
  o.log = &log;
  o.metrics = &metrics;
  const Ch8Result r = train_ch8(net, train_iter, train_iter.vocab(), 1.0, 4, o);
  ASSERT_EQ(r.history.size(), 4u);
  EXPECT_LT(r.perplexity, 1.3) << log.str();
  EXPECT_LT(r.history.back().perplexity, r.history.front().perplexity);
  ASSERT_EQ(r.samples.size(), 2u);
  EXPECT_EQ(r.samples[0].second, "abcdeabcde");
  EXPECT_EQ(r.samples[1].second, "deabcdeab");
  EXPECT_NE(log.str().find("epoch 4, perplexity "), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("\nperplexity "), std::string::npos) << log.str();
  EXPECT_NE(log.str().find(" tokens/sec\nabcdeabcde\ndeabcdeab\n"), std::string::npos) << log.str();
  ASSERT_EQ(metrics.history.size(), 4u);
  EXPECT_FALSE(metrics.history[0].contains("samples"));
  EXPECT_EQ(metrics.history[1]["samples"]["ab"], "abcdeabcde");
  for (const char* key : {"epoch", "perplexity", "tokens_per_sec", "seconds"})
    EXPECT_TRUE(metrics.history[3].contains(key)) << key;
}

TEST(TrainCh8, LearnsARepetitiveTextConcise) {
  for (const char* cell : {"gru", "lstm"}) {
    SCOPED_TRACE(cell);
    manual_seed(0);
    text::python_random().seed(0);
    std::string corpus;
    for (int i = 0; i < 3000; ++i) corpus += "abcde"[i % 5];
    const text::SeqDataLoader train_iter = loader_of(corpus, 8, 10, true);
    const std::int64_t v = train_iter.vocab().size();
    std::shared_ptr<nn::RNNBase> layer;
    if (std::string(cell) == "gru") layer = std::make_shared<nn::GRU>(v, 32);
    else layer = std::make_shared<nn::LSTM>(v, 32);
    RNNModel net(layer, v);
    optim::Adam adam(net.parameters(), optim::AdamOptions(0.01));
    Ch8Options o;
    o.use_random_iter = true;
    o.optimizer = &adam;
    o.prefixes = {"c"};
    o.num_preds = 6;
    o.quiet = true;
    const Ch8Result r = train_ch8(net, train_iter, train_iter.vocab(), 0.01, 4, o);
    EXPECT_LT(r.perplexity, 1.3);
    EXPECT_EQ(r.samples[0].second, "cdeabcd");
  }
}

}  // namespace
}  // namespace d2l::train
