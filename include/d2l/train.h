#pragma once
// Everything in d2l::train.
#include "d2l/train/classify.h"
#include "d2l/train/diverged.h"
#include "d2l/io/files.h"
#include "d2l/train/format.h"
#include "d2l/train/images.h"
#include "d2l/train/metrics.h"
#include "d2l/train/plot.h"
#include "d2l/train/progress.h"
#include "d2l/train/rnn.h"
#include "d2l/train/timer.h"
#include "d2l/train/zipf.h"
