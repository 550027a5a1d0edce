// The `d2l` command: one subcommand per course chapter program, plus `tour`.
// Bad flags exit 2; errors while running exit 1; both print one line on stderr.
#include <iostream>

#include "command.h"

int main(int argc, char** argv) {
  using namespace d2l::chapters;
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
