#include "d2l/text/vocab.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "d2l/error.h"
#include "d2l/io/files.h"
#include "count_tokens.h"
#include "interner.h"
#include "scan.h"

namespace d2l::text {

namespace {

constexpr std::string_view kUnk = "<unk>";
constexpr std::string_view kHeader = "d2l-vocab 1 min_freq=";

std::string escape(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (const char c : token) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Vocab::Vocab() : idx_to_token_{std::string(kUnk)}, slots_(2, -1) { insert(0); }

std::size_t Vocab::slot_of(std::string_view token) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = Interner::hash(token) & mask;
  while (slots_[i] >= 0 && idx_to_token_[static_cast<std::size_t>(slots_[i])] != token) i = (i + 1) & mask;
  return i;
}

bool Vocab::insert(std::int64_t index) {
  const std::size_t slot = slot_of(idx_to_token_[static_cast<std::size_t>(index)]);
  if (slots_[slot] >= 0) return false;
  slots_[slot] = index;
  return true;
}

Vocab::Vocab(const Tokens& tokens, std::int64_t min_freq, std::vector<std::string> reserved_tokens) {
  Interner interner(expected_distinct(tokens.lines().views(), tokens.kind()));
  count_tokens(tokens.lines().views(), tokens.kind(), interner);
  *this = from_counts(interner.sorted_entries(), min_freq, std::move(reserved_tokens));
}

Vocab::Vocab(const std::vector<std::string>& tokens, std::int64_t min_freq, std::vector<std::string> reserved_tokens) {
  Interner interner;
  for (const auto& token : tokens) interner.add(token);
  *this = from_counts(interner.sorted_entries(), min_freq, std::move(reserved_tokens));
}

Vocab::Vocab(const std::vector<std::vector<std::string>>& tokens, std::int64_t min_freq,
             std::vector<std::string> reserved_tokens) {
  Interner interner;
  for (const auto& line : tokens)
    for (const auto& token : line) interner.add(token);
  *this = from_counts(interner.sorted_entries(), min_freq, std::move(reserved_tokens));
}

Vocab Vocab::from_counts(std::vector<TokenFreq> counts, std::int64_t min_freq, std::vector<std::string> reserved_tokens) {
  for (std::size_t i = 0; i < reserved_tokens.size(); ++i) {
    D2L_CHECK(reserved_tokens[i] != kUnk, "Vocab: \"<unk>\" is always index 0; it cannot be a reserved token");
    D2L_CHECK(std::find(reserved_tokens.begin(), reserved_tokens.begin() + i, reserved_tokens[i]) == reserved_tokens.begin() + i,
              "Vocab: the reserved token \"", reserved_tokens[i], "\" is given twice");
  }
  // Stable: equal counts keep their order of first appearance, as Python's sorted does.
  const auto more = [](const TokenFreq& a, const TokenFreq& b) { return a.second > b.second; };
  if (!std::is_sorted(counts.begin(), counts.end(), more)) std::stable_sort(counts.begin(), counts.end(), more);

  Vocab v;
  v.min_freq_ = min_freq;
  v.idx_to_token_.reserve(1 + reserved_tokens.size() + counts.size());
  v.idx_to_token_.insert(v.idx_to_token_.end(), reserved_tokens.begin(), reserved_tokens.end());
  std::size_t capacity = 2;  // at most 70% full
  while (7 * capacity < 10 * v.idx_to_token_.capacity()) capacity *= 2;
  v.slots_.assign(capacity, -1);
  for (std::int64_t i = 0; i < v.size(); ++i) v.insert(i);
  for (const auto& [token, freq] : counts) {
    if (freq < min_freq) break;
    v.idx_to_token_.push_back(token);
    if (!v.insert(v.size() - 1)) v.idx_to_token_.pop_back();  // "<unk>" or a reserved token
  }
  v.token_freqs_ = std::move(counts);
  v.reserved_ = std::move(reserved_tokens);
  return v;
}

std::int64_t Vocab::index(std::string_view token) const {
  const std::int64_t found = slots_[slot_of(token)];
  return found >= 0 ? found : unk();
}

std::vector<std::int64_t> Vocab::indices(std::span<const std::string_view> tokens) const {
  std::vector<std::int64_t> out;
  out.reserve(tokens.size());
  for (const auto token : tokens) out.push_back(index(token));
  return out;
}

std::vector<std::int64_t> Vocab::indices(const TokenView& tokens) const {
  std::vector<std::int64_t> out;
  out.reserve(token_capacity(tokens.lines(), tokens.kind()));
  // One-byte tokens (characters of English, or "a") are looked up once each.
  std::array<std::int64_t, 128> ascii;
  ascii.fill(-1);
  scan::for_each_token(tokens.lines(), tokens.kind(), [&](std::string_view token) {
    const auto b = static_cast<unsigned char>(token[0]);
    if (token.size() > 1 || b >= 0x80) out.push_back(index(token));
    else out.push_back(ascii[b] >= 0 ? ascii[b] : (ascii[b] = index(token)));
  });
  return out;
}

std::vector<std::int64_t> Vocab::indices(const std::vector<std::string>& tokens) const {
  std::vector<std::int64_t> out;
  out.reserve(tokens.size());
  for (const auto& token : tokens) out.push_back(index(token));
  return out;
}

const std::string& Vocab::to_token(std::int64_t index) const {
  D2L_CHECK(index >= 0 && index < size(), "Vocab: index ", index, " is out of range for a vocabulary of ", size(),
            " tokens");
  return idx_to_token_[static_cast<std::size_t>(index)];
}

std::vector<std::string> Vocab::to_tokens(std::span<const std::int64_t> indices) const {
  std::vector<std::string> out;
  out.reserve(indices.size());
  for (const auto index : indices) out.push_back(to_token(index));
  return out;
}

void Vocab::save(const std::string& path) const {
  std::ostringstream out;
  out << kHeader << min_freq_ << '\n';
  for (std::size_t i = 0; i <= reserved_.size(); ++i) out << escape(idx_to_token_[i]) << "\t-\n";
  for (const auto& [token, freq] : token_freqs_) out << escape(token) << '\t' << freq << '\n';
  io::write_file_atomic(path, out.str());
}

namespace {

// A whole decimal number (with from_chars' rules: no spaces, no '+'); false for anything else.
bool parse_int(std::string_view s, std::int64_t& value) {
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  return error == std::errc() && end == s.data() + s.size();
}

// The token before the tab, unescaped; an error message (empty when fine) otherwise.
std::string unescape(std::string_view s, std::string& token) {
  token.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      token += s[i];
      continue;
    }
    if (++i == s.size()) return "a backslash at the end of the token";
    switch (s[i]) {
      case '\\': token += '\\'; break;
      case 't': token += '\t'; break;
      case 'n': token += '\n'; break;
      case 'r': token += '\r'; break;
      default: return detail::concat("unknown escape \\", s[i], " (only \\\\ \\t \\n \\r)");
    }
  }
  return "";
}

}  // namespace

