// The assessment toolkit (/outils): the AI Act pre-classification, one question per screen
// or all on one page, both plain GET forms that work without JavaScript; every state is in
// the URL (the answers as query parameters, assessment::answers_to_query), so a link restores
// the answers and the result. Results are computed by src/assessment at every request.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "assessment/answers.h"
#include "assessment/classification.h"
#include "assessment/impact_assessment.h"
#include "assessment/summary.h"
#include "core/text.h"
#include "pages/format.h"
#include "pages/site_support.h"

namespace vigie::pages {

using nlohmann::json;
using web::Request;
using web::Response;

namespace {

constexpr const char* kClassificationPath = "/outils/classification-ai-act";
constexpr const char* kImpactPath = "/outils/evaluation-impact";
// The page's own parameters, beside the answers.
const std::set<std::string, std::less<>> kPageParams = {"mode", "modifier", "etape", "csrf", "lien", "version"};
const std::set<std::string, std::less<>> kImpactParams = {"phase", "ai-act", "calculer", "csrf", "lien", "version"};

std::string_view query_of(const Request& request) {
  const auto question_mark = request.target.find('?');
  return question_mark == std::string::npos ? std::string_view() : std::string_view(request.target).substr(question_mark + 1);
}

std::string with_query(const std::string& path, const std::string& query) { return query.empty() ? path : path + "?" + query; }

// The saved assessment being changed (`lien`, `version`), carried through every link and form
// of the questionnaire so that saving at the end adds a version rather than a new assessment.
std::string saved_link_params(const Request& request) {
  const std::string link = request.query.get("lien");
  if (link.empty()) return {};
  return "lien=" + web::url_encode(link) + "&version=" + web::url_encode(request.query.get("version"));
}

std::string joined(const std::string& a, const std::string& b) { return a.empty() ? b : b.empty() ? a : a + "&" + b; }

json saved_link_view(const Request& request) {
  if (request.query.get("lien").empty()) return nullptr;
  return {{"link", request.query.get("lien")}, {"version", request.query.get("version")}};
}

// "a,b" values (repeated or comma-separated parameters) as one list, empty items skipped.
std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const auto& value : values) {
    for (std::size_t start = 0; start <= value.size();) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      if (comma > start) items.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return items;
}

// `answers` without question `except`, for the hidden fields of a form that asks it again.
json hidden_answers(const assessment::Answers& answers, std::string_view except = {}) {
  json hidden = json::array();
  for (const auto& [id, selected] : answers) {
    if (id == except || selected.empty()) continue;
    std::string value;
    for (const auto& choice : selected) value += (value.empty() ? "" : ",") + choice;
    hidden.push_back({{"name", id}, {"value", value}});
  }
  return hidden;
}

// A question as a fieldset: its choices (radio or checkboxes) with the current selection.
json question_view(const assessment::Question& question, const assessment::Answers& answers, const std::string& error) {
  const auto answered = answers.find(question.id);
  json choices = json::array();
  for (const auto& choice : question.choices) {
    const bool checked = answered != answers.end() &&
                         std::find(answered->second.begin(), answered->second.end(), choice.id) != answered->second.end();
    choices.push_back({{"id", "r-" + question.id + "-" + choice.id}, {"question_id", question.id}, {"value", choice.id}, {"label", choice.label},
                       {"help", choice.help}, {"checked", checked}});
  }
  json examples = json::array();
  for (const auto& example : question.examples) examples.push_back(example);
  return {{"id", question.id}, {"label", question.label}, {"help", question.help}, {"examples", examples},
          {"has_examples", !examples.empty()}, {"multiple", question.kind == assessment::QuestionKind::multiple_choice},
          {"choices", choices}, {"error", error}};
}

json duty_view(const assessment::DutyItem& item, const std::string& key) {
  return {{"id", "obligation-" + key + "-" + item.duty->id}, {"label", item.duty->label}, {"help", item.duty->help},
          {"reference", item.duty->reference}, {"applies_from", french_date(item.applies_from)}};
}

}  // namespace

std::string tool_title(std::string_view tool) {
  if (tool == assessment::kClassificationTool) return "Pré-classification AI Act";
  if (tool == assessment::kImpactTool) return "Évaluation de l’impact algorithmique";
  return "Analyse d’impact sur les droits fondamentaux";
}

