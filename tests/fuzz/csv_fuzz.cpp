// libFuzzer target for the CSV reader (core/csv.h) and the data files built on it: the
// taxonomies (domain/taxonomy.h) and the search vocabulary (search/vocabulary.h) are read
// from CSV at start-up, and imports will be.
//
// Besides finding crashes, it checks that every record and cell names a line within the text,
// in order, and that cells are numbered from 1 within their record.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/csv.h"
#include "domain/taxonomy.h"
#include "search/vocabulary.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t lines = static_cast<std::size_t>(std::count(input.begin(), input.end(), '\n')) +
                            static_cast<std::size_t>(std::count(input.begin(), input.end(), '\r')) + 1;
  for (const char separator : {',', ';'}) {
    auto records = vigie::csv::parse(input, separator);
    if (!records.ok()) continue;
    std::size_t previous_line = 0;
    for (const auto& record : *records) {
      if (record.line <= previous_line || record.line > lines || record.cells.empty()) __builtin_trap();
      previous_line = record.line;
      for (std::size_t i = 0; i < record.cells.size(); ++i) {
        const auto& cell = record.cells[i];
        if (cell.column != i + 1 || cell.line < record.line || cell.line > lines) __builtin_trap();
      }
    }
  }
  static_cast<void>(vigie::domain::Taxonomy::parse("domaines", input, "domaines.csv"));
  static_cast<void>(vigie::search::Vocabulary::parse(input, "synonymes.csv"));
  return 0;
}
