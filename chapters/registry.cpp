#include "command.h"
#include "linreg.h"
#include "tour.h"

namespace d2l::chapters {

std::vector<std::unique_ptr<Command>> all_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_linreg_scratch_command());
  commands.push_back(make_linreg_concise_command());
  commands.push_back(make_tour_command());
  return commands;
}

}  // namespace d2l::chapters