std::string answer_labels(const assessment::Question& question, const std::vector<std::string>& selected) {
  std::string labels;
  for (const auto& id : selected) {
    if (const auto* choice = question.find_choice(id)) labels += (labels.empty() ? "" : " ; ") + choice->label;
  }
  return labels;
}

json assessment_results_view(const assessment::AssessmentData& data, const domain::AssessmentSummary& summary) {
  json items = json::array();
  for (const auto& outcome_id : summary.outcomes) {
    if (const auto* outcome = data.classification.find_outcome(outcome_id)) {
      items.push_back({{"label", outcome->label}, {"detail", outcome->reference}});
    }
  }
  if (!summary.level.empty()) {
    const auto* level = data.impact.find_level(summary.level);
    items.push_back({{"label", level ? "Niveau d’impact " + level->id + " — " + level->label : std::string("Système interdit")},
                     {"detail", level ? "Approbation : " + level->approver : std::string()}});
  }
  return items;
}

Response Site::tools_index(const Request&) {
  Page page;
  page.title = "Outils d’évaluation";
  page.template_name = "tools";
  page.nav = "tools";
  page.canonical_path = "/outils";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Outils"}}});
  page.view = {{"classification_version", options_.assessments ? options_.assessments->classification.version() : std::string()}};
  return render(std::move(page));
}

web::ReadParams Site::classification_params() const {
  std::vector<std::string> names(kPageParams.begin(), kPageParams.end());
  if (options_.assessments) {
    for (const auto& node : options_.assessments->classification.nodes()) {
      if (node.question) names.push_back(node.id);
    }
  }
  return web::ReadParams(std::move(names));
}

Response Site::classification_tool(const Request& request) {
  if (!options_.assessments) return render_error(request, 503, "La boîte à outils est momentanément indisponible.");
  const auto& tree = options_.assessments->classification;
  const auto parsed = assessment::answers_from_query(query_of(request), tree, kPageParams);
  const assessment::Answers& answers = parsed.answers;
  const std::string answers_query = joined(assessment::answers_to_query(answers), saved_link_params(request));
  const assessment::Classification walk = assessment::classify(tree, answers);
  const std::vector<std::string> on_path = walk.questions_on_path(tree);
  json invalid = json::array();
  for (const auto& error : parsed.errors) invalid.push_back({{"field", error.field}, {"message", error.message}});

  Page page;
  page.template_name = "classification";
  page.nav = "tools";
  page.canonical_path = kClassificationPath;
  page.noindex = !answers.empty();
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Outils"}, {"url", "/outils"}},
                                  {{"label", "Classification AI Act"}}});
  const std::string result_url = with_query(std::string(kClassificationPath) + "/resultat", answers_query);

  // All the questions on one page: every question of the tree, in order; the result ignores
  // those off the path the answers take.
  if (request.query.get("mode") == "page") {
    json questions = json::array();
    for (const auto& node : tree.nodes()) {
      if (node.question) questions.push_back(question_view(*node.question, answers, ""));
    }
    page.title = "Classification AI Act — toutes les questions";
    page.view = {{"all_on_one_page", true}, {"questions", questions}, {"invalid", invalid}, {"has_invalid", !invalid.empty()},
                 {"saved", saved_link_view(request)},
                 {"step_url", with_query(kClassificationPath, answers_query)}, {"version", tree.version()}};
    return render(std::move(page));
  }

  // One question per screen: the one to change (modifier), else the next unanswered one.
  std::string asked = request.query.get("modifier");
  if (std::find(on_path.begin(), on_path.end(), asked) == on_path.end()) asked = walk.next_question;
  if (asked.empty()) return Response::redirect(result_url, 303);
  const assessment::Question* question = tree.find_question(asked);
  if (!question) return render_error(request, 404, "Cette question n’existe pas dans le questionnaire.");
  // The form was sent without a choice for the question it asked.
  const std::string error = request.query.get("etape") == asked && !answers.contains(asked)
                                ? std::string("Choisissez une réponse pour continuer.")
                                : std::string();

  json summary = json::array();
  std::size_t position = 0;
  std::string previous;
  for (const auto& id : on_path) {
    if (id == asked) break;
    ++position;
    previous = id;
    const auto found = answers.find(id);
    const auto* answered_question = tree.find_question(id);
    if (found == answers.end() || !answered_question) continue;
    summary.push_back({{"label", answered_question->label}, {"answer", answer_labels(*answered_question, found->second)},
                       {"change_url", with_query(kClassificationPath, answers_query + (answers_query.empty() ? "" : "&") + "modifier=" + id)}});
  }
  page.title = error.empty() ? fmt::format("Classification AI Act — étape {}", position + 1)
                             : fmt::format("Erreur — Classification AI Act — étape {}", position + 1);
  page.view = {{"all_on_one_page", false},
               {"question", question_view(*question, answers, error)},
               {"hidden", hidden_answers(answers, asked)},
               {"saved", saved_link_view(request)},
               {"step", position + 1},
               {"summary", summary},
               {"has_summary", !summary.empty()},
               {"previous_url", previous.empty() ? std::string()
                                                 : with_query(kClassificationPath, answers_query + (answers_query.empty() ? "" : "&") + "modifier=" + previous)},
               {"all_url", with_query(kClassificationPath, answers_query + (answers_query.empty() ? "" : "&") + "mode=page")},
               {"invalid", invalid},
               {"has_invalid", !invalid.empty()},
               {"version", tree.version()}};
  return render(std::move(page));
}

