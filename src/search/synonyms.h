// Synonyms and acronyms applied at query time (data/synonymes.csv): each line is a group of
// equivalent expressions separated by ';' ("chatbot;agent conversationnel"). A query
// containing one expression of a group matches any of them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigie::search {

class Synonyms {
 public:
  Synonyms() = default;
  // Parses the file. Fails with `invalid` naming the file and line: a group with fewer than two
  // expressions, an expression that normalises to nothing, an expression in two groups.
  static Result<Synonyms> parse(std::string_view csv_text, std::string_view file);
  static Result<Synonyms> load(const std::filesystem::path& file);

  // Each group's expressions, as normalised word lists (search/analysis.h).
  using Expression = std::vector<std::string>;
  const std::vector<std::vector<Expression>>& groups() const { return groups_; }

  // The longest expression of any group starting at `words[position]`: the group index and
  // the expression's length in words, or length 0 when none.
  struct Match {
    std::size_t group = 0;
    std::size_t length = 0;
  };
  Match match_at(const std::vector<std::string>& words, std::size_t position) const;

 private:
  std::vector<std::vector<Expression>> groups_;
};

}  // namespace vigie::search
