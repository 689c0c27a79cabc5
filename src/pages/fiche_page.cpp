// A fiche (/fiches/{id}-{slug}) and its contact (/fiches/{id}/contact).
#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "pages/format.h"
#include "assessment/summary.h"
#include "pages/site_support.h"

namespace vigie::pages {

using domain::UseCase;
using nlohmann::json;
using web::Request;
using web::Response;
namespace tx = domain::taxonomy;

namespace {

// Why another authority appears under "Aussi déployé par".
std::string deployment_reason(store::DeploymentLink link) {
  switch (link) {
    case store::DeploymentLink::reuses_it: return "réutilise ce projet";
    case store::DeploymentLink::inspired_by_it: return "s’en est inspirée";
    case store::DeploymentLink::reused_by_it: return "projet d’origine, réutilisé ici";
    case store::DeploymentLink::inspired_it: return "projet qui a inspiré celui-ci";
    case store::DeploymentLink::same_solution: return "même solution, même domaine";
  }
  return {};
}

// The fiche's attached assessments: latest results, the published answers, and the declared AI
// Act category against the computed one.
json assessments_view(const UseCase& u, const assessment::AssessmentData& data, const domain::Taxonomies& taxonomies) {
  json items = json::array();
  for (const auto& summary : u.assessments) {
    std::string computed_category;
    // The most restrictive outcome reached (the tree lists them from the most restrictive).
    for (const auto& outcome : data.classification.outcomes()) {
      if (std::find(summary.outcomes.begin(), summary.outcomes.end(), outcome.id) == summary.outcomes.end()) continue;
      if (computed_category.empty()) computed_category = outcome.fiche_category;
    }
    const json results = assessment_results_view(data, summary);
    json answers = json::array();
    if (summary.published && !summary.answers_json.empty() && summary.tool != assessment::kFriaTool) {
      const json document = json::parse(summary.answers_json, nullptr, false);
      const assessment::QuestionSource& questions = assessment::questions_of(data, summary.tool);
      if (document.is_object() && document.contains("reponses")) {
        for (const auto& [id, selected] : assessment::answers_from_json(document["reponses"], questions).answers) {
          if (const auto* question = questions.find_question(id)) {
            answers.push_back({{"question", question->label}, {"answer", answer_labels(*question, selected)}});
          }
        }
      }
    }
    const auto& categories = taxonomies.get(tx::kAiActCategories);
    const bool declared = !u.ai_act_category.empty() && u.ai_act_category != "inconnu";
    const bool mismatch = summary.tool == assessment::kClassificationTool && declared && !computed_category.empty() &&
                          computed_category != u.ai_act_category;
    items.push_back({{"tool", tool_title(summary.tool)},
                     {"date", french_date(summary.assessed_at)}, {"version", summary.version},
                     {"questionnaire_version", summary.questionnaire_version}, {"results", results},
                     {"answers", answers}, {"published", !answers.empty()},
                     {"mismatch", mismatch},
                     {"declared_label", declared ? categories.label(u.ai_act_category) : std::string()},
                     {"computed_label", computed_category.empty() ? std::string() : categories.label(computed_category)}});
  }
  return items;
}

}  // namespace

Response Site::fiche(const Request& request) {
  const auto id = id_from_slug(request.param("id"));
  if (!id) return render_error(request, 404, "Cette adresse ne correspond à aucune fiche.");
  auto found = use_cases_.get(*id);
  if (!found.ok()) return error_response(found.error());
  const UseCase& u = *found;
  if (u.publication_state != domain::kPublished && u.publication_state != domain::kArchived) {
    return render_error(request, 404, "Cette fiche n’est pas publiée.");
  }
  const std::string canonical = use_case_path(u);
  if (request.path != canonical) return Response::redirect(canonical, 301);

  RequestDirectory directory(organisations_);
  json view = fiche_view(u, taxonomies_, directory.lookup(), [this](domain::UseCaseId target) -> std::optional<UseCase> {
    auto related = use_cases_.get(target);
    if (!related.ok()) return std::nullopt;
    return std::move(related).value();
  });
  // Similar fiches: the index's "more like this" when there is one, else shared terms in SQL.
  json similar = json::array();
  if (index_ && index_->sequence() >= 0) {
    if (auto ids = index_->similar(u.id, 4); ids.ok()) {
      for (const auto similar_id : *ids) {
        if (auto other = use_cases_.get(similar_id); other.ok()) similar.push_back(card_view(*other, taxonomies_, directory.lookup()));
      }
    }
  } else if (auto found_similar = use_cases_.similar(u.id, 4); found_similar.ok()) {
    for (const auto& other : *found_similar) similar.push_back(card_view(other, taxonomies_, directory.lookup()));
  }
  json same_owner = json::array();
  if (auto found_same = use_cases_.by_owners(u.owners, u.id, 4); found_same.ok()) {
    for (const auto& other : *found_same) same_owner.push_back(card_view(other, taxonomies_, directory.lookup()));
  }
  // "Aussi déployé par": the authorities of the same system elsewhere, each once, with the
  // fiche that shows it and why it is the same system.
  json deployed_by = json::array();
  if (auto deployments = use_cases_.deployments(u.id, 12); deployments.ok()) {
    const auto& kinds = taxonomies_.get(tx::kOrganisationKinds);
    std::vector<std::string> seen = u.owners;
    for (const auto& deployment : *deployments) {
      for (const auto& code : deployment.use_case.owners) {
        if (std::find(seen.begin(), seen.end(), code) != seen.end() || deployed_by.size() >= 8) continue;
        seen.push_back(code);
        auto owner = directory.find(code);
        if (!owner) continue;
        std::string reason = deployment_reason(deployment.link);
        if (deployment.link == store::DeploymentLink::same_solution && !deployment.use_case.provider.name.empty()) {
          reason = "même solution (" + deployment.use_case.provider.name + "), même domaine";
        }
        deployed_by.push_back({{"name", owner->name}, {"url", organisation_path(owner->code)}, {"kind_label", kinds.label(owner->kind)},
                               {"fiche_title", deployment.use_case.title}, {"fiche_url", use_case_path(deployment.use_case)},
                               {"reason", reason}});
      }
    }
  }
  view["deployed_by"] = deployed_by;
  view["has_deployed_by"] = !deployed_by.empty();
  if (options_.assessments) {
    view["assessments"] = assessments_view(u, *options_.assessments, taxonomies_);
    view["has_assessments"] = !view["assessments"].empty();
  }
  view["similar"] = similar;
  view["same_owner"] = same_owner;
  view["has_same_owner"] = !same_owner.empty();
  view["demo"] = u.demo;

  Page page;
  page.title = u.title;
  page.description = u.summary;
  page.template_name = "fiche";
  page.nav = "library";
  page.canonical_path = canonical;
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Bibliothèque"}, {"url", "/bibliotheque"}}, {{"label", u.title}}});
  page.view = std::move(view);
  return render(std::move(page));
}

Response Site::fiche_contact(const Request& request) {
  const auto id = id_from_slug(request.param("id"));
  if (!id) return render_error(request, 404, "Cette adresse ne correspond à aucune fiche.");
  auto found = use_cases_.get(*id);
  if (!found.ok()) return error_response(found.error());
  if (found->publication_state != domain::kPublished || found->contact.email.empty()) {
    return render_error(request, 404, "Cette fiche n’a pas de contact public.");
  }
  Page page;
  page.title = "Contact — " + found->title;
  page.template_name = "contact-reveal";
  page.nav = "library";
  page.noindex = true;
  page.view = {{"title", found->title}, {"fiche_url", use_case_path(*found)}, {"role", found->contact.role},
               {"email", found->contact.email}, {"demo", found->demo}};
  return render(std::move(page));
}

}  // namespace vigie::pages
