#pragma once
// What the harnesses share. Each one feeds a parser of outside input and accepts exactly two
// outcomes: a result, or a d2l::Error with a one-line message. Anything else (a crash, a
// sanitizer report, another exception, a hang, an allocation past libFuzzer's limits) is a
// bug the fuzzer reports.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "d2l/error.h"

namespace fuzz {

// Stops with a message libFuzzer keeps beside the crashing input.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz check failed: %s %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// A d2l::Error must be one line that says something.
inline void check_message(const d2l::Error& e) {
  const std::string_view m = e.what();
  if (m.empty() || m.find('\n') != std::string_view::npos) fail("error message not one line:", m);
}

// A file of this process's own for parsers that read a path (one per process, so parallel
// fuzzing jobs do not share it).
inline const std::string& scratch_path(const char* name) {
  static const std::string path = "/tmp/d2l-fuzz-" + std::string(name) + "-" + std::to_string(::getpid());
  return path;
}

inline void write_file(const std::string& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fail("cannot write the scratch file", path);
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) fail("short write", path);
  std::fclose(f);
}

}  // namespace fuzz
