#include "core/csv.h"

#include <fmt/format.h>

namespace vigie::csv {

Result<std::vector<Record>> parse(std::string_view text, char separator) {
  std::vector<Record> records;
  std::size_t line = 1;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // byte order mark written by spreadsheets
  while (i < text.size()) {
    if (text[i] == '\n' || text[i] == '\r') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i, ++line;
      continue;
    }
    Record record{line, {}};
    while (true) {
      Cell cell{{}, line, record.cells.size() + 1};
      if (i < text.size() && text[i] == '"') {
        ++i;
        while (true) {
          if (i >= text.size()) {
            return Error::invalid(fmt::format("ligne {}, colonne {} : guillemet ouvrant sans guillemet fermant", cell.line, cell.column));
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell.value += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          cell.value += text[i++];
        }
        if (i < text.size() && text[i] != separator && text[i] != '\n' && text[i] != '\r') {
          return Error::invalid(fmt::format("ligne {}, colonne {} : caractère inattendu après un champ entre guillemets", line, cell.column));
        }
      } else {
        while (i < text.size() && text[i] != separator && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            return Error::invalid(fmt::format("ligne {}, colonne {} : guillemet au milieu d'un champ non entouré de guillemets", line, cell.column));
          }
          cell.value += text[i++];
        }
      }
      record.cells.push_back(std::move(cell));
      if (i < text.size() && text[i] == separator) {
        ++i;
        continue;
      }
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace vigie::csv
