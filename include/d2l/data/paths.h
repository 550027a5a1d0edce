#pragma once
// Where datasets live on disk.
#include <string>

namespace d2l::data {

// $D2L_DATA when it is set and not empty, else "data" (relative to the working directory):
// the same rule scripts/fetch-data follows, so what it fetches is found here.
std::string default_data_dir();

}  // namespace d2l::data
