#pragma once
#include "command.h"

namespace d2l::chapters {

// `d2l tour`: every chapter with quick settings, files under out/, then a summary table.
std::unique_ptr<Command> make_tour_command();

}  // namespace d2l::chapters
