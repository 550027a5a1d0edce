// The `d2l` command line (chapters/command.cpp and every chapter's flags, parsed by CLI11):
// the input is split on NUL bytes into argv. Parsing must choose a chapter, print help, or
// print one error line and give status 2; the chapter is not run.
#include <sstream>
#include <string>
#include <vector>

#include "command.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> words{"d2l"};
  std::string word;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\0') {
      words.push_back(word);
      word.clear();
    } else {
      word += static_cast<char>(data[i]);
    }
  }
  if (size) words.push_back(word);
  if (words.size() > 64) return 0;  // long command lines only repeat what short ones test
  std::vector<const char*> argv;
  for (const auto& w : words) argv.push_back(w.c_str());
  argv.push_back(nullptr);

  std::ostringstream out, err;
  int status = -1;
  try {
    d2l::chapters::CommandLine command_line;
    d2l::chapters::Command* command =
        command_line.parse(static_cast<int>(words.size()), argv.data(), out, err, status);
    if (command) return 0;
    const std::string e = err.str();
    if (status == 2 && (e.empty() || e.find('\n') != e.size() - 1)) fuzz::fail("error not one line:", e);
    if (status != 0 && status != 2) fuzz::fail("unexpected status");
  } catch (const std::exception& e) {
    fuzz::fail("parse threw:", e.what());
  }
  return 0;
}
