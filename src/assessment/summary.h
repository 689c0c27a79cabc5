// Saved answers and their results as a fiche keeps them (domain::AssessmentSummary), shared by
// the pages, the API and the store's callers. A saved assessment's answers are one JSON object:
//
//   classification-ai-act:        {"reponses": {...}}
//   evaluation-impact:            {"reponses": {...}, "phase": "conception", "resultatsAiAct": ["haut-risque-annexe-iii"]}
//   analyse-droits-fondamentaux:  {"champs": {"field-id": "text", ...}}
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "assessment/assessment_data.h"
#include "core/result.h"
#include "domain/use_case.h"

namespace vigie::assessment {

inline constexpr std::string_view kClassificationTool = "classification-ai-act";
inline constexpr std::string_view kImpactTool = "evaluation-impact";
inline constexpr std::string_view kFriaTool = "analyse-droits-fondamentaux";

// True for the three tool ids above.
bool is_tool(std::string_view tool);

// The questions of `tool`: the classification tree's or the impact questionnaire's (the FRIA has
// fields, not questions). Precondition: tool is kClassificationTool or kImpactTool.
const QuestionSource& questions_of(const AssessmentData& data, std::string_view tool);

// The questionnaire version of `tool` in `data`.
const std::string& questionnaire_version(const AssessmentData& data, std::string_view tool);

// The results of `document` (the saved answers of `tool`): the classification's outcome ids in
// the order reached, or the impact level; nothing for the FRIA. Fails with `invalid` naming
// the answers that do not fit the questionnaire. The store stamps version, date and answers.
Result<domain::AssessmentSummary> summarise(const AssessmentData& data, std::string_view tool, const nlohmann::json& document);

}  // namespace vigie::assessment
