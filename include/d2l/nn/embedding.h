#pragma once
#include <cstdint>
#include <string>

#include "d2l/nn/module.h"

namespace d2l::nn {

// A lookup table: row i of `weight` (num_embeddings x embedding_dim) is the vector of index i.
// PyTorch's default init: weight ~ N(0, 1).
class Embedding : public Module {
 public:
  // dtype: the weight's (PyTorch's dtype= factory argument), kFloat32 or kFloat64.
  Embedding(std::int64_t num_embeddings, std::int64_t embedding_dim, DType dtype = kFloat32);
  // int64 indices of any shape -> indices.shape + [embedding_dim].
  Tensor forward(const Tensor& indices) override;
  std::string type_name() const override { return "Embedding"; }
  std::string extra_repr() const override;
  void reset_parameters();

  std::int64_t num_embeddings, embedding_dim;
  Tensor weight;
};

}  // namespace d2l::nn
