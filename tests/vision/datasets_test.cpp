// FashionMNIST / MNIST over small IDX files written here: shapes, dtypes, pixel scaling,
// get / get_batch, the loaders, label names, and the errors for broken or missing files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "chapters/run_command.h"
#include "d2l/data/paths.h"
#include "d2l/vision.h"
#include "error_of.h"

using namespace d2l;
using vision::FashionMNIST;

namespace {

// Image i of a set has every pixel equal to 40 * label + i (labels cycle 0..9), so a
// batch can be checked row by row.
std::uint8_t pixel_of(std::int64_t i) { return static_cast<std::uint8_t>(40 * (i % 10) % 250 + i % 5); }

void write_set(const std::string& dir, const std::string& prefix, std::int64_t n, const std::string& ext,
               std::int64_t n_labels = -1) {
  std::vector<std::uint8_t> images, labels;
  for (std::int64_t i = 0; i < n; ++i) images.insert(images.end(), 28 * 28, pixel_of(i));
  for (std::int64_t i = 0; i < (n_labels < 0 ? n : n_labels); ++i) labels.push_back(static_cast<std::uint8_t>(i % 10));
  vision::write_idx(dir + "/" + prefix + "-images-idx3-ubyte" + ext, {n, 28, 28}, images.data());
  vision::write_idx(dir + "/" + prefix + "-labels-idx1-ubyte" + ext, {static_cast<std::int64_t>(labels.size())},
                    labels.data());
}

// A dataset directory: 12 training and 5 test images.
void write_dataset(const std::string& dir, const std::string& ext = ".gz") {
  std::filesystem::create_directories(dir);
  write_set(dir, "train", 12, ext);
  write_set(dir, "t10k", 5, ext);
}

void expect_rows(const Tensor& X, const Tensor& y, const std::vector<std::int64_t>& indices) {
  ASSERT_EQ(X.shape(), (Shape{static_cast<std::int64_t>(indices.size()), 1, 28, 28}));
  ASSERT_EQ(y.shape(), (Shape{static_cast<std::int64_t>(indices.size())}));
  const auto xs = X.to_vector<float>();
  const auto ys = y.to_vector<std::int64_t>();
  for (std::size_t r = 0; r < indices.size(); ++r) {
    EXPECT_EQ(ys[r], indices[r] % 10);
    for (std::size_t p = 0; p < 28 * 28; ++p)
      ASSERT_EQ(xs[r * 28 * 28 + p], static_cast<float>(pixel_of(indices[r])) / 255.0f) << r;
  }
}

}  // namespace

TEST(FashionMNIST, LoadsImagesAsFloatsInUnitRangeAndLabelsAsInt64) {
  TempDir dir("fmnist-load");
  write_dataset(dir / "fm");
  FashionMNIST train(dir / "fm", true), test(dir / "fm", false);
  EXPECT_EQ(train.size(), 12);
  EXPECT_EQ(test.size(), 5);
  EXPECT_EQ(train.images().shape(), (Shape{12, 1, 28, 28}));
  EXPECT_EQ(train.images().dtype(), kFloat32);
  EXPECT_EQ(train.labels().shape(), (Shape{12}));
  EXPECT_EQ(train.labels().dtype(), kInt64);
  const auto values = train.images().to_vector<float>();
  EXPECT_GE(*std::min_element(values.begin(), values.end()), 0.0f);
  EXPECT_LE(*std::max_element(values.begin(), values.end()), 1.0f);
  std::vector<std::int64_t> all(12);
  for (std::int64_t i = 0; i < 12; ++i) all[i] = i;
  expect_rows(train.images(), train.labels(), all);
  // Pixel 255 is exactly 1 and 0 exactly 0.
  std::vector<std::uint8_t> extremes(2 * 28 * 28, 255), labels{3, 4};
  std::fill(extremes.begin(), extremes.begin() + 28 * 28, 0);
  write_dataset(dir / "x");
  vision::write_idx(dir / "x/t10k-images-idx3-ubyte.gz", {2, 28, 28}, extremes.data());
  vision::write_idx(dir / "x/t10k-labels-idx1-ubyte.gz", {2}, labels.data());
  FashionMNIST x(dir / "x", false);
  const auto both = x.images().to_vector<float>();
  EXPECT_EQ(std::vector<float>(both.begin(), both.begin() + 28 * 28), std::vector<float>(28 * 28, 0.0f));
  EXPECT_EQ(std::vector<float>(both.begin() + 28 * 28, both.end()), std::vector<float>(28 * 28, 1.0f));
}

