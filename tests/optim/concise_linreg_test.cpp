// nn + optim + data together, as in the course's concise linear regression (3.3): recovers
// w = [2, -3.4], b = 4.2 from 1000 noisy examples in three epochs.
#include <gtest/gtest.h>

#include "d2l/autograd.h"
#include "d2l/data.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "d2l/optim.h"
#include "d2l/random.h"

using namespace d2l;

namespace {

TEST(ConciseLinreg, RecoversTheTrueParameters) {
  for (int workers : {0, 2}) {
    SCOPED_TRACE(::testing::Message() << workers << " workers");
    manual_seed(42);
    const Tensor true_w = tensor({2.0, -3.4});
    const double true_b = 4.2;
    Tensor X = normal(0, 1, {1000, 2});
    Tensor y = matmul(X, true_w) + true_b + normal(0, 0.01, {1000});
    data::DataLoader loader(std::make_shared<data::TensorDataset>(X, y.reshape({-1, 1})),
                            data::DataLoaderOptions(10).shuffle(true).num_workers(workers));

    nn::Sequential net(std::make_shared<nn::Linear>(2, 1));
    nn::init::normal_(net.at<nn::Linear>(0)->weight, 0, 0.01);
    nn::init::zeros_(net.at<nn::Linear>(0)->bias);
    nn::MSELoss loss;
    optim::SGD trainer(net.parameters(), optim::SGDOptions(0.03));

    double first_epoch_loss = 0, last_epoch_loss = 0;
    for (int epoch = 0; epoch < 3; ++epoch) {
      for (const auto& [Xb, yb] : loader) {
        Tensor l = loss(net(Xb), yb);
        trainer.zero_grad();
        l.backward();
        trainer.step();
      }
      NoGradGuard g;
      const double l = loss(net(X), y.reshape({-1, 1})).item();
      (epoch == 0 ? first_epoch_loss : last_epoch_loss) = l;
    }
    // The noise alone gives a loss of 1e-4.
    EXPECT_LT(last_epoch_loss, 2e-4);
    EXPECT_LE(last_epoch_loss, first_epoch_loss);
    const auto w = net.at<nn::Linear>(0)->weight.to_vector<float>();
    EXPECT_NEAR(w[0], 2.0, 5e-3);
    EXPECT_NEAR(w[1], -3.4, 5e-3);
    EXPECT_NEAR(net.at<nn::Linear>(0)->bias.item(), 4.2, 5e-3);
  }
}

}  // namespace
