// The assessment toolkit through the API: POST /api/v1/outils/classification-ai-act and
// /api/v1/outils/evaluation-impact take answers as JSON and return the outcomes or the score,
// computed by src/assessment from the data files of data/assessment/. Stateless: nothing is
// stored (saving goes through the pages' private links).
#include <fmt/format.h>

#include <charconv>

#include "api/api.h"
#include "api/json_body.h"
#include "assessment/classification.h"
#include "assessment/impact_assessment.h"
#include "assessment/summary.h"
#include "domain/use_case_json.h"
#include "web/problem.h"

namespace vigie::api {

using nlohmann::json;
using web::Request;
using web::Response;

namespace {

Response json_ok(const json& document) { return Response::json(document.dump()); }

json duty_json(const assessment::DutyItem& item) {
  return {{"id", item.duty->id}, {"libelle", item.duty->label}, {"aide", item.duty->help},
          {"reference", item.duty->reference}, {"dateApplication", item.applies_from}};
}

// Reads {"reponses": {...}} and the answers in it against `questions`; every problem is a
// field error named "reponses.<question>".
Result<assessment::Answers> read_answers(const json& body, const assessment::QuestionSource& questions) {
  if (!body.is_object() || !body.contains("reponses")) {
    return Error::invalid("Le corps doit contenir « reponses », un objet qui associe à chaque question la réponse choisie.",
                          {{"reponses", "est obligatoire"}});
  }
  auto parsed = assessment::answers_from_json(body["reponses"], questions);
  if (!parsed.errors.empty()) {
    for (auto& error : parsed.errors) error.field = "reponses." + error.field;
    return Error::invalid("Certaines réponses ne correspondent pas au questionnaire.", std::move(parsed.errors));
  }
  return std::move(parsed.answers);
}

// The classification as the API gives it.
json classification_json(const assessment::Classification& result, const assessment::ClassificationTree& tree) {
  json outcomes = json::array();
  for (const auto& reached : result.outcomes) {
    json duties = json::array();
    for (const auto& duty : reached.duties) duties.push_back(duty_json(duty));
    outcomes.push_back({{"id", reached.outcome->id}, {"code", reached.outcome->code}, {"libelle", reached.outcome->label},
                        {"description", reached.outcome->description}, {"reference", reached.outcome->reference},
                        {"dateApplication", reached.outcome->applies_from},
                        {"categorieFiche", reached.outcome->fiche_category}, {"obligations", duties}});
  }
  json general = json::array();
  for (const auto& duty : result.general_duties) general.push_back(duty_json(duty));
  json flags = json::array();
  for (const auto* flag : result.flags) flags.push_back({{"id", flag->id}, {"libelle", flag->label}, {"reference", flag->reference}});
  return {{"outil", "classification-ai-act"}, {"versionQuestionnaire", tree.version()}, {"complet", result.complete()},
          {"prochaineQuestion", result.next_question}, {"parcours", result.questions_on_path(tree)},
          {"resultats", outcomes}, {"constats", flags}, {"obligationsGenerales", general},
          {"reponsesIgnorees", result.ignored_answers}};
}

}  // namespace

Response Api::classify(const Request& request) {
  if (!options_.assessments) return web::problem(503, "La boîte à outils est momentanément indisponible.", request.path);
  auto body = read_json_body(request);
  if (!body.ok()) return web::problem(body.error(), request.path);
  const auto& tree = options_.assessments->classification;
  auto answers = read_answers(*body, tree);
  if (!answers.ok()) return web::problem(answers.error(), request.path);
  auto result = assessment::classify_complete(tree, *answers);
  if (!result.ok()) return web::problem(result.error(), request.path);
  return json_ok(classification_json(*result, tree));
}

Response Api::evaluate_impact(const Request& request) {
  if (!options_.assessments) return web::problem(503, "La boîte à outils est momentanément indisponible.", request.path);
  auto body = read_json_body(request);
  if (!body.ok()) return web::problem(body.error(), request.path);
  const auto& questionnaire = options_.assessments->impact;
  auto answers = read_answers(*body, questionnaire);
  if (!answers.ok()) return web::problem(answers.error(), request.path);
  assessment::ImpactRequest impact_request;
  impact_request.phase = body->value("phase", std::string());
  if (body->contains("resultatsAiAct") && (*body)["resultatsAiAct"].is_array()) {
    for (const auto& outcome : (*body)["resultatsAiAct"]) {
      if (outcome.is_string()) impact_request.ai_act_outcomes.push_back(outcome.get<std::string>());
    }
  }
  impact_request.completeness = body->value("complet", true) ? assessment::Completeness::required : assessment::Completeness::partial_allowed;
  auto score = assessment::evaluate_impact(questionnaire, *answers, impact_request);
  if (!score.ok()) return web::problem(score.error(), request.path);
  json sections = json::array();
  for (const auto& section : score->sections) {
    sections.push_back({{"id", section.section->id}, {"titre", section.section->title},
                        {"type", section.section->kind == assessment::SectionKind::impact ? "impact" : "attenuation"},
                        {"points", section.points}, {"maximum", section.maximum},
                        {"questionsApplicables", section.applicable_questions}, {"questionsRepondues", section.answered_questions}});
  }
  json requirements = json::array();
  if (score->level) {
    for (const auto& requirement : score->level->requirements) requirements.push_back({{"theme", requirement.theme}, {"texte", requirement.text}});
  }
  return json_ok({{"outil", "evaluation-impact"}, {"versionQuestionnaire", questionnaire.version()}, {"phase", score->phase},
                  {"impactBrut", score->raw_impact}, {"impactMaximum", score->maximum_impact},
                  {"attenuation", score->mitigation}, {"attenuationMaximum", score->maximum_mitigation},
                  {"reductionAppliquee", score->discount_applied}, {"impactAjuste", score->adjusted_impact},
                  {"pourcentage", score->percent},
                  {"niveauScore", score->score_level ? score->score_level->id : std::string()},
                  {"niveau", score->level ? score->level->id : std::string()},
                  {"libelleNiveau", score->level ? score->level->label : std::string()},
                  {"approbation", score->level ? score->level->approver : std::string()},
                  {"exigences", requirements},
                  {"planchersAiAct", score->floor ? score->floor->reason : std::string()},
                  {"bloque", score->blocked}, {"motifBlocage", score->blocking ? score->blocking->reason : std::string()},
                  {"sections", sections}, {"questionsApplicables", score->applicable_questions},
                  {"sansReponse", score->unanswered}, {"reponsesIgnorees", score->ignored_answers}});
}

// Attaches a saved assessment (its private link, or the link's last segment) to a fiche:
// {"lien": "…", "publier": true}. The fiche then shows the assessment's latest result, and its
// answers when "publier" is true. Administrator token only, for now.
Response Api::attach_assessment(const Request& request) {
  if (auto denied = require_admin(request)) return *denied;
  if (!options_.assessments || !options_.assessment_store) {
    return web::problem(503, "Les évaluations sont momentanément indisponibles.", request.path);
  }
  std::int64_t id = 0;
  const std::string_view id_text = request.param("id");
  if (std::from_chars(id_text.data(), id_text.data() + id_text.size(), id).ec != std::errc() || id <= 0) {
    return web::problem(404, "Aucune fiche ne porte ce numéro.", request.path);
  }
  auto body = read_json_body(request);
  if (!body.ok()) return web::problem(body.error(), request.path);
  if (!body->is_object() || !(*body)["lien"].is_string()) {
    return web::problem(Error::invalid("Indiquez le lien privé de l’évaluation.", {{"lien", "est obligatoire (texte)"}}), request.path);
  }
  if (body->contains("publier") && !(*body)["publier"].is_boolean()) {
    return web::problem(Error::invalid("« publier » doit valoir true ou false.", {{"publier", "doit être un booléen"}}), request.path);
  }
  std::string link = (*body)["lien"].get<std::string>();
  link = link.substr(link.rfind('/') == std::string::npos ? 0 : link.rfind('/') + 1);
  auto saved = options_.assessment_store->find(link);
  if (!saved.ok()) return web::problem(saved.error(), request.path);
  const json answers = json::parse(saved->latest.answers_json, nullptr, false);
  auto summary = assessment::summarise(*options_.assessments, saved->tool, answers);
  if (!summary.ok()) return web::problem(summary.error(), request.path);
  auto fiche = options_.assessment_store->attach(link, id, body->value("publier", false), *summary, store::Actor{"api:admin-token"});
  if (!fiche.ok()) return web::problem(fiche.error(), request.path);
  if (options_.on_change) options_.on_change();
  return json_ok(domain::to_json(*fiche));
}

}  // namespace vigie::api
