// Everything the assessment toolkit reads from data/assessment/, loaded and cross-checked once
// at start-up and then shared read-only (immutable after load, so safe to read from every
// worker thread).
#pragma once

#include <filesystem>
#include <string_view>

#include "assessment/classification.h"
#include "assessment/fria.h"
#include "assessment/impact_assessment.h"
#include "core/result.h"
#include "domain/taxonomy.h"

namespace vigie::assessment {

inline constexpr std::string_view kClassificationFile = "classification-ai-act.json";
inline constexpr std::string_view kImpactFile = "evaluation-impact.json";
inline constexpr std::string_view kFriaFile = "analyse-impact-droits-fondamentaux.json";

struct AssessmentData {
  ClassificationTree classification;
  ImpactQuestionnaire impact;
  FriaTemplate fria;

  // Loads the three files of `directory`, then checks what links them: each AI Act floor of
  // the impact questionnaire names an outcome of the tree, each outcome's fiche category is a
  // code of categories-ai-act.csv, each FRIA field's taxonomy exists. The first problem stops
  // the load (`invalid`, naming file, element and problem; `unavailable` for an unreadable file).
  static Result<AssessmentData> load(const std::filesystem::path& directory, const domain::Taxonomies& taxonomies);
  // The same checks on already parsed parts (tests).
  static Result<AssessmentData> from(ClassificationTree classification, ImpactQuestionnaire impact, FriaTemplate fria,
                                     const domain::Taxonomies& taxonomies);
};

}  // namespace vigie::assessment