Response Site::classification_result(const Request& request) {
  if (!options_.assessments) return render_error(request, 503, "La boîte à outils est momentanément indisponible.");
  const auto& tree = options_.assessments->classification;
  const auto parsed = assessment::answers_from_query(query_of(request), tree, kPageParams);
  const std::string answers_query = joined(assessment::answers_to_query(parsed.answers), saved_link_params(request));
  const assessment::Classification walk = assessment::classify(tree, parsed.answers);

  Page page;
  page.template_name = "classification-result";
  page.nav = "tools";
  page.noindex = true;
  page.canonical_path = std::string(kClassificationPath) + "/resultat";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Outils"}, {"url", "/outils"}},
                                  {{"label", "Classification AI Act"}, {"url", kClassificationPath}}, {{"label", "Résultat"}}});
  json invalid = json::array();
  for (const auto& error : parsed.errors) invalid.push_back({{"field", error.field}, {"message", error.message}});
  if (!walk.complete()) {
    const auto* missing = tree.find_question(walk.next_question);
    page.title = "Réponse manquante — Classification AI Act";
    page.view = {{"complete", false},
                 {"missing_label", missing ? missing->label : walk.next_question},
                 {"answer_url", with_query(kClassificationPath, answers_query + (answers_query.empty() ? "" : "&") + "modifier=" + walk.next_question)},
                 {"invalid", invalid},
                 {"has_invalid", !invalid.empty()}};
    return render(std::move(page));
  }

  json outcomes = json::array();
  for (const auto& reached : walk.outcomes) {
    json duties = json::array();
    for (const auto& duty : reached.duties) duties.push_back(duty_view(duty, reached.outcome->id));
    outcomes.push_back({{"id", reached.outcome->id}, {"label", reached.outcome->label}, {"description", reached.outcome->description},
                        {"reference", reached.outcome->reference}, {"applies_from", french_date(reached.outcome->applies_from)},
                        {"duties", duties}, {"has_duties", !duties.empty()}});
  }
  json general = json::array();
  for (const auto& duty : walk.general_duties) general.push_back(duty_view(duty, "generale"));
  json flags = json::array();
  for (const auto* flag : walk.flags) flags.push_back({{"label", flag->label}, {"reference", flag->reference}});
  json answered = json::array();
  for (const auto& id : walk.questions_on_path(tree)) {
    const auto* question = tree.find_question(id);
    const auto found = parsed.answers.find(id);
    if (!question || found == parsed.answers.end()) continue;
    answered.push_back({{"label", question->label}, {"answer", answer_labels(*question, found->second)},
                        {"change_url", with_query(kClassificationPath, answers_query + "&modifier=" + id)}});
  }
  const std::string share_url = options_.base_url + with_query(std::string(kClassificationPath) + "/resultat", answers_query);
  std::string outcome_ids;
  for (const auto& reached : walk.outcomes) outcome_ids += (outcome_ids.empty() ? "" : ",") + reached.outcome->id;
  page.title = "Résultat — Classification AI Act";
  Response carrier;
  const json save = save_form(request, carrier, assessment::kClassificationTool, answers_query);
  page.view = {{"complete", true},
               {"save", save},
               {"outcomes", outcomes},
               {"general_duties", general},
               {"has_general_duties", !general.empty()},
               {"flags", flags},
               {"has_flags", !flags.empty()},
               {"answered", answered},
               {"ignored_count", walk.ignored_answers.size()},
               {"has_ignored", !walk.ignored_answers.empty()},
               {"share_url", share_url},
               {"change_url", with_query(kClassificationPath, answers_query)},
               {"impact_url", std::string(kImpactPath) + "?ai-act=" + outcome_ids},
               {"version", tree.version()},
               {"invalid", invalid},
               {"has_invalid", !invalid.empty()}};
  Response response = render(page);
  for (auto& header : carrier.headers) response.headers.push_back(std::move(header));
  return response;
}

