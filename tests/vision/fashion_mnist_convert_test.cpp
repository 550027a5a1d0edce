// scripts/fashion_mnist_to_idx.js on a small fake package: malformed records are skipped and
// counted, the first N valid images per class go to train and the rest to test, every image
// keeps its class, labels are mixed, and a second run writes the same bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "chapters/run_command.h"
#include "d2l/vision.h"

using namespace d2l;

namespace {

constexpr int kValidPerClass = 4;

// Valid record r of class c: every pixel is 25 * c + r (c = 0..9, r = 0..3), so each
// image says which class and record it came from.
int pixel_of(int c, int r) { return 25 * c + r; }

// A JSON array: `first` (when not negative), then `length` copies of `value`.
std::string record(int value, int length = 28 * 28, int first = -1) {
  std::ostringstream s;
  s << '[';
  if (first >= 0) s << first << (length ? "," : "");
  for (int i = 0; i < length; ++i) s << (i ? "," : "") << value;
  s << ']';
  return s.str();
}

// Ten class files; class 3 starts with an empty record, class 7 has one of 783 pixels
// second, class 5 ends with one whose first pixel is 256: 3 malformed in all.
void write_fake_package(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "src/clothes");
  for (int c = 0; c < 10; ++c) {
    std::vector<std::string> records;
    for (int r = 0; r < kValidPerClass; ++r) records.push_back(record(pixel_of(c, r)));
    if (c == 3) records.insert(records.begin(), "[]");
    if (c == 7) records.insert(records.begin() + 1, record(1, 783));
    if (c == 5) records.push_back(record(0, 783, 256));
    std::ofstream json(dir / "src/clothes" / (std::to_string(c) + ".json"));
    json << "{\"data\":[";
    for (std::size_t i = 0; i < records.size(); ++i) json << (i ? "," : "") << records[i];
    json << "]}";
  }
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

const char* const kFiles[] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                              "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

}  // namespace

TEST(FashionMnistConvert, SplitsPerClassSkipsMalformedAndIsReproducible) {
  ASSERT_EQ(std::system("command -v node > /dev/null 2>&1"), 0)
      << "node is not installed: it is needed to test scripts/fashion_mnist_to_idx.js (scripts/deps installs it)";
  TempDir dir("fmnist-convert");
  write_fake_package(dir.path / "fake");
  const std::string convert = std::string("node ") + D2L_SOURCE_DIR + "/scripts/fashion_mnist_to_idx.js " +
                              (dir.path / "fake").string() + " " + (dir.path / "out").string();
  const CommandResult first = run_shell(convert + " --train-per-class 2");
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("skipped 3 malformed records (class 3: 1, class 5: 1, class 7: 1)"), std::string::npos)
      << first.output;
  EXPECT_NE(first.output.find("20 train images, 20 test images"), std::string::npos) << first.output;

  // Train holds records 0 and 1 of each class, test records 2 and 3; each exactly once.
  for (const bool train : {true, false}) {
    vision::FashionMNIST set((dir.path / "out").string(), train);
    ASSERT_EQ(set.size(), 20);
    const auto pixels = set.images().to_vector<float>();
    const auto labels = set.labels().to_vector<std::int64_t>();
    std::set<std::pair<int, int>> seen;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const int value = static_cast<int>(std::lround(pixels[i * 28 * 28] * 255));
      const int c = value / 25, r = value % 25;
      EXPECT_EQ(c, labels[i]) << "image " << i << " came from class " << c;
      EXPECT_EQ(r / 2, train ? 0 : 1) << "record " << r << " of class " << c << " is in the wrong set";
      for (std::size_t p = 0; p < 28 * 28; ++p) ASSERT_EQ(pixels[i * 28 * 28 + p], pixels[i * 28 * 28]);
      seen.insert({c, r});
    }
    EXPECT_EQ(seen.size(), 20u);
    EXPECT_FALSE(std::is_sorted(labels.begin(), labels.end())) << "labels are not shuffled";
  }

  std::vector<std::string> before;
  for (const char* f : kFiles) before.push_back(read_bytes(dir.path / "out" / f));
  const CommandResult second = run_shell(convert + " --train-per-class 2");
  ASSERT_EQ(second.status, 0) << second.output;
  for (std::size_t i = 0; i < before.size(); ++i)
    EXPECT_EQ(read_bytes(dir.path / "out" / kFiles[i]), before[i]) << kFiles[i] << " differs on a second run";
  for (const auto& entry : std::filesystem::directory_iterator(dir.path / "out"))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << "left behind: " << entry.path();

  const CommandResult usage = run_shell(std::string("node ") + D2L_SOURCE_DIR + "/scripts/fashion_mnist_to_idx.js");
  EXPECT_EQ(usage.status, 2);
  EXPECT_NE(usage.output.find("usage:"), std::string::npos) << usage.output;
}
