#include "search/vocabulary.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "core/csv.h"
#include "core/file.h"
#include "core/text.h"
#include "search/analysis.h"

namespace vigie::search {

namespace {

constexpr std::string_view kGroupsHeader = "expressions";
constexpr std::string_view kNonFilteringHeader = "expression";

// The expression as compared: stems of its content words, or of every word when leaving the
// function words out would leave a single word of a longer expression ("le chat").
std::optional<Vocabulary::Expression> make_expression(const std::string& raw) {
  Vocabulary::Expression expression;
  expression.text = std::string(text::trim(raw));
  expression.words = words(raw);
  if (expression.words.empty()) return std::nullopt;
  std::vector<std::string> content;
  for (const auto& word : expression.words) {
    if (!is_stopword(word)) content.push_back(word);
  }
  expression.keeps_function_words = content.empty() || (content.size() == 1 && expression.words.size() > 1);
  for (const auto& word : expression.keeps_function_words ? expression.words : content) expression.stems.push_back(stem(word));
  return expression;
}

}  // namespace

std::string expression_key(const Vocabulary::Expression& expression) {
  std::string key = expression.keeps_function_words ? "=" : "";
  for (const auto& word_stem : expression.stems) {
    if (!key.empty() && key != "=") key += ' ';
    key += word_stem;
  }
  return key;
}

Result<Vocabulary> Vocabulary::parse(std::string_view csv_text, std::string_view file) {
  auto records = csv::parse(csv_text);
  if (!records.ok()) return Error::invalid(fmt::format("{}, {}", file, records.error().message));
  Vocabulary vocabulary;
  if (records->empty()) return Error::invalid(fmt::format("{} : fichier vide (en-tête « expressions,note » attendu)", file));
  const std::string& header = records->front().cells.front().value;
  const bool non_filtering = header == kNonFilteringHeader;
  if (!non_filtering && header != kGroupsHeader) {
    return Error::invalid(fmt::format("{}, ligne 1 : en-tête « expressions,note » ou « expression,raison » attendu, « {} » trouvé", file, header));
  }
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& record = (*records)[r];
    const std::string& cell = record.cells.front().value;
    if (non_filtering) {
      auto expression = make_expression(cell);
      if (!expression) {
        return Error::invalid(fmt::format("{}, ligne {} : l'expression « {} » est vide une fois normalisée", file, record.line, cell));
      }
      vocabulary.non_filtering_by_first_stem_[expression->stems.front()].push_back(vocabulary.non_filtering_.size());
      vocabulary.non_filtering_.push_back(std::move(*expression));
      continue;
    }
    std::vector<Expression> group;
    std::set<std::string> keys;
    std::set<std::string> written;  // expressions as written, folded
    std::size_t start = 0;
    while (start <= cell.size()) {
      const auto end = std::min(cell.find(';', start), cell.size());
      const std::string raw = cell.substr(start, end - start);
      start = end + 1;
      auto expression = make_expression(raw);
      if (!expression) {
        return Error::invalid(fmt::format("{}, ligne {} : l'expression « {} » est vide une fois normalisée", file, record.line, raw));
      }
      if (!written.insert(text::fold(expression->text)).second) {
        return Error::invalid(fmt::format("{}, ligne {} : « {} » figure deux fois dans le groupe", file, record.line, expression->text));
      }
      // Two forms of one word ("dépôt", "dépôts", "SDRIF", "SDRIF-E") compare alike: the first
      // stands for both.
      if (keys.insert(expression_key(*expression)).second) group.push_back(std::move(*expression));
    }
    if (written.size() < 2) return Error::invalid(fmt::format("{}, ligne {} : un groupe compte au moins deux expressions", file, record.line));
    if (group.size() < 2) continue;  // forms of one word only: nothing to bring in
    vocabulary.groups_.push_back(std::move(group));
    vocabulary.index_group(vocabulary.groups_.size() - 1);
  }
  return vocabulary;
}