Response Site::impact_tool(const Request& request) {
  if (!options_.assessments) return render_error(request, 503, "La boîte à outils est momentanément indisponible.");
  const auto& questionnaire = options_.assessments->impact;
  const auto parsed = assessment::answers_from_query(query_of(request), questionnaire, kImpactParams);
  assessment::ImpactRequest impact_request;
  impact_request.phase = request.query.get("phase", questionnaire.phases().empty() ? "" : questionnaire.phases().front().id);
  if (!questionnaire.find_phase(impact_request.phase) && !questionnaire.phases().empty()) {
    impact_request.phase = questionnaire.phases().front().id;
  }
  // The AI Act outcomes of a pre-classification (link from its result): they set a floor.
  for (auto& outcome : split_commas(request.query.all("ai-act"))) {
    if (options_.assessments->classification.find_outcome(outcome)) impact_request.ai_act_outcomes.push_back(std::move(outcome));
  }
  auto scored = assessment::evaluate_impact(questionnaire, parsed.answers, impact_request);
  if (!scored.ok()) return error_response(scored.error());
  const assessment::ImpactScore& score = *scored;
  const bool submitted = request.query.has("calculer");

  std::set<std::string, std::less<>> applicable(score.applicable_questions.begin(), score.applicable_questions.end());
  std::set<std::string, std::less<>> unanswered(score.unanswered.begin(), score.unanswered.end());
  json sections = json::array();
  std::size_t total_questions = 0;
  for (const auto& section : questionnaire.sections()) {
    json questions = json::array();
    for (const auto& scored_question : section.questions) {
      ++total_questions;
      if (!applicable.contains(scored_question.question.id)) continue;
      const bool missing = submitted && unanswered.contains(scored_question.question.id);
      questions.push_back(question_view(scored_question.question, parsed.answers, missing ? "Répondez à cette question." : ""));
    }
    if (questions.empty()) continue;
    sections.push_back({{"id", section.id}, {"title", section.title}, {"help", section.help},
                        {"mitigation", section.kind == assessment::SectionKind::mitigation}, {"questions", questions}});
  }
  json phases = json::array();
  for (const auto& phase : questionnaire.phases()) {
    phases.push_back({{"id", "phase-" + phase.id}, {"value", phase.id}, {"label", phase.label}, {"checked", phase.id == score.phase}});
  }
  json outcomes = json::array();
  for (const auto& outcome : impact_request.ai_act_outcomes) {
    outcomes.push_back({{"value", outcome}, {"label", options_.assessments->classification.find_outcome(outcome)->label}});
  }

  json result = nullptr;
  if (submitted || !parsed.answers.empty()) {
    json section_rows = json::array();
    for (const auto& row : score.sections) {
      section_rows.push_back({{"title", row.section->title}, {"kind", row.section->kind == assessment::SectionKind::impact ? "Impact" : "Atténuation"},
                              {"points", row.points}, {"maximum", row.maximum},
                              {"questions", fmt::format("{} sur {}", row.answered_questions, row.applicable_questions)}});
    }
    json requirements = json::array();
    if (score.level) {
      for (const auto& requirement : score.level->requirements) requirements.push_back({{"theme", requirement.theme}, {"text", requirement.text}});
    }
    const auto& rules = questionnaire.rules();
    result = {{"raw", score.raw_impact}, {"maximum", score.maximum_impact}, {"mitigation", score.mitigation},
              {"maximum_mitigation", score.maximum_mitigation}, {"discount", score.discount_applied},
              {"adjusted", score.adjusted_impact}, {"percent", [&] {
                std::string text = fmt::format("{:.1f}", score.percent);
                std::replace(text.begin(), text.end(), '.', ',');
                return text + "\u00A0%";
              }()},
              {"threshold", rules.mitigation_threshold_percent}, {"factor", rules.discount_percent},
              {"level", score.level ? score.level->id : std::string()}, {"level_label", score.level ? score.level->label : std::string()},
              {"level_description", score.level ? score.level->description : std::string()},
              {"approver", score.level ? score.level->approver : std::string()}, {"requirements", requirements},
              {"score_level", score.score_level ? score.score_level->id : std::string()},
              {"raised", score.floor != nullptr}, {"floor_reason", score.floor ? score.floor->reason : std::string()},
              {"blocked", score.blocked}, {"blocking_reason", score.blocking ? score.blocking->reason : std::string()},
              {"sections", section_rows}, {"applicable_count", score.applicable_questions.size()},
              {"total_count", total_questions}, {"unanswered_count", score.unanswered.size()},
              {"has_unanswered", !score.unanswered.empty()}, {"ignored_count", score.ignored_answers.size()},
              {"has_ignored", !score.ignored_answers.empty()}};
  }
  Response carrier;
  if (result.is_object()) {
    // Saved with the page's own parameters (phase, AI Act outcomes) beside the answers.
    web::QueryParams kept;
    for (const auto& [key, value] : request.query.items()) {
      if (key != "calculer" && key != "lien" && key != "version") kept.add(key, value);
    }
    result["save"] = save_form(request, carrier, assessment::kImpactTool, kept.encode());
  }
  Page page;
  page.template_name = "impact-assessment";
  page.nav = "tools";
  page.noindex = !parsed.answers.empty();
  page.canonical_path = kImpactPath;
  page.title = "Évaluation de l’impact algorithmique";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Outils"}, {"url", "/outils"}},
                                  {{"label", "Évaluation d’impact"}}});
  json invalid = json::array();
  for (const auto& error : parsed.errors) invalid.push_back({{"field", error.field}, {"message", error.message}});
  page.view = {{"phases", phases}, {"sections", sections}, {"outcomes", outcomes}, {"has_outcomes", !outcomes.empty()},
               {"result", result}, {"invalid", invalid}, {"has_invalid", !invalid.empty()}, {"version", questionnaire.version()},
               {"share_url", options_.base_url + std::string(request.target)}};
  Response response = render(page);
  for (auto& header : carrier.headers) response.headers.push_back(std::move(header));
  return response;
}

