#include "d2l/data/csv.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "d2l/error.h"

namespace d2l::data {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Splits one line on commas; a field in double quotes may hold commas and "" for a quote.
// Nothing when a quote is left open (fields do not span lines here).
std::optional<std::vector<std::string>> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(trim(field));
      field.clear();
    } else {
      field += c;
    }
  }
  if (quoted) return std::nullopt;
  fields.push_back(trim(field));
  return fields;
}

}  // namespace

CsvTable CsvTable::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  D2L_CHECK(in, "cannot open ", path, ": ", std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  D2L_CHECK(!in.bad(), "cannot read ", path, ": ", std::strerror(errno));
  return parse(text.str(), path);
}

CsvTable CsvTable::parse(std::string_view text, const std::string& path) {
  CsvTable t;
  t.path_ = path;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string line(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_no;
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 byte order mark
    if (trim(line).empty()) continue;
    auto fields = split_fields(line);
    D2L_CHECK(fields, path, ":", line_no, ": a quoted field is not closed on its line (a quote opened, no quote "
              "closing it)");
    if (t.header_.empty()) {
      t.header_ = std::move(*fields);
      continue;
    }
    D2L_CHECK(fields->size() == t.header_.size(), path, ":", line_no, ": expected ", t.header_.size(),
              " fields (as in the header), found ", fields->size());
    t.cells_.push_back(std::move(*fields));
    t.line_numbers_.push_back(line_no);
  }
  D2L_CHECK(!t.header_.empty(), path, ": the file is empty (expected a header row)");
  D2L_CHECK(!t.cells_.empty(), path, ": no data rows after the header");
  return t;
}

std::vector<double> CsvTable::numeric_column(const std::string& name) const {
  std::size_t col = header_.size();
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) col = i;
  if (col == header_.size()) {
    std::string names;
    for (const auto& h : header_) names += (names.empty() ? "" : ", ") + h;
    throw Error(path_ + ": no column named '" + name + "' (columns: " + names + ")");
  }
  std::vector<double> values;
  values.reserve(cells_.size());
  for (std::size_t r = 0; r < cells_.size(); ++r) {
    const std::string& cell = cells_[r][col];
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(cell.c_str(), &end);
    D2L_CHECK(!cell.empty() && end == cell.c_str() + cell.size() && errno != ERANGE && std::isfinite(v), path_, ":",
              line_numbers_[r], ": column '", name, "' holds '", cell, "', which is not a finite number");
    values.push_back(v);
  }
  return values;
}

}  // namespace d2l::data
