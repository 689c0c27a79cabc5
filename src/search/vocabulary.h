// The vocabulary of local government, as data (data/vocabulaire/): the words people type and
// the words fiches are written in, so that a query finds a fiche that says the same thing in
// other words.
//
// - Groups (synonymes.csv, sigles.csv, langage-courant.csv, produits.csv, any other *.csv with
//   the header `expressions,note`): each line is a group of expressions for one notion,
//   separated by ';' ("CCAS;centre communal d'action sociale", "poubelle;collecte des déchets",
//   "Whisper;transcription"). An expression found in a query brings in every other expression
//   of every line that holds it (one hop, so lines never chain into unrelated notions).
// - Non-filtering expressions (mots-non-filtrants.csv, header `expression,raison`): words that
//   carry no meaning in this library (question words, « IA », « algorithme »): a query does not
//   require them, they only rank.
//
// Expressions are compared on stems (search/analysis.h), not exact wording, in both directions:
// « dépôts sauvages » matches the expression « dépôt sauvage ». Function words ("de", "des"…)
// are skipped on both sides, except in an expression whose only content word would then be
// left alone ("Le Chat" stays two words, so « chat » alone does not match it).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigie::search {

class Vocabulary {
 public:
  struct Expression {
    std::string text;                // as written in the file ("centre communal d'action sociale")
    std::vector<std::string> words;  // normalised words (search/analysis.h)
    std::vector<std::string> stems;  // stems of the words compared (function words left out unless kept)
    bool keeps_function_words = false;
  };

  Vocabulary() = default;

  // Parses one file's text. `file` names it in errors, which name the line: a group with fewer
  // than two expressions, an expression that normalises to nothing, the same expression twice
  // on one line, a header other than the two above.
  static Result<Vocabulary> parse(std::string_view csv_text, std::string_view file);
  // Every *.csv file of `directory`, in name order.
  static Result<Vocabulary> load(const std::filesystem::path& directory);

  // Adds `other`'s groups and non-filtering expressions to this vocabulary.
  void merge(Vocabulary other);

  // The longest expression of the vocabulary starting at `words[position]` (normalised words
  // of a query): its length in words of `words`, and the other expressions of every group
  // holding it. `length` 0: none starts there.
  struct Match {
    std::size_t length = 0;
    std::vector<const Expression*> related;
  };
  Match match_at(const std::vector<std::string>& words, std::size_t position) const;
  // The same with the stems of `words` (search::stem of each) computed once by the caller,
  // which looks at every position of a query.
  Match match_at(const std::vector<std::string>& words, const std::vector<std::string>& stems, std::size_t position) const;

  // The length in words of the longest non-filtering expression starting at `words[position]`,
  // 0 when none does.
  std::size_t non_filtering_at(const std::vector<std::string>& words, std::size_t position) const;
  std::size_t non_filtering_at(const std::vector<std::string>& words, const std::vector<std::string>& stems, std::size_t position) const;

  std::size_t group_count() const { return groups_.size(); }
  std::size_t non_filtering_count() const { return non_filtering_.size(); }
  const std::vector<std::vector<Expression>>& groups() const { return groups_; }

 private:
  // Index of groups by the key of each of their expressions (stems joined by spaces).
  void index_group(std::size_t group);
  // Words of `words` from `position` matching `expression`, 0 when they do not.
  static std::size_t matched_length(const Expression& expression, const std::vector<std::string>& words,
                                    const std::vector<std::string>& stems, std::size_t position);

  std::vector<std::vector<Expression>> groups_;
  std::map<std::string, std::vector<std::size_t>> groups_by_key_;      // expression key -> groups
  std::map<std::string, std::vector<Expression>> by_first_stem_;       // first stem -> expressions (one per key)
  std::vector<Expression> non_filtering_;
  std::map<std::string, std::vector<std::size_t>> non_filtering_by_first_stem_;
};

// The key comparing expressions: their compared stems joined by spaces.
std::string expression_key(const Vocabulary::Expression& expression);

}  // namespace vigie::search