json Site::save_form(const Request& request, Response& response, std::string_view tool, const std::string& answers_query) const {
  if (!options_.assessment_store || !options_.csrf) return nullptr;
  // Changing a saved assessment: the link and the version it started from come back.
  return {{"csrf", options_.csrf->token_for(request, response)}, {"tool", tool}, {"answers", answers_query},
          {"link", request.query.get("lien")}, {"version", request.query.get("version")}};
}

namespace {

// The saved answers of a form (field "reponses", in the query-string form of the tool's pages)
// as the JSON document of assessment/summary.h, or the answers that do not fit.
Result<json> saved_document(const web::QueryParams& form, const assessment::AssessmentData& data, std::string_view tool) {
  if (tool != assessment::kClassificationTool && tool != assessment::kImpactTool) {
    return Error::invalid("Outil inconnu.", {{"outil", "outil inconnu"}});
  }
  const assessment::QuestionSource& questions = assessment::questions_of(data, tool);
  const std::string answers = form.get("reponses");
  const auto parsed = assessment::answers_from_query(answers, questions, kImpactParams);
  if (!parsed.errors.empty()) return Error::invalid("Certaines réponses ne correspondent pas au questionnaire.", parsed.errors);
  json document = {{"reponses", assessment::answers_to_json(parsed.answers, questions)}};
  if (tool == assessment::kImpactTool) {
    const auto all = web::QueryParams::parse(answers);
    document["phase"] = all.get("phase", data.impact.phases().empty() ? "" : data.impact.phases().front().id);
    json outcomes = json::array();
    for (const auto& outcome : split_commas(all.all("ai-act"))) outcomes.push_back(outcome);
    document["resultatsAiAct"] = outcomes;
  }
  return document;
}

std::string tool_path(std::string_view tool) {
  if (tool == assessment::kClassificationTool) return std::string(kClassificationPath) + "/resultat";
  return kImpactPath;
}

}  // namespace

