#include "pages/use_case_view.h"

#include <fmt/format.h>

#include "core/text.h"
#include "pages/format.h"
#include "pages/markdown.h"

namespace vigie::pages {

using domain::UseCase;
using nlohmann::json;
namespace tx = domain::taxonomy;

std::string use_case_path(const UseCase& use_case) {
  return fmt::format("/fiches/{}-{}", use_case.id, text::slugify(use_case.title));
}

std::string organisation_path(const std::string& code) { return "/collectivites/" + code; }

namespace {

json owners_view(const UseCase& u, const domain::Taxonomies& taxonomies, const OrganisationLookup& lookup) {
  json owners = json::array();
  for (std::size_t i = 0; i < u.owners.size(); ++i) {
    auto organisation = lookup(u.owners[i]);
    owners.push_back({
        {"name", organisation ? organisation->name : u.owners[i]},
        {"kind", organisation ? taxonomies.get(tx::kOrganisationKinds).label(organisation->kind) : ""},
        {"url", organisation_path(u.owners[i])},
        {"last", i + 1 == u.owners.size()},
    });
  }
  return owners;
}

json terms_view(const std::vector<std::string>& codes, const domain::Taxonomy& taxonomy) {
  json terms = json::array();
  for (const auto& code : codes) terms.push_back({{"code", code}, {"label", taxonomy.label(code)}});
  return terms;
}

std::string labels_text(const std::vector<std::string>& codes, const domain::Taxonomy& taxonomy) {
  std::string out;
  for (const auto& code : codes) {
    if (!out.empty()) out += ", ";
    out += taxonomy.label(code);
  }
  return out;
}

std::string join(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += separator;
    out += value;
  }
  return out;
}

std::string yes_no(const std::optional<bool>& value) {
  if (!value) return "Non renseigné";
  return *value ? "Oui" : "Non";
}

json status_view(const UseCase& u, const domain::Taxonomies& taxonomies) {
  return {{"code", u.status}, {"label", taxonomies.get(tx::kStatuses).label(u.status)}};
}

}  // namespace

json card_view(const UseCase& u, const domain::Taxonomies& taxonomies, const OrganisationLookup& lookup) {
  return {
      {"id", u.id},
      {"url", use_case_path(u)},
      {"title", u.title},
      {"summary", u.summary},
      {"status", status_view(u, taxonomies)},
      {"domains", terms_view(u.domains, taxonomies.get(tx::kDomains))},
      {"owners", owners_view(u, taxonomies, lookup)},
      {"updated", french_date(u.updated_at)},
      {"demo", u.demo},
  };
}

