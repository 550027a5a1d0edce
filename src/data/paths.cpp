#include "d2l/data/paths.h"

#include <cstdlib>

namespace d2l::data {

std::string default_data_dir() {
  const char* dir = std::getenv("D2L_DATA");
  return dir && *dir ? dir : "data";
}

}  // namespace d2l::data
