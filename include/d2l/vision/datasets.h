#pragma once
// Fashion-MNIST and MNIST: ten-class image datasets stored as the four standard IDX files,
//   {train,t10k}-images-idx3-ubyte and {train,t10k}-labels-idx1-ubyte  (each raw or .gz),
// in one directory. Images load as float32 N x 1 x rows x cols in [0, 1] (pixel / 255, as
// torchvision's ToTensor), labels as int64 in [0, 10).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "d2l/data/dataloader.h"
#include "d2l/data/dataset.h"
#include "d2l/data/paths.h"
#include "d2l/tensor.h"

namespace d2l::vision {

// Any ten-class dataset in MNIST's file layout; FashionMNIST and MNIST only name it.
class IdxImageDataset : public data::Dataset {
 public:
  std::int64_t size() const override { return labels_.size(0); }
  data::Example get(std::int64_t index) const override;
  data::Example get_batch(const std::vector<std::int64_t>& indices) const override;

  // All images (N x 1 x rows x cols, float32) and all labels (N, int64).
  const Tensor& images() const { return images_; }
  const Tensor& labels() const { return labels_; }
  // The names of classes 0..9 when the files are recognized as the named dataset's own (the
  // size and first ten labels of its real train or test split), else empty: IDX files of
  // another dataset in the same layout do not borrow Fashion-MNIST's names.
  const std::vector<std::string>& class_names() const { return class_names_; }

 protected:
  // `name` and `how_to_get` word the error when the files are missing.
  IdxImageDataset(const std::string& root, bool train, const std::string& name, const std::string& how_to_get);
  // The real splits' sizes and first ten labels, and the names they earn when they match.
  struct Fingerprint {
    std::int64_t train_size, test_size;
    std::vector<std::int64_t> train_first, test_first;
  };
  void name_classes_if(const Fingerprint& fingerprint, bool train, const std::vector<std::string>& names);

 private:
  IdxImageDataset(std::string name, std::pair<Tensor, Tensor> images_labels);
  std::string name_;
  Tensor images_, labels_;
  std::vector<std::string> class_names_;
  data::TensorDataset rows_;  // the row gather behind get_batch
};

class FashionMNIST : public IdxImageDataset {
 public:
  // `root` holds the four files, e.g. data/fashion-mnist (scripts/fetch-data fashion-mnist).
  explicit FashionMNIST(const std::string& root, bool train = true);
  // torchvision's FashionMNIST.classes: "T-shirt/top", "Trouser", ..., "Ankle boot".
  static const std::vector<std::string> classes;
};

class MNIST : public IdxImageDataset {
 public:
  explicit MNIST(const std::string& root, bool train = true);
  // torchvision's MNIST.classes: "0 - zero", "1 - one", ..., "9 - nine".
  static const std::vector<std::string> classes;
};

// The course's text labels ('t-shirt', 'trouser', ..., 'ankle boot') for numeric labels.
std::vector<std::string> get_fashion_mnist_labels(const std::vector<std::int64_t>& labels);
std::vector<std::string> get_fashion_mnist_labels(const Tensor& labels);

// `auto [train_iter, test_iter] = load_data_fashion_mnist(256);`
struct TrainTestLoaders {
  data::DataLoader train;  // shuffled each epoch
  data::DataLoader test;   // in file order
};

// Fashion-MNIST from data_dir + "/fashion-mnist", in mini-batches.
TrainTestLoaders load_data_fashion_mnist(std::int64_t batch_size, int num_workers = 0,
                                         const std::string& data_dir = data::default_data_dir());

}  // namespace d2l::vision