Result<Vocabulary> Vocabulary::load(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  if (error) return Error::unavailable(fmt::format("{} : dossier du vocabulaire illisible ({})", directory.string(), error.message()));
  std::sort(files.begin(), files.end());
  Vocabulary vocabulary;
  for (const auto& file : files) {
    TRY_ASSIGN(const std::string text, read_file(file));
    TRY_ASSIGN(Vocabulary part, parse(text, file.string()));
    vocabulary.merge(std::move(part));
  }
  return vocabulary;
}

void Vocabulary::merge(Vocabulary other) {
  for (auto& group : other.groups_) {
    groups_.push_back(std::move(group));
    index_group(groups_.size() - 1);
  }
  for (auto& expression : other.non_filtering_) {
    non_filtering_by_first_stem_[expression.stems.front()].push_back(non_filtering_.size());
    non_filtering_.push_back(std::move(expression));
  }
}

void Vocabulary::index_group(std::size_t group) {
  for (const auto& expression : groups_[group]) {
    const std::string key = expression_key(expression);
    auto& holders = groups_by_key_[key];
    if (holders.empty()) by_first_stem_[expression.stems.front()].push_back(expression);
    if (holders.empty() || holders.back() != group) holders.push_back(group);
  }
}

std::size_t Vocabulary::matched_length(const Expression& expression, const std::vector<std::string>& query_words,
                                       const std::vector<std::string>& stems, std::size_t position) {
  std::size_t q = position;
  for (std::size_t k = 0; k < expression.stems.size(); ++k) {
    // Function words of the query between content words are skipped ("collecte de déchets"
    // matches "collecte des déchets"), never before the first one.
    while (k > 0 && !expression.keeps_function_words && q < query_words.size() && is_stopword(query_words[q])) ++q;
    if (q >= query_words.size() || stems[q] != expression.stems[k]) return 0;
    ++q;
  }
  return q - position;
}

namespace {

std::vector<std::string> stems_of(const std::vector<std::string>& query_words) {
  std::vector<std::string> stems;
  stems.reserve(query_words.size());
  for (const auto& word : query_words) stems.push_back(stem(word));
  return stems;
}

}  // namespace

Vocabulary::Match Vocabulary::match_at(const std::vector<std::string>& query_words, std::size_t position) const {
  return match_at(query_words, stems_of(query_words), position);
}

Vocabulary::Match Vocabulary::match_at(const std::vector<std::string>& query_words, const std::vector<std::string>& stems,
                                       std::size_t position) const {
  Match best;
  if (position >= query_words.size()) return best;
  auto candidates = by_first_stem_.find(stems[position]);
  if (candidates == by_first_stem_.end()) return best;
  const Expression* matched = nullptr;
  for (const auto& expression : candidates->second) {
    const std::size_t length = matched_length(expression, query_words, stems, position);
    if (length > best.length) {
      best.length = length;
      matched = &expression;
    }
  }
  if (!matched) return best;
  const std::string key = expression_key(*matched);
  std::set<std::string> seen{key};
  for (const std::size_t group : groups_by_key_.at(key)) {
    for (const auto& expression : groups_[group]) {
      if (seen.insert(expression_key(expression)).second) best.related.push_back(&expression);
    }
  }
  return best;
}

std::size_t Vocabulary::non_filtering_at(const std::vector<std::string>& query_words, std::size_t position) const {
  return non_filtering_at(query_words, stems_of(query_words), position);
}

std::size_t Vocabulary::non_filtering_at(const std::vector<std::string>& query_words, const std::vector<std::string>& stems,
                                         std::size_t position) const {
  if (position >= query_words.size()) return 0;
  auto candidates = non_filtering_by_first_stem_.find(stems[position]);
  if (candidates == non_filtering_by_first_stem_.end()) return 0;
  std::size_t best = 0;
  for (const std::size_t index : candidates->second) best = std::max(best, matched_length(non_filtering_[index], query_words, stems, position));
  return best;
}

}  // namespace vigie::search
