#pragma once
// d2l::Error and the checks that raise it. Messages name the op, the shapes or values
// involved, and what to do; the command line prints them as one line and exits non-zero.
#include <sstream>
#include <stdexcept>
#include <string>

namespace d2l {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace detail {
template <class... Args>
std::string concat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}
}  // namespace detail

}  // namespace d2l

// D2L_CHECK(cond, "op: ", a, " and ", b): throws d2l::Error with the pieces joined.
#define D2L_CHECK(cond, ...)                                         \
  do {                                                               \
    if (!(cond)) throw ::d2l::Error(::d2l::detail::concat(__VA_ARGS__)); \
  } while (0)
