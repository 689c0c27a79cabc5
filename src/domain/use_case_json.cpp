#include "domain/use_case_json.h"

#include <fmt/format.h>

#include <cstdint>
#include <set>

namespace vigie::domain {

using nlohmann::json;

namespace {

json optional_bool(const std::optional<bool>& value) { return value ? json(*value) : json(nullptr); }

}  // namespace

json to_json(const UseCase& u) {
  json indicators = json::array();
  for (const auto& indicator : u.results.indicators) indicators.push_back({{"libelle", indicator.label}, {"valeur", indicator.value}});
  json jobs = json::array();
  for (const auto& job : u.jobs) jobs.push_back({{"famille", job.family}, {"effets", job.effects}, {"description", job.description}});
  json relations = json::array();
  for (const auto& relation : u.relations) relations.push_back({{"type", relation.type}, {"fiche", relation.target}});
  json links = json::array();
  for (const auto& link : u.links) links.push_back({{"titre", link.title}, {"url", link.url}});
    json assessments = json::array();
  for (const auto& a : u.assessments) {
    json item{{"outil", a.tool}, {"version", a.version}, {"versionQuestionnaire", a.questionnaire_version},
              {"date", a.assessed_at}, {"resultats", a.outcomes}, {"niveau", a.level}, {"publiee", a.published}};
    if (a.published && !a.answers_json.empty()) item["reponses"] = json::parse(a.answers_json, nullptr, false);
    assessments.push_back(std::move(item));
  }
return json{
      {"id", u.id},
      {"titre", u.title},
      {"resume", u.summary},
      {"description", u.description},
      {"porteurs", u.owners},
      {"partenaires", u.partners},
      {"domaines", u.domains},
      {"finalites", u.purposes},
      {"techniques", u.techniques},
      {"publics", u.target_users},
      {"statut", u.status},
      {"motifArret", u.stop_reason},
      {"dateDebut", u.start_date},
      {"dateMiseEnProduction", u.production_date},
      {"dateFin", u.end_date},
      {"fournisseur", {{"type", u.provider.type}, {"nom", u.provider.name}}},
      {"licence", u.licence},
      {"urlCodeSource", u.source_code_url},
      {"hebergement", u.hosting},
      {"donnees",
       {{"categories", u.data.categories},
        {"sources", u.data.sources},
        {"donneesPersonnelles", optional_bool(u.data.personal_data)},
        {"donneesSensibles", optional_bool(u.data.sensitive_data)},
        {"aipd", u.data.impact_assessment}}},
      {"cout",
       {{"tranche", u.cost.budget_band},
        {"montant", u.cost.amount_eur ? json(*u.cost.amount_eur) : json(nullptr)},
        {"financements", u.cost.funding}}},
      {"controleHumain", {{"niveau", u.oversight.level}, {"description", u.oversight.description}}},
      {"risques", u.risks},
      {"resultats",
       {{"indicateurs", indicators},
        {"syntheseEvaluation", u.results.evaluation_summary},
        {"lienEvaluation", u.results.evaluation_url}}},
      {"enseignements", u.lessons_learned},
      {"categorieAiAct", u.ai_act_category},
      {"metiers", jobs},
      {"formation", u.training},
      {"relations", relations},
      {"liens", links},
      {"contact", {{"role", u.contact.role}, {"courriel", u.contact.email}}},
      {"etatPublication", u.publication_state},
      {"evaluations", assessments},
      {"creeLe", u.created_at},
      {"modifieLe", u.updated_at},
      {"revision", u.revision},
      {"demo", u.demo},
  };
}

namespace {

// Reads fields of one JSON object, collecting type errors and unknown fields.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, std::vector<FieldError>& errors)
      : object_(object), path_(std::move(path)), errors_(errors) {}

  std::string field_path(std::string_view name) const {
    return path_.empty() ? std::string(name) : fmt::format("{}.{}", path_, name);
  }

