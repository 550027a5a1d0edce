#pragma once
// Zipf's law, as the course plots it: the frequency of the r-th most frequent n-gram against
// r, both axes logarithmic, one line per n (unigrams, bigrams, trigrams). A plot, so it lives
// here above text, whose n-gram counts it draws.
#include <cstdint>
#include <span>
#include <string>

#include "d2l/text/ngrams.h"
#include "d2l/train/plot.h"

namespace d2l::train {

// The line of one frequency list (most frequent first) as (rank, frequency) points, rank from
// 1. A run of equal frequencies keeps only its first and last rank (the line between them is
// flat), so 200,000 n-grams draw as a few thousand points with the same picture.
Series zipf_series(std::span<const std::int64_t> frequencies, std::string label);

// The SVG: one line per counter, labelled "unigram", "bigram", "trigram" or "n-gram", axes
// "token: x" and "frequency: n(x)" as in the course's figure.
std::string zipf_plot_svg(std::span<const text::NgramCounter> counters);
// Writes that SVG atomically to `path`.
void save_zipf_plot(const std::string& path, std::span<const text::NgramCounter> counters);

}  // namespace d2l::train
