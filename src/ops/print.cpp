// PyTorch's tensor repr (torch/_tensor_str.py): one formatter picks integer, fixed or
// scientific notation for the whole tensor, values right-aligned to a common width,
// lines wrapped at 80 columns, tensors over 1000 elements summarised with "...".
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "d2l/autograd.h"
#include "d2l/tensor.h"

namespace d2l {

namespace {

constexpr int kPrecision = 4;
constexpr int kLinewidth = 80;
constexpr std::int64_t kThreshold = 1000;
constexpr std::int64_t kEdgeItems = 3;

std::string printf_str(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, kPrecision, v);
  return buf;
}

std::string fixed0_str(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string nonfinite_str(double v) { return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"); }

class Formatter {
 public:
  Formatter(const std::vector<double>& values, DType dtype) : floating_(is_floating(dtype)), bool_(dtype == kBool) {
    if (!floating_) {
      for (double v : values) width_ = std::max(width_, raw(v).size());
      return;
    }
    std::vector<double> finite;
    for (double v : values)
      if (std::isfinite(v) && v != 0) finite.push_back(v);
    if (finite.empty()) return;
    double lo = INFINITY, hi = 0;
    for (double v : finite) {
      lo = std::min(lo, std::abs(v));
      hi = std::max(hi, std::abs(v));
      if (v != std::ceil(v)) int_mode_ = false;
    }
    sci_mode_ = hi / lo > 1000.0 || hi > 1e8 || (!int_mode_ && lo < 1e-4);
    for (double v : finite) {
      const std::size_t w = sci_mode_ ? printf_str("%.*e", v).size()
                            : int_mode_ ? fixed0_str(v).size() + 1
                                        : printf_str("%.*f", v).size();
      width_ = std::max(width_, w);
    }
  }

  std::size_t width() const { return width_; }

  std::string format(double v) const {
    std::string s = raw(v);
    return std::string(width_ > s.size() ? width_ - s.size() : 0, ' ') + s;
  }

 private:
  std::string raw(double v) const {
    if (bool_) return v != 0 ? "True" : "False";
    if (!floating_) return std::to_string(static_cast<std::int64_t>(v));
    if (!std::isfinite(v)) return nonfinite_str(v);
    if (sci_mode_) return printf_str("%.*e", v);
    if (int_mode_) return fixed0_str(v) + ".";
    return printf_str("%.*f", v);
  }

  bool floating_, bool_;
  bool int_mode_ = true, sci_mode_ = false;
  std::size_t width_ = 1;
};

std::vector<double> values_of(const Tensor& t) { return t.to_vector<double>(); }

// The edge items only, as PyTorch's get_summarized_data.
std::vector<double> summarized_values(const Tensor& t) {
  if (t.dim() == 0) return values_of(t);
  if (t.size(0) > 2 * kEdgeItems) {
    std::vector<double> out;
    for (std::int64_t i = 0; i < t.size(0); ++i) {
      if (i == kEdgeItems) i = t.size(0) - kEdgeItems;
      auto part = t.dim() == 1 ? values_of(t.select(0, i)) : summarized_values(t.select(0, i));
      out.insert(out.end(), part.begin(), part.end());
    }
    return out;
  }
  std::vector<double> out;
  for (std::int64_t i = 0; i < t.size(0); ++i) {
    auto part = t.dim() == 1 ? values_of(t.select(0, i)) : summarized_values(t.select(0, i));
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::string vector_str(const Tensor& t, int indent, bool summarize, const Formatter& f) {
  const std::size_t element_length = f.width() + 2;
  const std::size_t per_line = std::max<std::size_t>(1, (kLinewidth - indent) / element_length);
  std::vector<std::string> data;
  const std::int64_t n = t.size(0);
  for (std::int64_t i = 0; i < n; ++i) {
    if (summarize && n > 2 * kEdgeItems && i == kEdgeItems) {
      data.push_back(" ...");
      i = n - kEdgeItems;
    }
    data.push_back(f.format(t.at({i})));
  }
  std::string out = "[";
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (i > 0) out += (i % per_line == 0) ? ",\n" + std::string(indent + 1, ' ') : ", ";
    out += data[i];
  }
  return out + "]";
}

std::string tensor_str(const Tensor& t, int indent, bool summarize, const Formatter& f) {
  if (t.dim() == 0) return f.format(t.item<double>());
  if (t.dim() == 1) return vector_str(t, indent, summarize, f);
  std::vector<std::string> slices;
  const std::int64_t n = t.size(0);
  for (std::int64_t i = 0; i < n; ++i) {
    if (summarize && n > 2 * kEdgeItems && i == kEdgeItems) {
      slices.push_back("...");
      i = n - kEdgeItems;
    }
    slices.push_back(tensor_str(t.select(0, i), indent + 1, summarize, f));
  }
  // Built by appends: GCC 12's -Wrestrict misfires on "," + std::string(...) here.
  std::string sep = ",";
  sep.append(static_cast<std::size_t>(t.dim() - 1), '\n').append(static_cast<std::size_t>(indent + 1), ' ');
  std::string out = "[";
  for (std::size_t i = 0; i < slices.size(); ++i) out += (i ? sep : "") + slices[i];
  return out + "]";
}

std::string tuple_str(const Shape& s) {
  std::string out = "(";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

}  // namespace

std::string Tensor::to_string() const {
  if (!defined()) return "tensor(undefined)";
  const std::string prefix = "tensor(";
  const int indent = static_cast<int>(prefix.size());
  const Tensor t = detach();
  std::vector<std::string> suffixes;
  std::string body;
  const bool default_dtype = dtype() == kFloat32 || dtype() == kInt64 || dtype() == kBool;
  if (numel() == 0) {
    if (dim() != 1) suffixes.push_back("size=" + tuple_str(shape()));
    if (dtype() != kFloat32) suffixes.push_back("dtype=" + dtype_name(dtype()));
    body = "[]";
  } else {
    const bool summarize = numel() > kThreshold;
    const Formatter f(summarize ? summarized_values(t) : values_of(t), dtype());
    body = tensor_str(t, indent, summarize, f);
    if (!default_dtype) suffixes.push_back("dtype=" + dtype_name(dtype()));
  }
  if (grad_fn()) suffixes.push_back(std::string("grad_fn=<") + grad_fn()->name + ">");
  else if (requires_grad()) suffixes.push_back("requires_grad=True");

  std::string out = prefix + body;
  const auto newline = out.rfind('\n');
  // As PyTorch counts it: len(s) - s.rfind('\n') + 1, where rfind gives -1 when there is none.
  std::size_t last_line_len = newline == std::string::npos ? out.size() + 2 : out.size() - newline + 1;
  for (const auto& s : suffixes) {
    if (last_line_len + s.size() + 2 > kLinewidth) {
      out += ",\n" + std::string(indent, ' ') + s;
      last_line_len = indent + s.size();
    } else {
      out += ", " + s;
      last_line_len += s.size() + 2;
    }
  }
  return out + ")";
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.to_string(); }

}  // namespace d2l
