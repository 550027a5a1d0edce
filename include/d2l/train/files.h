#pragma once
// Output files are written whole or not at all: into a temporary beside the target, then
// renamed over it, so an interrupted run never leaves a half-written file.
#include <string>

namespace d2l::train {

void write_file_atomic(const std::string& path, const std::string& contents);
// Creates a directory and its parents; an error names the path if that fails.
void make_directories(const std::string& path);

}  // namespace d2l::train
