// The library's filters, in one table that the pages, the API and the index read: the query
// parameter (French, stable, shareable), the taxonomy whose codes it takes, the prefix of its
// terms in the index, its French label, and where a search request holds its selection.
//
// Filters with a store member are also applied by the store's SQL listing; the others only
// the index knows (SearchRequest::index_filters).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "domain/taxonomy.h"
#include "search/analysis.h"
#include "store/use_case_store.h"

namespace vigie::search {

struct LibraryFilter {
  const char* param;        // query parameter ("domaine", "taille"…)
  const char* taxonomy;     // taxonomy of the codes; null: codes from the referential or a fixed list
  const char* term_prefix;  // index term prefix (search/analysis.h)
  const char* label;        // French label of the facet
  std::vector<std::string> store::UseCaseFilter::*store_member;  // null: index-only filter
};

inline const std::array<LibraryFilter, 13> kLibraryFilters = {{
    {"domaine", domain::taxonomy::kDomains, prefix::kDomain, "Domaine", &store::UseCaseFilter::domains},
    {"technique", domain::taxonomy::kTechniques, prefix::kTechnique, "Technique d’IA", &store::UseCaseFilter::techniques},
    {"finalite", domain::taxonomy::kPurposes, prefix::kPurpose, "Finalité", &store::UseCaseFilter::purposes},
    {"statut", domain::taxonomy::kStatuses, prefix::kStatus, "Avancement", &store::UseCaseFilter::statuses},
    {"type", domain::taxonomy::kOrganisationKinds, prefix::kOrganisationKind, "Type de collectivité", &store::UseCaseFilter::organisation_kinds},
    {"taille", nullptr, prefix::kSizeBand, "Taille de la collectivité", nullptr},
    {"region", nullptr, prefix::kRegion, "Région", nullptr},
    {"departement", nullptr, prefix::kDepartment, "Département", nullptr},
    {"categorie-ai-act", domain::taxonomy::kAiActCategories, prefix::kAiAct, "Catégorie AI Act déclarée", nullptr},
    {"fournisseur", domain::taxonomy::kProviderTypes, prefix::kProvider, "Réalisation", nullptr},
    {"libre", nullptr, prefix::kOpenSource, "Code source", nullptr},
    {"evaluation-ai-act", nullptr, prefix::kAssessedOutcome, "Résultat de la pré-classification AI Act", nullptr},
    {"niveau-impact", nullptr, prefix::kImpactLevel, "Niveau d’impact évalué", nullptr},
}};

// The filter of parameter `param`, or null.
inline const LibraryFilter* find_library_filter(std::string_view param) {
  for (const auto& filter : kLibraryFilters) {
    if (param == filter.param) return &filter;
  }
  return nullptr;
}

}  // namespace vigie::search
