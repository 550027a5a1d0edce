#pragma once
// Everything in d2l::optim.
#include "d2l/optim/adam.h"
#include "d2l/optim/clip_grad.h"
#include "d2l/optim/optimizer.h"
#include "d2l/optim/sgd.h"
