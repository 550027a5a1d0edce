#include "d2l/autograd.h"

namespace d2l {

static thread_local bool grad_enabled = true;

bool is_grad_enabled() { return grad_enabled; }
void set_grad_enabled(bool enabled) { grad_enabled = enabled; }

}  // namespace d2l
