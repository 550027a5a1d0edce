#pragma once
// Output files are written whole or not at all: into a temporary beside the target, then
// renamed over it, so an interrupted run leaves the previous file (or none), never half of
// one. A program that wants Ctrl-C to leave no temporary behind either calls
// remove_temporaries_on_signal() once at start.
#include <string>
#include <string_view>

namespace d2l::io {

// Writes `contents` to `path` atomically, creating its directory if needed. An error names
// the path.
void write_file_atomic(const std::string& path, std::string_view contents);

// Creates a directory and its parents; an error names the path if that fails.
void make_directories(const std::string& path);

// Installs SIGINT and SIGTERM handlers that unlink the temporary of any write in flight and
// then end the process as the signal would have (same status the shell sees).
void remove_temporaries_on_signal();

}  // namespace d2l::io