namespace {

constexpr const char* kFriaPath = "/outils/analyse-droits-fondamentaux";

// The sections of the template with the values to show in the form (or the document), and the
// problems to point at.
json fria_sections(const assessment::FriaTemplate& fria, const std::map<std::string, std::string>& values,
                   const std::map<std::string, std::string>& errors, const std::set<std::string>& prefilled) {
  json sections = json::array();
  for (const auto& section : fria.sections()) {
    json fields = json::array();
    for (const auto& field : section.fields) {
      const auto value = values.find(field.id);
      const auto error = errors.find(field.id);
      fields.push_back({{"id", "champ-" + field.id}, {"name", field.id}, {"label", field.label}, {"help", field.help},
                        {"long", field.kind == assessment::FriaFieldKind::long_text},
                        {"date", field.kind == assessment::FriaFieldKind::date}, {"required", field.required},
                        {"value", value == values.end() ? std::string() : value->second},
                        {"error", error == errors.end() ? std::string() : error->second},
                        {"prefilled", prefilled.contains(field.id)}});
    }
    sections.push_back({{"id", section.id}, {"letter", section.letter}, {"title", section.title}, {"reference", section.reference},
                        {"help", section.help}, {"fields", fields}});
  }
  return sections;
}

}  // namespace

Response Site::save_assessment(const Request& request) {
  if (!options_.assessments || !options_.assessment_store || !options_.csrf) {
    return render_error(request, 503, "L’enregistrement des évaluations est momentanément indisponible.");
  }
  const auto form = web::QueryParams::parse(request.body);
  if (!options_.csrf->verify(request, form.get("csrf"))) {
    return render_error(request, 403,
                        "Ce formulaire a expiré ou ne vient pas de Vigie : revenez au résultat, rechargez la page et enregistrez à nouveau.");
  }
  const std::string tool = form.get("outil");
  if (!assessment::is_tool(tool)) return render_error(request, 400, "Outil d’évaluation inconnu.");
  auto document = saved_document(form, *options_.assessments, tool);
  if (!document.ok()) return render_error(request, 400, document.error().message);
  auto summary = assessment::summarise(*options_.assessments, tool, *document);
  if (!summary.ok()) return render_error(request, 400, summary.error().message);
  const std::string& version = assessment::questionnaire_version(*options_.assessments, tool);
  const store::Actor visitor{"visiteur"};
  const std::string link = form.get("lien");
  if (!link.empty()) {
    // A new version of a saved assessment: the older ones stay.
    const auto expected = parse_positive(form.get("version")).value_or(0);
    auto saved = options_.assessment_store->save(link, version, document->dump(), expected, *summary, visitor);
    if (!saved.ok()) return error_response(saved.error());
    return Response::redirect("/outils/evaluations/" + link, 303);
  }
  auto created = options_.assessment_store->create(tool, version, document->dump(), visitor);
  if (!created.ok()) return error_response(created.error());
  return Response::redirect("/outils/evaluations/" + created->second, 303);
}

