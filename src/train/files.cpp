#include "d2l/train/files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "d2l/error.h"

namespace d2l::train {

void make_directories(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  D2L_CHECK(!ec, "cannot create directory ", path, ": ", ec.message());
}

void write_file_atomic(const std::string& path, const std::string& contents) {
  const std::filesystem::path target(path);
  if (target.has_parent_path()) make_directories(target.parent_path().string());
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    D2L_CHECK(out, "cannot write ", tmp, ": ", std::strerror(errno));
    out << contents;
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp);
      throw Error("cannot write " + path + ": " + std::strerror(errno));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    throw Error("cannot write " + path + ": " + ec.message());
  }
}

}  // namespace d2l::train
