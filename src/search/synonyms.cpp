#include "search/synonyms.h"

#include <fmt/format.h>

#include <map>

#include "core/csv.h"
#include "core/file.h"
#include "search/analysis.h"

namespace vigie::search {

Result<Synonyms> Synonyms::parse(std::string_view csv_text, std::string_view file) {
  auto records = csv::parse(csv_text);
  if (!records.ok()) return Error::invalid(fmt::format("{}, {}", file, records.error().message));
  Synonyms synonyms;
  std::map<std::string, std::size_t> line_of;  // normalised expression -> line
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& record = (*records)[r];
    const std::string& cell = record.cells.front().value;
    std::vector<Expression> group;
    std::size_t start = 0;
    while (start <= cell.size()) {
      const auto end = std::min(cell.find(';', start), cell.size());
      const std::string raw = cell.substr(start, end - start);
      Expression expression = words(raw);
      if (expression.empty()) {
        return Error::invalid(fmt::format("{}, ligne {} : l'expression « {} » est vide une fois normalisée", file, record.line, raw));
      }
      const std::string key = normalize(raw);
      if (auto seen = line_of.find(key); seen != line_of.end()) {
        return Error::invalid(fmt::format("{}, ligne {} : « {} » figure déjà ligne {}", file, record.line, raw, seen->second));
      }
      line_of.emplace(key, record.line);
      group.push_back(std::move(expression));
      start = end + 1;
    }
    if (group.size() < 2) return Error::invalid(fmt::format("{}, ligne {} : un groupe compte au moins deux expressions", file, record.line));
    synonyms.groups_.push_back(std::move(group));
  }
  return synonyms;
}

Result<Synonyms> Synonyms::load(const std::filesystem::path& file) {
  TRY_ASSIGN(const std::string text, read_file(file));
  return parse(text, file.string());
}

Synonyms::Match Synonyms::match_at(const std::vector<std::string>& query_words, std::size_t position) const {
  Match best;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (const auto& expression : groups_[g]) {
      if (expression.size() <= best.length || position + expression.size() > query_words.size()) continue;
      bool equal = true;
      for (std::size_t k = 0; k < expression.size() && equal; ++k) equal = query_words[position + k] == expression[k];
      if (equal) best = {g, expression.size()};
    }
  }
  return best;
}

}  // namespace vigie::search