Response Site::saved_assessment(const Request& request) {
  if (!options_.assessments || !options_.assessment_store) {
    return render_error(request, 503, "Les évaluations enregistrées sont momentanément indisponibles.");
  }
  const std::string link(request.param("lien"));
  auto saved = options_.assessment_store->find(link);
  if (!saved.ok()) return error_response(saved.error());
  auto versions = options_.assessment_store->versions(link);
  if (!versions.ok()) return error_response(versions.error());
  const auto& data = *options_.assessments;
  const json document = json::parse(saved->latest.answers_json, nullptr, false);
  // The answers back in the query-string form of the tool's pages.
  std::string answers_query;
  if (document.is_object() && document.contains("reponses")) {
    answers_query = assessment::answers_to_query(assessment::answers_from_json(document["reponses"], assessment::questions_of(data, saved->tool)).answers);
  }
  if (saved->tool == assessment::kImpactTool && document.is_object()) {
    answers_query += (answers_query.empty() ? "" : "&") + std::string("phase=") + web::url_encode(document.value("phase", ""));
    for (const auto& outcome : document.value("resultatsAiAct", json::array())) {
      if (outcome.is_string()) answers_query += "&ai-act=" + web::url_encode(outcome.get<std::string>());
    }
    answers_query += "&calculer=1";
  }
  json summary_view = json::array();
  if (auto summary = assessment::summarise(data, saved->tool, document); summary.ok()) {
    summary_view = assessment_results_view(data, *summary);
  }
  json history = json::array();
  for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
    history.push_back({{"version", it->version}, {"date", french_date(it->saved_at)}, {"questionnaire", it->questionnaire_version}});
  }
  const std::string continue_query = answers_query + (answers_query.empty() ? "" : "&") + "lien=" + link +
                                     "&version=" + std::to_string(saved->latest.version);
  // A fundamental-rights impact assessment is its document: the six elements, filled in.
  json fria_document = nullptr;
  if (saved->tool == assessment::kFriaTool) {
    std::map<std::string, std::string> values;
    if (document.is_object() && document.contains("champs") && document["champs"].is_object()) {
      for (const auto& [key, value] : document["champs"].items()) {
        if (value.is_string()) values[key] = value.get<std::string>();
      }
    }
    fria_document = fria_sections(data.fria, values, {}, {});
  }
  Page page;
  page.title = tool_title(saved->tool) + " — évaluation enregistrée";
  page.template_name = "saved-assessment";
  page.nav = "tools";
  page.noindex = true;
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Outils"}, {"url", "/outils"}},
                                  {{"label", "Évaluation enregistrée"}}});
  page.view = {{"tool_title", tool_title(saved->tool)},
               {"version", saved->latest.version},
               {"date", french_date(saved->latest.saved_at)},
               {"questionnaire_version", saved->latest.questionnaire_version},
               {"outdated", saved->latest.questionnaire_version != assessment::questionnaire_version(data, saved->tool)},
               {"current_questionnaire", assessment::questionnaire_version(data, saved->tool)},
               {"summary", summary_view},
               {"result_url", saved->tool == assessment::kFriaTool ? std::string(kFriaPath) + "?lien=" + link
                                                                    : with_query(tool_path(saved->tool), continue_query)},
               {"fria", fria_document},
               {"is_fria", saved->tool == assessment::kFriaTool},
               {"link", options_.base_url + "/outils/evaluations/" + link},
               {"history", history},
               {"attached", saved->use_case.has_value()},
               {"fiche_url", saved->use_case ? "/fiches/" + std::to_string(*saved->use_case) + "-x" : std::string()}};
  Response response = render(page);
  // The link is the only key to the assessment: it must not leak through the Referer header.
  response.with_header("Referrer-Policy", "no-referrer");
  response.with_header("Cache-Control", "private, no-store");
  return response;
}


Response Site::fria_tool(const Request& request) {
  if (!options_.assessments) return render_error(request, 503, "La boîte à outils est momentanément indisponible.");
  const auto& fria = options_.assessments->fria;
  std::map<std::string, std::string> values;
  std::set<std::string> prefilled;
  std::string fiche_title;
  std::string link = request.query.get("lien");
  std::int64_t version = 0;
  if (!link.empty() && options_.assessment_store) {
    // Changing a saved analysis: its latest values.
    auto saved = options_.assessment_store->find(link);
    if (!saved.ok()) return error_response(saved.error());
    if (saved->tool != assessment::kFriaTool) return render_error(request, 404, "Ce lien n’est pas celui d’une analyse d’impact sur les droits fondamentaux.");
    version = saved->latest.version;
    const json document = json::parse(saved->latest.answers_json, nullptr, false);
    if (document.is_object() && document.contains("champs") && document["champs"].is_object()) {
      for (const auto& [key, value] : document["champs"].items()) {
        if (value.is_string()) values[key] = value.get<std::string>();
      }
    }
  } else if (const auto id = parse_positive(request.query.get("fiche"))) {
    // Pre-filled from a published fiche, where it already holds the answer.
    auto fiche = use_cases_.get(*id);
    if (!fiche.ok() || fiche->publication_state != domain::kPublished) return render_error(request, 404, "Aucune fiche publiée ne porte ce numéro.");
    values = assessment::prefill(fria, *fiche, taxonomies_);
    for (const auto& [key, value] : values) prefilled.insert(key);
    fiche_title = fiche->title;
  }
  return render_fria_form(request, values, {}, prefilled, fiche_title, link, version, 200);
}

