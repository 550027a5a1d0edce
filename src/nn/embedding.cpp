#include "d2l/nn/embedding.h"

#include "d2l/nn/init.h"
#include "d2l/ops.h"

namespace d2l::nn {

Embedding::Embedding(std::int64_t n, std::int64_t dim, DType dtype) : num_embeddings(n), embedding_dim(dim) {
  D2L_CHECK(n >= 0 && dim >= 0, "Embedding: num_embeddings and embedding_dim must be non-negative, got ", n, " and ",
            dim);
  D2L_CHECK(is_floating(dtype), "Embedding: weight must be floating point, got ", dtype_name(dtype));
  weight = register_parameter("weight", empty({n, dim}, dtype));
  reset_parameters();
}

void Embedding::reset_parameters() { init::normal_(weight); }

Tensor Embedding::forward(const Tensor& indices) { return embedding(weight, indices); }

std::string Embedding::extra_repr() const {
  return std::to_string(num_embeddings) + ", " + std::to_string(embedding_dim);
}

}  // namespace d2l::nn
