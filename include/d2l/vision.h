#pragma once
// Everything in d2l::vision.
#include "d2l/vision/datasets.h"
#include "d2l/vision/idx.h"
