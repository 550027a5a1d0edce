// The CSV reader (src/data/csv.cpp): the table, then every column read as numbers.
#include <string>

#include "d2l/data/csv.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto table = d2l::data::CsvTable::parse(text, "fuzz.csv");
    if (table.rows() == 0 || table.header().empty()) fuzz::fail("a table without rows or columns");
    for (const auto& name : table.header()) {
      try {
        if (table.numeric_column(name).size() != table.rows()) fuzz::fail("column length");
      } catch (const d2l::Error& e) {
        fuzz::check_message(e);
      }
    }
  } catch (const d2l::Error& e) {
    fuzz::check_message(e);
  }
  return 0;
}
