#pragma once
// Everything in d2l::nn.
#include "d2l/nn/activation.h"
#include "d2l/nn/dropout.h"
#include "d2l/nn/embedding.h"
#include "d2l/nn/flatten.h"
#include "d2l/nn/init.h"
#include "d2l/nn/linear.h"
#include "d2l/nn/loss.h"
#include "d2l/nn/module.h"
#include "d2l/nn/rnn.h"
#include "d2l/nn/sequential.h"