Response Site::render_fria_form(const Request& request, const std::map<std::string, std::string>& values,
                                const std::map<std::string, std::string>& errors, const std::set<std::string>& prefilled,
                                const std::string& fiche_title, const std::string& link, std::int64_t version, unsigned status) {
  const auto& fria = options_.assessments->fria;
  json error_list = json::array();
  for (const auto& section : fria.sections()) {
    for (const auto& field : section.fields) {
      if (auto found = errors.find(field.id); found != errors.end()) {
        error_list.push_back({{"anchor", "champ-" + field.id}, {"label", field.label}, {"message", found->second}});
      }
    }
  }
  Response carrier;
  Page page;
  page.template_name = "fria";
  page.nav = "tools";
  page.noindex = true;
  page.canonical_path = kFriaPath;
  page.title = errors.empty() ? std::string("Analyse d’impact sur les droits fondamentaux")
                              : std::string("Erreur — Analyse d’impact sur les droits fondamentaux");
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Outils"}, {"url", "/outils"}},
                                  {{"label", "Analyse d’impact sur les droits fondamentaux"}}});
  page.view = {{"introduction", fria.introduction()},
               {"sections", fria_sections(fria, values, errors, prefilled)},
               {"errors", error_list},
               {"has_errors", !error_list.empty()},
               {"fiche_title", fiche_title},
               {"has_prefill", !prefilled.empty()},
               {"csrf", options_.csrf ? options_.csrf->token_for(request, carrier) : std::string()},
               {"can_save", options_.csrf != nullptr && options_.assessment_store != nullptr},
               {"link", link},
               {"version", version},
               {"questionnaire_version", fria.version()}};
  Response response = render(page, status);
  for (auto& header : carrier.headers) response.headers.push_back(std::move(header));
  response.with_header("Cache-Control", "private, no-store");
  return response;
}

Response Site::save_fria(const Request& request) {
  if (!options_.assessments || !options_.assessment_store || !options_.csrf) {
    return render_error(request, 503, "L’enregistrement des analyses est momentanément indisponible.");
  }
  const auto form = web::QueryParams::parse(request.body);
  if (!options_.csrf->verify(request, form.get("csrf"))) {
    return render_error(request, 403,
                        "Ce formulaire a expiré ou ne vient pas de Vigie : revenez à l’analyse, rechargez la page et enregistrez à nouveau.");
  }
  const auto& fria = options_.assessments->fria;
  std::map<std::string, std::string> values;
  for (const auto& section : fria.sections()) {
    for (const auto& field : section.fields) {
      std::string value(text::trim(form.get(field.id)));
      if (!value.empty()) values[field.id] = std::move(value);
    }
  }
  const std::string link = form.get("lien");
  const std::int64_t version = parse_positive(form.get("version")).value_or(0);
  std::map<std::string, std::string> errors;
  for (const auto& error : assessment::check_fria(fria, values)) errors.emplace(error.field, error.message);
  // What was typed is kept, and each problem points at its field.
  if (!errors.empty()) return render_fria_form(request, values, errors, {}, "", link, version, 400);
  json fields = json::object();
  for (const auto& [key, value] : values) fields[key] = value;
  const json document = {{"champs", fields}};
  domain::AssessmentSummary summary;
  const store::Actor visitor{"visiteur"};
  // Too long to keep (store/assessment_store.h): the form again with what was typed, the
  // problem pointed at the longest field.
  auto refused = [&](const Error& error) {
    if (error.kind != ErrorKind::too_large || values.empty()) return error_response(error);
    const auto longest = std::max_element(values.begin(), values.end(),
                                          [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
    return render_fria_form(request, values, {{longest->first, error.message}}, {}, "", link, version, 413);
  };
  if (!link.empty()) {
    auto saved = options_.assessment_store->save(link, fria.version(), document.dump(), version, summary, visitor);
    if (!saved.ok()) return refused(saved.error());
    return Response::redirect("/outils/evaluations/" + link, 303);
  }
  auto created = options_.assessment_store->create(assessment::kFriaTool, fria.version(), document.dump(), visitor);
  if (!created.ok()) return refused(created.error());
  return Response::redirect("/outils/evaluations/" + created->second, 303);
}

}  // namespace vigie::pages