TEST(FashionMNIST, GetAndGetBatchGatherRows) {
  TempDir dir("fmnist-batch");
  write_dataset(dir / "fm");
  const FashionMNIST train(dir / "fm");
  const auto [x, y] = train.get(7);
  EXPECT_EQ(x.shape(), (Shape{1, 28, 28}));
  EXPECT_EQ(y.item<std::int64_t>(), 7);
  EXPECT_EQ(x.at({0, 3, 4}), static_cast<float>(pixel_of(7)) / 255.0f);
  const std::vector<std::int64_t> picks{11, 0, 5, 5, 3};
  const auto [X, Y] = train.get_batch(picks);
  expect_rows(X, Y, picks);
  EXPECT_NE(error_of([&] { train.get(12); }).find("Fashion-MNIST: index 12 out of range for 12"), std::string::npos);
  EXPECT_NE(error_of([&] { train.get_batch({1, -1}); }).find("index -1 out of range"), std::string::npos);
}

TEST(FashionMNIST, RawFilesAndMnistLoadTheSameWay) {
  TempDir dir("fmnist-raw");
  write_dataset(dir / "raw", "");
  vision::MNIST mnist(dir / "raw", false);
  EXPECT_EQ(mnist.size(), 5);
  expect_rows(mnist.images(), mnist.labels(), {0, 1, 2, 3, 4});
}

TEST(FashionMNIST, LoadDataGivesShuffledTrainAndOrderedTestLoaders) {
  TempDir dir("fmnist-loaders");
  write_dataset(dir / "fashion-mnist");
  auto [train_iter, test_iter] = vision::load_data_fashion_mnist(5, 0, dir.path.string());
  EXPECT_EQ(train_iter.size(), 3);  // 12 = 5 + 5 + 2
  EXPECT_EQ(test_iter.size(), 1);
  EXPECT_TRUE(train_iter.options().shuffle_);
  EXPECT_FALSE(test_iter.options().shuffle_);
  std::vector<std::int64_t> seen;
  for (const auto& [X, y] : train_iter) {
    EXPECT_EQ(X.size(1), 1);
    for (auto label : y.to_vector<std::int64_t>()) seen.push_back(label);
  }
  EXPECT_EQ(seen.size(), 12u);
  for (const auto& [X, y] : test_iter) expect_rows(X, y, {0, 1, 2, 3, 4});
}

TEST(FashionMNIST, DefaultDataDirFollowsD2lData) {
  const char* old = std::getenv("D2L_DATA");
  const std::string saved = old ? old : "";
  ::setenv("D2L_DATA", "/some/where", 1);
  EXPECT_EQ(data::default_data_dir(), "/some/where");
  ::setenv("D2L_DATA", "", 1);
  EXPECT_EQ(data::default_data_dir(), "data");
  ::unsetenv("D2L_DATA");
  EXPECT_EQ(data::default_data_dir(), "data");
  if (old) ::setenv("D2L_DATA", saved.c_str(), 1);
}

TEST(FashionMNIST, MissingDatasetSaysHowToFetchIt) {
  TempDir dir("fmnist-missing");
  const std::string root = dir / "fashion-mnist";
  EXPECT_EQ(error_of([&] { FashionMNIST d(root); }),
            "Fashion-MNIST not found in " + root +
                " (no train-images-idx3-ubyte.gz); fetch it with: scripts/fetch-data fashion-mnist");
  write_dataset(root);
  std::filesystem::remove(root + "/t10k-labels-idx1-ubyte.gz");
  EXPECT_NE(error_of([&] { FashionMNIST d(root, false); }).find("(no t10k-labels-idx1-ubyte.gz)"), std::string::npos);
  EXPECT_NE(error_of([&] { vision::MNIST d(dir / "mnist"); }).find("MNIST not found in"), std::string::npos);
}

