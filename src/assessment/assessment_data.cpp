#include "assessment/assessment_data.h"

#include <fmt/format.h>

#include "assessment/data_reader.h"

namespace vigie::assessment {

using detail::in_quotes;

Result<AssessmentData> AssessmentData::load(const std::filesystem::path& directory, const domain::Taxonomies& taxonomies) {
  TRY_ASSIGN(auto classification, ClassificationTree::load(directory / kClassificationFile));
  TRY_ASSIGN(auto impact, ImpactQuestionnaire::load(directory / kImpactFile));
  TRY_ASSIGN(auto fria, FriaTemplate::load(directory / kFriaFile));
  return from(std::move(classification), std::move(impact), std::move(fria), taxonomies);
}

Result<AssessmentData> AssessmentData::from(ClassificationTree classification, ImpactQuestionnaire impact, FriaTemplate fria,
                                            const domain::Taxonomies& taxonomies) {
  for (const auto& floor : impact.floors()) {
    if (!classification.find_outcome(floor.outcome)) {
      return Error::invalid(fmt::format("{}, plancher {} : le résultat n'existe pas dans {}", kImpactFile, in_quotes(floor.outcome), kClassificationFile));
    }
  }
  const auto& categories = taxonomies.get(domain::taxonomy::kAiActCategories);
  for (const auto& outcome : classification.outcomes()) {
    if (!categories.contains(outcome.fiche_category)) {
      return Error::invalid(fmt::format("{}, résultat {} : « categorieFiche » {} n'est pas un code de categories-ai-act.csv", kClassificationFile,
                                        in_quotes(outcome.id), in_quotes(outcome.fiche_category)));
    }
  }
  for (const auto& section : fria.sections()) {
    for (const auto& field : section.fields) {
      if (!field.taxonomy.empty() && !taxonomies.all().count(field.taxonomy)) {
        return Error::invalid(fmt::format("{}, champ {} : taxonomie {} inconnue (voir data/taxonomies/)", kFriaFile, in_quotes(field.id), in_quotes(field.taxonomy)));
      }
    }
  }
  return AssessmentData{std::move(classification), std::move(impact), std::move(fria)};
}

}  // namespace vigie::assessment
