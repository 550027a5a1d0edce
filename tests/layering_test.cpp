// Dependencies run one way: core -> kernels / autograd -> ops -> nn / optim / data / text /
// vision -> train -> chapters -> app. This reads every #include "..." of the sources and
// public headers and fails on any that points up (or sideways where that is not allowed).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>

namespace {

namespace fs = std::filesystem;

// The rank of a layer: a file may include headers of its own layer or of lower ranks.
// nn, optim, data, text and vision share one rank (training code combines them freely).
std::optional<int> rank_of_layer(const std::string& layer) {
  static const std::map<std::string, int> ranks = {
      {"core", 0},  {"io", 1},     {"kernels", 1}, {"autograd", 1}, {"ops", 2},      {"nn", 3},
      {"optim", 3}, {"data", 3},   {"text", 3},    {"vision", 3},   {"train", 4},    {"chapters", 5},
      {"apps", 6},
  };
  auto it = ranks.find(layer);
  if (it == ranks.end()) return std::nullopt;
  return it->second;
}

// The layer of a public header (d2l/...) or of a private one (kernels/cpu/..., ops/...).
std::optional<std::string> layer_of_include(const std::string& path) {
  static const std::map<std::string, std::string> public_top = {
      {"d2l/autograd.h", "autograd"}, {"d2l/ops.h", "ops"},     {"d2l/nn.h", "nn"},         {"d2l/optim.h", "optim"},
      {"d2l/data.h", "data"},         {"d2l/text.h", "text"},   {"d2l/vision.h", "vision"}, {"d2l/train.h", "train"},
  };
  if (auto it = public_top.find(path); it != public_top.end()) return it->second;
  if (path.rfind("d2l/", 0) == 0) {
    const std::string rest = path.substr(4);
    const auto slash = rest.find('/');
    if (slash == std::string::npos || rest.substr(0, slash) == "detail") return "core";  // d2l/tensor.h, ...
    return rest.substr(0, slash);                                                         // d2l/nn/linear.h
  }
  const auto slash = path.find('/');
  if (slash == std::string::npos) return std::nullopt;  // a header beside the file
  return path.substr(0, slash);                         // kernels/cpu/kernels.h, ops/ops_util.h
}

// The layer a file belongs to, from its place in the tree.
std::optional<std::string> layer_of_file(const fs::path& relative) {
  auto it = relative.begin();
  const std::string top = it->string();
  if (top == "chapters" || top == "apps") return top;
  if (++it == relative.end()) return std::nullopt;
  if (top == "src") return it->string();
  if (top == "include") {
    const std::string rest = relative.lexically_relative("include").generic_string();
    return layer_of_include(rest);
  }
  return std::nullopt;
}

TEST(Layering, EveryIncludePointsDown) {
  const fs::path root = D2L_SOURCE_DIR;
  const std::regex include_line(R"re(^\s*#\s*include\s+"([^"]+)")re");
  int files = 0, includes = 0;
  for (const char* top : {"src", "include", "chapters", "apps"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file()) continue;
      const std::string ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".cpp") continue;
      const fs::path relative = entry.path().lexically_relative(root);
      const auto layer = layer_of_file(relative);
      ASSERT_TRUE(layer && rank_of_layer(*layer)) << relative << " is in no known layer";
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      std::smatch m;
      while (std::getline(in, line)) {
        if (!std::regex_search(line, m, include_line)) continue;
        const auto target = layer_of_include(m[1]);
        if (!target) continue;
        const auto rank = rank_of_layer(*target);
        ASSERT_TRUE(rank) << relative << " includes \"" << m[1] << "\" of unknown layer " << *target;
        ++includes;
        EXPECT_LE(*rank, *rank_of_layer(*layer))
            << relative << " (" << *layer << ") includes \"" << m[1] << "\" (" << *target << "), a layer above it";
      }
    }
  }
  EXPECT_GT(files, 100);
  EXPECT_GT(includes, 200);
}

}  // namespace
