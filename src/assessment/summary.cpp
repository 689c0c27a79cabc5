#include "assessment/summary.h"

namespace vigie::assessment {

bool is_tool(std::string_view tool) { return tool == kClassificationTool || tool == kImpactTool || tool == kFriaTool; }

const QuestionSource& questions_of(const AssessmentData& data, std::string_view tool) {
  if (tool == kImpactTool) return data.impact;
  return data.classification;
}

const std::string& questionnaire_version(const AssessmentData& data, std::string_view tool) {
  if (tool == kClassificationTool) return data.classification.version();
  if (tool == kImpactTool) return data.impact.version();
  return data.fria.version();
}

namespace {

Result<Answers> read_answers(const nlohmann::json& document, const QuestionSource& questions) {
  static const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& given = document.is_object() && document.contains("reponses") ? document["reponses"] : empty;
  auto parsed = answers_from_json(given, questions);
  if (!parsed.errors.empty()) return Error::invalid("Certaines réponses ne correspondent pas au questionnaire.", std::move(parsed.errors));
  return std::move(parsed.answers);
}

}  // namespace

Result<domain::AssessmentSummary> summarise(const AssessmentData& data, std::string_view tool, const nlohmann::json& document) {
  domain::AssessmentSummary summary;
  summary.tool = std::string(tool);
  summary.questionnaire_version = questionnaire_version(data, tool);
  if (tool == kClassificationTool) {
    TRY_ASSIGN(const Answers answers, read_answers(document, data.classification));
    const Classification result = classify(data.classification, answers);
    for (const auto& reached : result.outcomes) summary.outcomes.push_back(reached.outcome->id);
  } else if (tool == kImpactTool) {
    TRY_ASSIGN(const Answers answers, read_answers(document, data.impact));
    ImpactRequest request;
    request.phase = document.value("phase", data.impact.phases().empty() ? std::string() : data.impact.phases().front().id);
    if (document.contains("resultatsAiAct") && document["resultatsAiAct"].is_array()) {
      for (const auto& outcome : document["resultatsAiAct"]) {
        if (outcome.is_string() && data.classification.find_outcome(outcome.get<std::string>())) request.ai_act_outcomes.push_back(outcome);
      }
    }
    TRY_ASSIGN(const ImpactScore score, evaluate_impact(data.impact, answers, request));
    summary.level = score.blocked ? std::string("bloque") : score.level ? score.level->id : std::string();
  } else if (tool != kFriaTool) {
    return Error::invalid("Outil inconnu.", {{"outil", "doit valoir classification-ai-act, evaluation-impact ou analyse-droits-fondamentaux"}});
  }
  return summary;
}

}  // namespace vigie::assessment
