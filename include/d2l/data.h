#pragma once
// Everything in d2l::data.
#include "d2l/data/dataloader.h"
#include "d2l/data/csv.h"
#include "d2l/data/dataset.h"
#include "d2l/data/paths.h"
