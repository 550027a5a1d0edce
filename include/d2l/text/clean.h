#pragma once
// The course's cleaning of English text before tokenizing, and the choice to keep text as is.
#include <string>
#include <string_view>

#include "d2l/text/lines.h"

namespace d2l::text {

enum class Clean {
  none,     // the lines as read
  letters,  // clean_letters on each line
};

// "none" or "letters"; anything else throws, naming it.
Clean parse_clean(std::string_view name);
const char* to_string(Clean clean);

// Python's re.sub('[^A-Za-z]+', ' ', line).strip().lower(): every run of characters other
// than the ASCII letters (digits, punctuation, accented and non-Latin letters, white space)
// becomes one space, then the ends are trimmed and the letters lower-cased.
std::string clean_letters(std::string_view line);

// Every line cleaned (into one new buffer); the replaced count is carried over.
Lines clean(const Lines& lines, Clean how);

}  // namespace d2l::text
