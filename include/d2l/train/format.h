#pragma once
// printf-style formatting into a std::string, for the course's '%d, %f' output lines.
#include <cstdio>
#include <string>

namespace d2l::train {

template <class... Args>
std::string format(const char* fmt, Args... args) {
  const int n = std::snprintf(nullptr, 0, fmt, args...);
  std::string s(static_cast<std::size_t>(n > 0 ? n : 0), '\0');
  std::snprintf(s.data(), s.size() + 1, fmt, args...);
  return s;
}

}  // namespace d2l::train
