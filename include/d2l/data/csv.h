#pragma once
// A small CSV reader for numeric tables: a header row, then one record per line.
// Errors name the file, the line and the column.
#include <string>
#include <string_view>
#include <vector>

namespace d2l::data {

class CsvTable {
 public:
  static CsvTable read(const std::string& path);
  // The same from text in memory; `path` is only for messages.
  static CsvTable parse(std::string_view text, const std::string& path);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return cells_.size(); }
  // The named column as numbers; an error names the file, line and column of a bad cell,
  // or lists the columns there are when the name is unknown.
  std::vector<double> numeric_column(const std::string& name) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> cells_;  // rows of fields
  std::vector<std::size_t> line_numbers_;        // each row's line in the file, for errors
};

}  // namespace d2l::data