json fiche_view(const UseCase& u, const domain::Taxonomies& taxonomies, const OrganisationLookup& lookup,
                const std::function<std::optional<UseCase>(domain::UseCaseId)>& related_lookup) {
  json view = card_view(u, taxonomies, lookup);
  view["revision"] = u.revision;
  view["archived"] = u.publication_state == domain::kArchived;
  view["first_owner_name"] = view["owners"].empty() ? json("") : view["owners"][0]["name"];
  view["has_owners"] = !u.owners.empty();
  view["has_partners"] = !u.partners.empty();
  view["partners_text"] = join(u.partners, ", ");
  view["target_users_text"] = labels_text(u.target_users, taxonomies.get(tx::kTargetUsers));
  view["purposes_text"] = labels_text(u.purposes, taxonomies.get(tx::kPurposes));
  view["techniques"] = terms_view(u.techniques, taxonomies.get(tx::kTechniques));
  view["description_html"] = u.description.empty() ? std::string() : render_markdown(u.description);

  std::string provider = u.provider.type.empty() ? std::string("Non renseigné") : taxonomies.get(tx::kProviderTypes).label(u.provider.type);
  if (!u.provider.name.empty()) provider += " — " + u.provider.name;
  view["provider"] = provider;
  view["hosting"] = u.hosting.empty() ? std::string() : taxonomies.get(tx::kHosting).label(u.hosting);
  view["licence"] = u.licence;
  view["source_code_url"] = u.source_code_url;

  view["data_categories"] = labels_text(u.data.categories, taxonomies.get(tx::kDataCategories));
  view["data_sources"] = u.data.sources;
  view["personal_data"] = yes_no(u.data.personal_data);
  view["sensitive_data"] = yes_no(u.data.sensitive_data);
  view["dpia"] = u.data.impact_assessment.empty() ? std::string() : taxonomies.get(tx::kImpactAssessment).label(u.data.impact_assessment);

  view["start_date"] = french_date(u.start_date);
  view["production_date"] = french_date(u.production_date);
  view["end_date"] = french_date(u.end_date);
  view["stop_reason"] = u.stop_reason;

  std::string budget = u.cost.budget_band.empty() ? std::string("Non communiqué") : taxonomies.get(tx::kBudgetBands).label(u.cost.budget_band);
  if (u.cost.amount_eur) budget += " (" + french_euros(*u.cost.amount_eur) + ")";
  view["budget"] = budget;
  view["funding"] = labels_text(u.cost.funding, taxonomies.get(tx::kFunding));

  json indicators = json::array();
  for (const auto& indicator : u.results.indicators) indicators.push_back({{"label", indicator.label}, {"value", indicator.value}});
  view["indicators"] = indicators;
  view["has_indicators"] = !indicators.empty();
  view["evaluation_summary"] = u.results.evaluation_summary;
  view["evaluation_url"] = u.results.evaluation_url;
  view["lessons_learned"] = u.lessons_learned;
  view["has_results"] = !indicators.empty() || !u.results.evaluation_summary.empty() || !u.results.evaluation_url.empty() ||
                        !u.lessons_learned.empty();

  view["oversight"] = u.oversight.level.empty() ? std::string() : taxonomies.get(tx::kOversight).label(u.oversight.level);
  view["oversight_description"] = u.oversight.description;
  const std::string ai_act = u.ai_act_category.empty() ? std::string("inconnu") : u.ai_act_category;
  view["ai_act_label"] = taxonomies.get(tx::kAiActCategories).label(ai_act);
  view["ai_act"] = ai_act == "inconnu" ? std::string() : taxonomies.get(tx::kAiActCategories).label(ai_act);
  view["risks"] = u.risks;

  json jobs = json::array();
  for (const auto& job : u.jobs) {
    jobs.push_back({{"family", taxonomies.get(tx::kJobFamilies).label(job.family)},
                    {"effects", labels_text(job.effects, taxonomies.get(tx::kJobEffects))},
                    {"description", job.description}});
  }
  view["jobs"] = jobs;
  view["has_jobs"] = !jobs.empty();
  view["training"] = u.training;

  json relations = json::array();
  for (const auto& relation : u.relations) {
    auto target = related_lookup(relation.target);
    if (!target || target->publication_state != domain::kPublished) continue;
    relations.push_back({{"type", taxonomies.get(tx::kRelationTypes).label(relation.type)},
                         {"url", use_case_path(*target)},
                         {"title", target->title}});
  }
  view["relations"] = relations;
  view["has_relations"] = !relations.empty();
  json links = json::array();
  for (const auto& link : u.links) links.push_back({{"title", link.title}, {"url", link.url}});
  view["links"] = links;
  view["has_links"] = !links.empty();
  view["has_reuse"] = !relations.empty() || !links.empty();
  view["contact_role"] = u.contact.email.empty() ? std::string() : u.contact.role;

  view["sections"] = json::array({
      {{"id", "identite"}, {"title", "Identité"}},
      {{"id", "finalite"}, {"title", "Finalité et contexte"}},
      {{"id", "fonctionnement"}, {"title", "Fonctionnement"}},
      {{"id", "donnees"}, {"title", "Données"}},
      {{"id", "avancement"}, {"title", "Avancement et calendrier"}},
      {{"id", "cout"}, {"title", "Coût et financement"}},
      {{"id", "resultats"}, {"title", "Résultats et évaluation"}},
      {{"id", "risques"}, {"title", "Risques et garanties"}},
      {{"id", "metiers"}, {"title", "Métiers et compétences"}},
      {{"id", "reutilisation"}, {"title", "Réutilisation"}},
      {{"id", "contact"}, {"title", "Contact"}},
  });
  return view;
}

}  // namespace vigie::pages
