// Taxonomies: the closed lists of codes a fiche uses (domains, techniques, statuses…), each a
// CSV file in data/taxonomies/ with at least the columns `code` and `libelle` (French label).
// Loaded and validated at start-up: a bad file stops start-up with a message naming the file,
// the line and the problem.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigie::domain {

struct Term {
  std::string code;
  std::string label;
  std::map<std::string, std::string> extra;  // other columns (cofog, description…)

  // Value of an extra column, or empty.
  const std::string& column(const std::string& name) const;
};

class Taxonomy {
 public:
  Taxonomy() = default;
  Taxonomy(std::string name, std::vector<Term> terms);

  // Parses one taxonomy file. `file` is only used in messages. Fails with `invalid`, the
  // message naming file, line and problem: missing header columns, empty or malformed code
  // (lower-case letters, digits and hyphens), duplicate code, empty label, wrong column count.
  static Result<Taxonomy> parse(std::string name, std::string_view csv_text, std::string_view file);

  const std::string& name() const { return name_; }
  const std::vector<Term>& terms() const { return terms_; }
  // nullptr when `code` is not in the taxonomy.
  const Term* find(std::string_view code) const;
  bool contains(std::string_view code) const { return find(code) != nullptr; }
  // The label of `code`, or `code` itself when unknown.
  std::string label(std::string_view code) const;

 private:
  std::string name_;
  std::vector<Term> terms_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

// The taxonomies a fiche needs, by file name (without ".csv").
namespace taxonomy {
inline constexpr const char* kDomains = "domaines";
inline constexpr const char* kPurposes = "finalites";
inline constexpr const char* kTechniques = "techniques";
inline constexpr const char* kTargetUsers = "publics";
inline constexpr const char* kStatuses = "statuts";
inline constexpr const char* kProviderTypes = "fournisseurs";
inline constexpr const char* kHosting = "hebergements";
inline constexpr const char* kDataCategories = "categories-donnees";
inline constexpr const char* kImpactAssessment = "aipd";
inline constexpr const char* kBudgetBands = "tranches-budget";
inline constexpr const char* kFunding = "financements";
inline constexpr const char* kOversight = "controles-humains";
inline constexpr const char* kAiActCategories = "categories-ai-act";
inline constexpr const char* kJobFamilies = "familles-metiers";
inline constexpr const char* kJobEffects = "effets-metiers";
inline constexpr const char* kRelationTypes = "relations";
inline constexpr const char* kPublicationStates = "etats-publication";
inline constexpr const char* kOrganisationKinds = "types-collectivites";
inline constexpr const char* kEpciCategories = "categories-epci";  // codes are the referential's, lower-cased
}  // namespace taxonomy

class Taxonomies {
 public:
  // Loads every *.csv of `directory`, then checks that each taxonomy a fiche needs is present
  // and that the codes the code relies on (publication states, "arrete"…) exist.
  static Result<Taxonomies> load(const std::filesystem::path& directory);
  // Builds from already parsed taxonomies (tests); same checks as load().
  static Result<Taxonomies> from(std::vector<Taxonomy> taxonomies);

  // Precondition: `name` is one of the taxonomy:: names (checked at load).
  const Taxonomy& get(std::string_view name) const;
  const std::map<std::string, Taxonomy, std::less<>>& all() const { return taxonomies_; }

 private:
  std::map<std::string, Taxonomy, std::less<>> taxonomies_;
};

}  // namespace vigie::domain
