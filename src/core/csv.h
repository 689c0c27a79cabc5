// A small RFC 4180 CSV reader that remembers where each value came from, so that errors in
// data files and imports can name the line and column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigie::csv {

struct Cell {
  std::string value;
  std::size_t line = 0;    // 1-based line of the cell's first character
  std::size_t column = 0;  // 1-based field index in its record
};

struct Record {
  std::size_t line = 0;  // 1-based line where the record starts
  std::vector<Cell> cells;
};

// Parses `text` (UTF-8, separator ',' by default, quotes '"' doubled inside quoted fields,
// CRLF or LF). Blank lines are skipped. On a malformed file returns `invalid` with a French
// message naming the line and column.
Result<std::vector<Record>> parse(std::string_view text, char separator = ',');

}  // namespace vigie::csv