  const json* get(std::string_view name) {
    known_.emplace(name);
    auto found = object_.find(std::string(name));
    if (found == object_.end() || found->is_null()) return nullptr;
    return &*found;
  }

  void text(std::string_view name, std::string& out) {
    if (const json* value = get(name)) {
      if (value->is_string()) out = value->get<std::string>();
      else errors_.push_back({field_path(name), "doit être un texte"});
    }
  }

  void texts(std::string_view name, std::vector<std::string>& out) {
    if (const json* value = get(name)) {
      if (!value->is_array()) {
        errors_.push_back({field_path(name), "doit être une liste de textes"});
        return;
      }
      for (std::size_t i = 0; i < value->size(); ++i) {
        if ((*value)[i].is_string()) out.push_back((*value)[i].get<std::string>());
        else errors_.push_back({fmt::format("{}[{}]", field_path(name), i), "doit être un texte"});
      }
    }
  }

  void boolean(std::string_view name, std::optional<bool>& out) {
    if (const json* value = get(name)) {
      if (value->is_boolean()) out = value->get<bool>();
      else errors_.push_back({field_path(name), "doit valoir true, false ou null"});
    }
  }

  void integer(std::string_view name, std::optional<std::int64_t>& out) {
    if (const json* value = get(name)) {
      // nlohmann reads integers above INT64_MAX as unsigned: refuse them rather than wrap.
      if (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        errors_.push_back({field_path(name), "est un nombre trop grand"});
      } else if (value->is_number_integer()) {
        out = value->get<std::int64_t>();
      } else {
        errors_.push_back({field_path(name), "doit être un nombre entier"});
      }
    }
  }

  // Calls `read(element_reader, index)` for each object of an array field.
  template <typename Fn>
  void objects(std::string_view name, Fn read) {
    if (const json* value = get(name)) {
      if (!value->is_array()) {
        errors_.push_back({field_path(name), "doit être une liste"});
        return;
      }
      for (std::size_t i = 0; i < value->size(); ++i) {
        const std::string element_path = fmt::format("{}[{}]", field_path(name), i);
        if (!(*value)[i].is_object()) {
          errors_.push_back({element_path, "doit être un objet"});
          continue;
        }
        ObjectReader element((*value)[i], element_path, errors_);
        read(element);
        element.report_unknown();
      }
    }
  }

  template <typename Fn>
  void object(std::string_view name, Fn read) {
    if (const json* value = get(name)) {
      if (!value->is_object()) {
        errors_.push_back({field_path(name), "doit être un objet"});
        return;
      }
      ObjectReader inner(*value, field_path(name), errors_);
      read(inner);
      inner.report_unknown();
    }
  }

  // An object field kept as its JSON text (empty when absent).
  void raw_object(std::string_view name, std::string& out) {
    if (const json* value = get(name)) {
      if (!value->is_object()) {
        errors_.push_back({field_path(name), "doit être un objet"});
        return;
      }
      out = value->dump();
    }
  }

  void ignore(std::string_view name) { known_.emplace(name); }

  void report_unknown() {
    for (const auto& [key, value] : object_.items()) {
      if (!known_.count(key)) errors_.push_back({field_path(key), "champ inconnu"});
    }
  }

