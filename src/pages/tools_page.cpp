// The assessment toolkit (/outils): the AI Act pre-classification, one question per screen
// or all on one page, both plain GET forms that work without JavaScript; every state is in
// the URL (the answers as query parameters, assessment::answers_to_query), so a link restores
// the answers and the result. Results are computed by src/assessment at every request.
#include <fmt/format.h>

#include <algorithm>

#include "assessment/answers.h"
#include "assessment/classification.h"
#include "pages/format.h"
#include "pages/site_support.h"

namespace vigie::pages {

using nlohmann::json;
using web::Request;
using web::Response;

namespace {

constexpr const char* kClassificationPath = "/outils/classification-ai-act";
// The page's own parameters, beside the answers.
const std::set<std::string, std::less<>> kPageParams = {"mode", "modifier", "etape", "csrf"};

std::string_view query_of(const Request& request) {
  const auto question_mark = request.target.find('?');
  return question_mark == std::string::npos ? std::string_view() : std::string_view(request.target).substr(question_mark + 1);
}

std::string with_query(const std::string& path, const std::string& query) { return query.empty() ? path : path + "?" + query; }

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

// The labels of the choices selected for `question`, joined.
std::string answer_labels(const assessment::Question& question, const std::vector<std::string>& selected) {
  std::string labels;
  for (const auto& id : selected) {
    if (const auto* choice = question.find_choice(id)) labels += (labels.empty() ? "" : " ; ") + choice->label;
  }
  return labels;
}

json duty_view(const assessment::DutyItem& item, const std::string& key) {
  return {{"id", "obligation-" + key + "-" + item.duty->id}, {"label", item.duty->label}, {"help", item.duty->help},
          {"reference", item.duty->reference}, {"applies_from", french_date(item.applies_from)}};
}

}  // namespace

Response Site::tools_index(const Request&) {
  Page page;
  page.title = "Outils d’évaluation";
  page.template_name = "tools";
  page.nav = "tools";
  page.canonical_path = "/outils";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Outils"}}});
  page.view = {{"classification_version", options_.assessments ? options_.assessments->classification.version() : std::string()}};
  return render(page);
}

Response Site::classification_tool(const Request& request) {
  if (!options_.assessments) return render_error(request, 503, "La boîte à outils est momentanément indisponible.");
  const auto& tree = options_.assessments->classification;
  const auto parsed = assessment::answers_from_query(query_of(request), tree, kPageParams);
  const assessment::Answers& answers = parsed.answers;
  const std::string answers_query = assessment::answers_to_query(answers);
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
                 {"step_url", with_query(kClassificationPath, answers_query)}, {"version", tree.version()}};
    return render(page);
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
               {"step", position + 1},
               {"summary", summary},
               {"has_summary", !summary.empty()},
               {"previous_url", previous.empty() ? std::string()
                                                 : with_query(kClassificationPath, answers_query + (answers_query.empty() ? "" : "&") + "modifier=" + previous)},
               {"all_url", with_query(kClassificationPath, answers_query + (answers_query.empty() ? "" : "&") + "mode=page")},
               {"invalid", invalid},
               {"has_invalid", !invalid.empty()},
               {"version", tree.version()}};
  return render(page);
}

Response Site::classification_result(const Request& request) {
  if (!options_.assessments) return render_error(request, 503, "La boîte à outils est momentanément indisponible.");
  const auto& tree = options_.assessments->classification;
  const auto parsed = assessment::answers_from_query(query_of(request), tree, kPageParams);
  const std::string answers_query = assessment::answers_to_query(parsed.answers);
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
    return render(page);
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
  page.title = "Résultat — Classification AI Act";
  page.view = {{"complete", true},
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
               {"version", tree.version()},
               {"invalid", invalid},
               {"has_invalid", !invalid.empty()}};
  return render(page);
}

}  // namespace vigie::pages
