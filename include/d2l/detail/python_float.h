#pragma once
// Python's repr of a float, for printing modules and options the way PyTorch does: the
// shortest digits that round-trip, positional when the decimal exponent is in [-4, 16)
// ("0.5", "0.0001", "1.0") and scientific otherwise ("1e-05", "1.5e+16").
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace d2l::detail {

inline std::string python_float_repr(double d) {
  if (!std::isfinite(d)) return std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf");
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string sci(buf, result.ptr);  // "-1.2345e-05": sign, digits with one before the point, exponent
  const std::size_t e = sci.find('e');
  const int exponent = std::stoi(sci.substr(e + 1));
  const bool negative = sci[0] == '-';
  std::string digits;
  for (std::size_t i = negative ? 1 : 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    out.append(digits, 0, 1);
    if (digits.size() > 1) out.append(".").append(digits, 1);
    const int a = std::abs(exponent);
    out.append(exponent < 0 ? "e-" : "e+").append(a < 10 ? "0" : "").append(std::to_string(a));
  } else if (exponent < 0) {
    out.append("0.").append(static_cast<std::size_t>(-exponent - 1), '0').append(digits);
  } else {
    const std::size_t point = static_cast<std::size_t>(exponent) + 1;
    if (digits.size() <= point) out.append(digits).append(point - digits.size(), '0').append(".0");
    else out.append(digits, 0, point).append(".").append(digits, point);
  }
  return out;
}

}  // namespace d2l::detail
