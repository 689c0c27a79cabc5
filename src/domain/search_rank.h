// The order of organisations in search results (store::OrganisationDirectory::search), as
// integers: the referential's writer stores them in organisation_words so that ranking
// thousands of prefix matches costs one integer comparison each, and the directory sorts code
// matches with the same function.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigie::domain {

struct SearchRank {
  // Among matches: communes and municipal arrondissements first, then EPCI and EPT,
  // départements and collectivités d'outre-mer, régions, and last the communes
  // déléguées/associées (and any other kind); within each, largest population first,
  // unknown population last; then communes, arrondissements, EPCI, EPT, départements,
  // collectivités d'outre-mer, régions, others. Smaller comes first; never negative.
  std::int64_t rank = 0;
  // Among names equal to the query, which all come before other matches: the same order
  // without the kind groups ("Bretagne": the région before the communes of that name).
  // Always negative, so below every `rank`.
  std::int64_t exact_rank = 0;
};

SearchRank search_rank(std::string_view kind, std::optional<std::int64_t> population);

}  // namespace vigie::domain