TEST(FashionMNIST, LabelCountMismatchNamesBothFiles) {
  TempDir dir("fmnist-count");
  const std::string root = dir / "fm";
  write_dataset(root);
  write_set(root, "train", 12, ".gz", 11);
  const std::string message = error_of([&] { FashionMNIST d(root); });
  EXPECT_NE(message.find(root + "/train-labels-idx1-ubyte.gz holds 11 labels but " + root +
                         "/train-images-idx3-ubyte.gz holds 12 images"),
            std::string::npos)
      << message;
}

TEST(FashionMNIST, LabelOutOfRangeNamesValueAndIndex) {
  TempDir dir("fmnist-label");
  const std::string root = dir / "fm";
  write_dataset(root);
  std::vector<std::uint8_t> labels{0, 1, 2, 10, 4};
  vision::write_idx(root + "/t10k-labels-idx1-ubyte.gz", {5}, labels.data());
  const std::string message = error_of([&] { FashionMNIST d(root, false); });
  EXPECT_NE(message.find(root + "/t10k-labels-idx1-ubyte.gz: label 10 at index 3 is outside [0, 10)"),
            std::string::npos)
      << message;
}

TEST(FashionMNIST, BrokenFilesAreErrorsNamingTheFile) {
  TempDir dir("fmnist-broken");
  const std::string root = dir / "fm";
  write_dataset(root);
  // The header promises 6 images; the file holds 5 (raw, which is found when .gz is absent).
  const std::string images = root + "/t10k-images-idx3-ubyte.gz";
  std::vector<std::uint8_t> pixels(5 * 28 * 28, 9);
  {
    std::string bytes = std::string("\0\0\x08\x03", 4) + std::string("\0\0\0\x06", 4) +
                        std::string("\0\0\0\x1c", 4) + std::string("\0\0\0\x1c", 4);
    bytes.append(pixels.begin(), pixels.end());
    std::filesystem::remove(images);
    std::ofstream(root + "/t10k-images-idx3-ubyte", std::ios::binary) << bytes;
  }
  // Labels count 5 and the header says 6 images, but the images file is also too short for
  // its header: the reader refuses that as it opens the file, before any count is compared.
  EXPECT_NE(error_of([&] { FashionMNIST d(root, false); }).find("truncated: the header promises 6 x 28 x 28"),
            std::string::npos);
  std::vector<std::uint8_t> six_labels{0, 1, 2, 3, 4, 5};
  vision::write_idx(root + "/t10k-labels-idx1-ubyte.gz", {6}, six_labels.data());
  std::string message = error_of([&] { FashionMNIST d(root, false); });
  EXPECT_NE(message.find(root + "/t10k-images-idx3-ubyte: truncated: the header promises 6 x 28 x 28 = 4704 bytes "
                                "but only 3920 are present"),
            std::string::npos)
      << message;
  // A labels file where images belong.
  std::filesystem::copy_file(root + "/train-labels-idx1-ubyte.gz", root + "/swap.gz");
  std::filesystem::rename(root + "/train-images-idx3-ubyte.gz", root + "/train-images-idx3-ubyte.gz.bak");
  std::filesystem::rename(root + "/swap.gz", root + "/train-images-idx3-ubyte.gz");
  message = error_of([&] { FashionMNIST d(root); });
  EXPECT_NE(message.find(root + "/train-images-idx3-ubyte.gz: expected images (3 dims: N x rows x cols), found 1"),
            std::string::npos)
      << message;
}

TEST(FashionMNIST, TextLabels) {
  EXPECT_EQ(vision::get_fashion_mnist_labels(std::vector<std::int64_t>{0, 9, 5, 1}),
            (std::vector<std::string>{"t-shirt", "ankle boot", "sandal", "trouser"}));
  EXPECT_EQ(vision::get_fashion_mnist_labels(tensor({2, 3, 4, 6, 7, 8}, kInt64)),
            (std::vector<std::string>{"pullover", "dress", "coat", "shirt", "sneaker", "bag"}));
  EXPECT_NE(error_of([] { vision::get_fashion_mnist_labels(std::vector<std::int64_t>{1, 10}); })
                .find("label 10 at index 1 is outside [0, 10)"),
            std::string::npos);
  EXPECT_NE(error_of([] { vision::get_fashion_mnist_labels(tensor({1.5})); }).find("not a whole number"),
            std::string::npos);
}

