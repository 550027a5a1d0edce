// The `d2l` command: one subcommand per course chapter program, plus `tour`.
// Bad flags exit 2; errors while running exit 1; both print one line on stderr.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "command.h"
#include "d2l/memory.h"

// OpenMP threads that spin while they wait (libgomp's default) take a core from whatever
// else runs on the machine, and when it is busy each parallel region waits for a
// descheduled spinner: an MLP epoch measured 1.2 s passive against 4-8 s spinning on a
// loaded 2-core machine. libgomp reads OMP_WAIT_POLICY once, as it loads, so the program
// sets it and starts itself again. A policy the user set is kept.
static void prefer_passive_openmp_threads(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY")) return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  execv("/proc/self/exe", argv);  // returns only on failure: then run with the default policy
}

int main(int argc, char** argv) {
  using namespace d2l::chapters;
  prefer_passive_openmp_threads(argv);
  d2l::keep_freed_memory();
  CLI::App app{"d2l: the course's chapter programs (linear regression, ...) on the d2l C++ library", "d2l"};
  app.require_subcommand(1);
  auto commands = all_commands();
  std::string names;
  bool known = argc < 2 || argv[1][0] == '-';
  for (auto& command : commands) {
    command->add_options(*app.add_subcommand(command->name(), command->summary()));
    names += (names.empty() ? "" : ", ") + command->name();
    known = known || command->name() == argv[1];
  }
  if (!known) {
    std::cerr << "d2l: error: unknown chapter '" << argv[1] << "' (chapters: " << names << ")\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    for (char& c : message)
      if (c == '\n') c = ' ';
    std::cerr << "d2l: error: " << message << "\n";
    return 2;
  }
  for (auto& command : commands) {
    if (!app.got_subcommand(command->name())) continue;
    try {
      return command->run();
    } catch (const UsageError& e) {
      std::cerr << "d2l: error: " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "d2l " << command->name() << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  return 0;
}
