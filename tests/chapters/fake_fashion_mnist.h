#pragma once
// A small synthetic data set in Fashion-MNIST's four IDX files, for running the image
// chapters in tests without the real data: 600 training and 100 test images of ten classes
// that a linear model can tell apart (class c is a bright band at rows 2c+4 and 2c+5 over
// a noisy background).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "chapters/run_command.h"
#include "d2l/vision/idx.h"

inline void write_fake_fashion_mnist_split(const std::string& root, const std::string& split, std::int64_t n,
                                           std::uint64_t seed) {
  std::vector<std::uint8_t> images(n * 28 * 28), labels(n);
  std::uint64_t state = seed;
  auto noise = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint8_t>(state >> 57);  // 0..127
  };
  for (std::int64_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(i % 10);
    labels[i] = static_cast<std::uint8_t>(c);
    for (int r = 0; r < 28; ++r)
      for (int col = 0; col < 28; ++col)
        images[(i * 28 + r) * 28 + col] = (r / 2 == c + 2) ? static_cast<std::uint8_t>(128 + noise()) : noise();
  }
  d2l::vision::write_idx(root + "/" + split + "-images-idx3-ubyte.gz", {n, 28, 28}, images.data());
  d2l::vision::write_idx(root + "/" + split + "-labels-idx1-ubyte.gz", {n}, labels.data());
}

// A data directory (the --data-dir / $D2L_DATA kind) holding fashion-mnist/, removed at the end.
struct FakeFashionMnist {
  TempDir dir{"fake-data"};
  FakeFashionMnist() {
    std::filesystem::create_directories(dir / "fashion-mnist");
    write_fake_fashion_mnist_split(dir / "fashion-mnist", "train", 600, 1);
    write_fake_fashion_mnist_split(dir / "fashion-mnist", "t10k", 100, 2);
  }
  std::string path() const { return dir.path.string(); }
};
