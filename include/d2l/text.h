#pragma once
// Everything in d2l::text.
#include "d2l/text/clean.h"
#include "d2l/text/corpus.h"
#include "d2l/text/lines.h"
#include "d2l/text/lm_data.h"
#include "d2l/text/ngrams.h"
#include "d2l/text/py_random.h"
#include "d2l/text/samplers.h"
#include "d2l/text/tokenize.h"
#include "d2l/text/utf8.h"
#include "d2l/text/vocab.h"
