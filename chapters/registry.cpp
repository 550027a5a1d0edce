#include "activations.h"
#include "classify.h"
#include "command.h"
#include "linreg.h"
#include "rnn.h"
#include "text.h"
#include "tour.h"

namespace d2l::chapters {

std::vector<std::unique_ptr<Command>> all_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_linreg_scratch_command());
  commands.push_back(make_linreg_concise_command());
  commands.push_back(make_softmax_scratch_command());
  commands.push_back(make_softmax_concise_command());
  commands.push_back(make_activations_command());
  commands.push_back(make_mlp_scratch_command());
  commands.push_back(make_mlp_concise_command());
  commands.push_back(make_text_command());
  commands.push_back(make_lm_command());
  commands.push_back(make_rnn_scratch_command());
  commands.push_back(make_rnn_concise_command());
  commands.push_back(make_tour_command());
  return commands;
}

}  // namespace d2l::chapters
