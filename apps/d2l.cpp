// The `d2l` command: one subcommand per course chapter program, plus `tour`.
// Bad flags exit 2; errors while running exit 1; both print one line on stderr.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "command.h"
#include "d2l/io/files.h"
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
  // Ctrl-C or a kill while a plot or metrics file is being written leaves the previous file
  // and no temporary beside it.
  d2l::io::remove_temporaries_on_signal();
  CommandLine command_line;
  int status = 0;
  Command* command = command_line.parse(argc, argv, std::cout, std::cerr, status);
  if (!command) return status;
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