namespace {

// A split of `n` 1x1 images whose labels start with `first`, then cycle 0..9.
void write_labelled_split(const std::string& dir, const std::string& prefix, std::int64_t n,
                          const std::vector<std::uint8_t>& first) {
  std::vector<std::uint8_t> images(static_cast<std::size_t>(n), 7), labels;
  for (std::int64_t i = 0; i < n; ++i)
    labels.push_back(i < static_cast<std::int64_t>(first.size()) ? first[i] : static_cast<std::uint8_t>(i % 10));
  vision::write_idx(dir + "/" + prefix + "-images-idx3-ubyte", {n, 1, 1}, images.data());
  vision::write_idx(dir + "/" + prefix + "-labels-idx1-ubyte", {n}, labels.data());
}

}  // namespace

TEST(FashionMNIST, ClassNamesAsTorchvision) {
  ASSERT_EQ(FashionMNIST::classes.size(), 10u);
  EXPECT_EQ(FashionMNIST::classes.front(), "T-shirt/top");
  EXPECT_EQ(FashionMNIST::classes.back(), "Ankle boot");
  ASSERT_EQ(vision::MNIST::classes.size(), 10u);
  EXPECT_EQ(vision::MNIST::classes[0], "0 - zero");
  EXPECT_EQ(vision::MNIST::classes[7], "7 - seven");
}

TEST(FashionMNIST, ClassNamesOnlyForTheDatasetsOwnFiles) {
  // Other data in the same layout is not Fashion-MNIST: no names borrowed.
  TempDir dir("fmnist-classes");
  write_dataset(dir / "other");
  EXPECT_TRUE(FashionMNIST(dir / "other", true).class_names().empty());
  EXPECT_TRUE(vision::MNIST(dir / "other", false).class_names().empty());
  // The real splits' sizes and first labels: Fashion-MNIST's and MNIST's.
  std::filesystem::create_directories(dir / "fm");
  write_labelled_split(dir / "fm", "train", 60000, {9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
  write_labelled_split(dir / "fm", "t10k", 10000, {9, 2, 1, 1, 6, 1, 4, 6, 5, 7});
  EXPECT_EQ(FashionMNIST(dir / "fm", true).class_names(), FashionMNIST::classes);
  EXPECT_EQ(FashionMNIST(dir / "fm", false).class_names(), FashionMNIST::classes);
  EXPECT_TRUE(vision::MNIST(dir / "fm", true).class_names().empty());
  std::filesystem::create_directories(dir / "mnist");
  write_labelled_split(dir / "mnist", "train", 60000, {5, 0, 4, 1, 9, 2, 1, 3, 1, 4});
  write_labelled_split(dir / "mnist", "t10k", 10000, {7, 2, 1, 0, 4, 1, 4, 9, 5, 9});
  EXPECT_EQ(vision::MNIST(dir / "mnist", true).class_names(), vision::MNIST::classes);
  EXPECT_EQ(vision::MNIST(dir / "mnist", false).class_names(), vision::MNIST::classes);
  EXPECT_TRUE(FashionMNIST(dir / "mnist", false).class_names().empty());
  // The right first labels but not the real size: not recognized.
  std::filesystem::create_directories(dir / "short");
  write_labelled_split(dir / "short", "train", 600, {9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
  EXPECT_TRUE(FashionMNIST(dir / "short", true).class_names().empty());
}

TEST(FashionMNIST, ClassNamesForTheFetchScriptsConversion) {
  // scripts/fetch-data's files: 6000 per class in train, the rest (9998) in test, shuffled with seed 42.
  TempDir dir("fmnist-converted");
  write_labelled_split(dir.path.string(), "train", 60000, {2, 4, 5, 5, 0, 1, 4, 4, 2, 4});
  write_labelled_split(dir.path.string(), "t10k", 9998, {4, 2, 3, 2, 6, 3, 2, 6, 1, 1});
  EXPECT_EQ(FashionMNIST(dir.path.string(), true).class_names(), FashionMNIST::classes);
  EXPECT_EQ(FashionMNIST(dir.path.string(), false).class_names(), FashionMNIST::classes);
}