 private:
  const json& object_;
  std::string path_;
  std::vector<FieldError>& errors_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace

Result<UseCase> from_json(const json& document, ReadOnlyFields read_only) {
  if (!document.is_object()) return Error::invalid("La fiche doit être un objet JSON.", {{"", "doit être un objet JSON"}});
  UseCase u;
  std::vector<FieldError> errors;
  ObjectReader r(document, "", errors);
  if (read_only == ReadOnlyFields::keep) {
    std::optional<std::int64_t> id, revision;
    r.integer("id", id);
    r.integer("revision", revision);
    u.id = id.value_or(0);
    u.revision = revision.value_or(0);
    r.text("creeLe", u.created_at);
    r.text("modifieLe", u.updated_at);
    std::optional<bool> demo;
    r.boolean("demo", demo);
    u.demo = demo.value_or(false);
    r.objects("evaluations", [&](ObjectReader& e) {
      AssessmentSummary a;
      std::optional<std::int64_t> version;
      std::optional<bool> published;
      e.text("outil", a.tool);
      e.integer("version", version);
      e.text("versionQuestionnaire", a.questionnaire_version);
      e.text("date", a.assessed_at);
      e.texts("resultats", a.outcomes);
      e.text("niveau", a.level);
      e.boolean("publiee", published);
      e.raw_object("reponses", a.answers_json);
      a.version = version.value_or(0);
      a.published = published.value_or(false);
      u.assessments.push_back(std::move(a));
    });
  } else {
    for (const char* name : {"id", "revision", "creeLe", "modifieLe", "demo", "evaluations"}) r.ignore(name);
  }
  r.text("titre", u.title);
  r.text("resume", u.summary);
  r.text("description", u.description);
  r.texts("porteurs", u.owners);
  r.texts("partenaires", u.partners);
  r.texts("domaines", u.domains);
  r.texts("finalites", u.purposes);
  r.texts("techniques", u.techniques);
  r.texts("publics", u.target_users);
  r.text("statut", u.status);
  r.text("motifArret", u.stop_reason);
  r.text("dateDebut", u.start_date);
  r.text("dateMiseEnProduction", u.production_date);
  r.text("dateFin", u.end_date);
  r.object("fournisseur", [&](ObjectReader& o) {
    o.text("type", u.provider.type);
    o.text("nom", u.provider.name);
  });
  r.text("licence", u.licence);
  r.text("urlCodeSource", u.source_code_url);
  r.text("hebergement", u.hosting);
  r.object("donnees", [&](ObjectReader& o) {
    o.texts("categories", u.data.categories);
    o.text("sources", u.data.sources);
    o.boolean("donneesPersonnelles", u.data.personal_data);
    o.boolean("donneesSensibles", u.data.sensitive_data);
    o.text("aipd", u.data.impact_assessment);
  });
  r.object("cout", [&](ObjectReader& o) {
    o.text("tranche", u.cost.budget_band);
    o.integer("montant", u.cost.amount_eur);
    o.texts("financements", u.cost.funding);
  });
  r.object("controleHumain", [&](ObjectReader& o) {
    o.text("niveau", u.oversight.level);
    o.text("description", u.oversight.description);
  });
  r.text("risques", u.risks);
  r.object("resultats", [&](ObjectReader& o) {
    o.objects("indicateurs", [&](ObjectReader& e) {
      Indicator indicator;
      e.text("libelle", indicator.label);
      e.text("valeur", indicator.value);
      u.results.indicators.push_back(std::move(indicator));
    });
    o.text("syntheseEvaluation", u.results.evaluation_summary);
    o.text("lienEvaluation", u.results.evaluation_url);
  });
  r.text("enseignements", u.lessons_learned);
  r.text("categorieAiAct", u.ai_act_category);
  r.objects("metiers", [&](ObjectReader& e) {
    JobImpact job;
    e.text("famille", job.family);
    e.texts("effets", job.effects);
    e.text("description", job.description);
    u.jobs.push_back(std::move(job));
  });
  r.text("formation", u.training);
  r.objects("relations", [&](ObjectReader& e) {
    Relation relation;
    std::optional<std::int64_t> target;
    e.text("type", relation.type);
    e.integer("fiche", target);
    relation.target = target.value_or(0);
    u.relations.push_back(std::move(relation));
  });
  r.objects("liens", [&](ObjectReader& e) {
    Link link;
    e.text("titre", link.title);
    e.text("url", link.url);
    u.links.push_back(std::move(link));
  });
  r.object("contact", [&](ObjectReader& o) {
    o.text("role", u.contact.role);
    o.text("courriel", u.contact.email);
  });
  r.text("etatPublication", u.publication_state);
  r.report_unknown();
  if (!errors.empty()) return Error::invalid("La fiche contient des champs invalides.", std::move(errors));
  return u;
}

}  // namespace vigie::domain