Vocab Vocab::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  D2L_CHECK(in, "cannot open ", path, ": ", std::strerror(errno));
  std::string line, token;
  std::size_t line_no = 0;
  const auto fail = [&](const std::string& what) {
    throw Error(detail::concat(path, ":", line_no, ": not a vocabulary file: ", what));
  };

  std::int64_t min_freq = 0;
  std::vector<std::string> specials;
  std::vector<TokenFreq> counts;
  std::unordered_set<std::string> seen;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // a raw CR is never part of a token
    if (line_no == 1) {
      const std::string_view head(line);
      if (head.substr(0, kHeader.size()) != kHeader || !parse_int(head.substr(kHeader.size()), min_freq))
        fail(detail::concat("expected the header \"", kHeader, "N\", got \"", line, "\""));
      continue;
    }
    const auto tab = line.find('\t');
    if (tab == std::string::npos || line.find('\t', tab + 1) != std::string::npos)
      fail("expected a token, a tab and a count, got \"" + line + "\"");
    if (const auto error = unescape(std::string_view(line).substr(0, tab), token); !error.empty()) fail(error);
    const std::string_view count = std::string_view(line).substr(tab + 1);
    if (count == "-") {
      if (!counts.empty()) fail("the reserved token \"" + token + "\" comes after counted tokens");
      if (specials.empty() && token != kUnk) fail("the first token must be <unk>, got \"" + token + "\"");
      if (std::find(specials.begin(), specials.end(), token) != specials.end())
        fail("the reserved token \"" + token + "\" is given twice");
      specials.push_back(token);
      continue;
    }
    std::int64_t freq = 0;
    if (!parse_int(count, freq) || freq < 1) fail("expected a count of at least 1 or \"-\", got \"" + std::string(count) + "\"");
    if (specials.empty()) fail("the first token must be <unk> with count \"-\"");
    if (!counts.empty() && freq > counts.back().second) fail("counts must not increase (" + std::to_string(freq) + " after " + std::to_string(counts.back().second) + ")");
    if (!seen.insert(token).second) fail("the token \"" + token + "\" is given twice");
    counts.emplace_back(token, freq);
  }
  D2L_CHECK(!in.bad(), "cannot read ", path, ": ", std::strerror(errno));
  D2L_CHECK(line_no > 0, path, ": not a vocabulary file: it is empty");
  if (specials.empty()) fail("no <unk> entry");
  specials.erase(specials.begin());
  return from_counts(std::move(counts), min_freq, std::move(specials));
}

}  // namespace d2l::text
