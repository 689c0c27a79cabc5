#include "domain/use_case_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "core/text.h"

namespace vigie::domain {

namespace {

bool has_control_characters(const std::string& value, bool allow_newlines) {
  return std::any_of(value.begin(), value.end(), [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) return false;
    return u < 0x20 || u == 0x7F;
  });
}

int to_int(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Dates of different precision compare by their common prefix: "2024-03" is not before
// "2024-03-15", and ISO strings compare as text.
bool is_before(const std::string& later, const std::string& earlier) {
  const std::size_t common = std::min(later.size(), earlier.size());
  return later.compare(0, common, earlier, 0, common) < 0;
}

class Checker {
 public:
  Checker(const Taxonomies& taxonomies, std::vector<FieldError>& errors) : taxonomies_(taxonomies), errors_(errors) {}

  void fail(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }

  void text(const std::string& field, const std::string& value, std::size_t max_length, bool required, bool multiline) {
    if (!text::is_valid_utf8(value)) return fail(field, "contient des caractères invalides (UTF-8 attendu)");
    if (required && text::trim(value).empty()) return fail(field, "est obligatoire");
    if (text::length(value) > max_length) {
      return fail(field, fmt::format("ne doit pas dépasser {} caractères (il en a {})", text::group_digits(static_cast<long long>(max_length)),
                                     text::group_digits(static_cast<long long>(text::length(value)))));
    }
    if (has_control_characters(value, multiline)) fail(field, "contient des caractères de contrôle");
  }

  void code(const std::string& field, const std::string& value, const char* taxonomy, bool required) {
    if (value.empty()) {
      if (required) fail(field, "est obligatoire");
      return;
    }
    if (!taxonomies_.get(taxonomy).contains(value)) {
      fail(field, fmt::format("« {} » n'est pas un code connu (voir data/taxonomies/{}.csv)", printable(value), taxonomy));
    }
  }

  void codes(const std::string& field, const std::vector<std::string>& values, const char* taxonomy, bool at_least_one) {
    if (at_least_one && values.empty()) fail(field, "doit contenir au moins une valeur");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < values.size(); ++i) {
      code(fmt::format("{}[{}]", field, i), values[i], taxonomy, true);
      if (!seen.insert(values[i]).second) fail(fmt::format("{}[{}]", field, i), fmt::format("« {} » est en double", printable(values[i])));
    }
  }

  void date(const std::string& field, const std::string& value) {
    if (!value.empty() && !is_valid_partial_date(value)) {
      fail(field, "doit être une date AAAA-MM-JJ (ou AAAA-MM, ou AAAA)");
    }
  }

  void url(const std::string& field, const std::string& value) {
    if (!value.empty() && !is_valid_web_url(value)) fail(field, "doit être une adresse web commençant par https:// ou http://");
  }

  // Values echoed in messages are cut and stripped of invalid bytes.
  static std::string printable(const std::string& value) {
    if (!text::is_valid_utf8(value)) return "(texte invalide)";
    return text::length(value) > 60 ? value.substr(0, 60) + "…" : value;
  }

 private:
  const Taxonomies& taxonomies_;
  std::vector<FieldError>& errors_;
};

}  // namespace

bool is_valid_partial_date(const std::string& date) {
  if (date.size() != 4 && date.size() != 7 && date.size() != 10) return false;
  if (!all_digits(std::string_view(date).substr(0, 4))) return false;
  const int year = to_int(std::string_view(date).substr(0, 4));
  if (year < 1900 || year > 2100) return false;
  if (date.size() == 4) return true;
  if (date[4] != '-' || !all_digits(std::string_view(date).substr(5, 2))) return false;
  const int month = to_int(std::string_view(date).substr(5, 2));
  if (month < 1 || month > 12) return false;
  if (date.size() == 7) return true;
  if (date[7] != '-' || !all_digits(std::string_view(date).substr(8, 2))) return false;
  const int day = to_int(std::string_view(date).substr(8, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days_in_month = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day >= 1 && day <= days_in_month;
}

bool is_valid_web_url(const std::string& url) {
  const bool scheme_ok = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  if (!scheme_ok || url.size() > 2000) return false;
  const std::size_t host_start = url.find("://") + 3;
  if (host_start >= url.size() || url[host_start] == '/') return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\';
  });
}

bool is_valid_email(const std::string& email) {
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos || email.size() > 254) return false;
  const std::string domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
  return std::none_of(email.begin(), email.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == '"' || c == ',' || c == ';';
  });
}

std::vector<FieldError> validate(const UseCase& u, const Taxonomies& taxonomies, const References& references) {
  std::vector<FieldError> errors;
  Checker check(taxonomies, errors);
  namespace tx = taxonomy;

  check.text("titre", u.title, kTitleMaxLength, true, false);
  check.text("resume", u.summary, kSummaryMaxLength, true, true);
  check.text("description", u.description, kDescriptionMaxLength, false, true);

  if (u.owners.empty()) check.fail("porteurs", "indiquez au moins une collectivité porteuse (code SIREN)");
  std::set<std::string> owners;
  for (std::size_t i = 0; i < u.owners.size(); ++i) {
    const std::string field = fmt::format("porteurs[{}]", i);
    if (!owners.insert(u.owners[i]).second) check.fail(field, fmt::format("« {} » est en double", Checker::printable(u.owners[i])));
    else if (!references.organisation_exists(u.owners[i])) {
      check.fail(field, fmt::format("aucune collectivité ne porte le code SIREN « {} » dans le référentiel", Checker::printable(u.owners[i])));
    }
  }
  for (std::size_t i = 0; i < u.partners.size(); ++i) check.text(fmt::format("partenaires[{}]", i), u.partners[i], 200, true, false);

  check.codes("domaines", u.domains, tx::kDomains, true);
  check.codes("finalites", u.purposes, tx::kPurposes, true);
  check.codes("techniques", u.techniques, tx::kTechniques, true);
  check.codes("publics", u.target_users, tx::kTargetUsers, true);

  check.code("statut", u.status, tx::kStatuses, true);
  check.text("motifArret", u.stop_reason, kTextMaxLength, false, true);
  if (u.status == kStopped && text::trim(u.stop_reason).empty()) {
    check.fail("motifArret", "indiquez pourquoi le projet a été arrêté");
  }
  if (u.status != kStopped && !u.stop_reason.empty()) {
    check.fail("motifArret", "ne s'indique que pour un projet arrêté");
  }

  check.date("dateDebut", u.start_date);
  check.date("dateMiseEnProduction", u.production_date);
  check.date("dateFin", u.end_date);
  const bool dates_valid = (u.start_date.empty() || is_valid_partial_date(u.start_date)) &&
                           (u.production_date.empty() || is_valid_partial_date(u.production_date)) &&
                           (u.end_date.empty() || is_valid_partial_date(u.end_date));
  if (dates_valid) {
    if (!u.start_date.empty() && !u.end_date.empty() && is_before(u.end_date, u.start_date)) {
      check.fail("dateFin", "la date de fin ne peut pas précéder la date de début");
    }
    if (!u.start_date.empty() && !u.production_date.empty() && is_before(u.production_date, u.start_date)) {
      check.fail("dateMiseEnProduction", "la mise en production ne peut pas précéder la date de début");
    }
    if (!u.production_date.empty() && !u.end_date.empty() && is_before(u.end_date, u.production_date)) {
      check.fail("dateFin", "la date de fin ne peut pas précéder la mise en production");
    }
  }
  if (!u.end_date.empty() && u.status != kStopped) check.fail("dateFin", "une date de fin ne s'indique que pour un projet arrêté");
  if (u.status == "idee" && !u.production_date.empty()) check.fail("dateMiseEnProduction", "un projet au stade de l'idée n'est pas en production");

  check.code("fournisseur.type", u.provider.type, tx::kProviderTypes, false);
  check.text("fournisseur.nom", u.provider.name, 200, u.provider.type == "prestataire", false);
  check.text("licence", u.licence, 100, false, false);
  check.url("urlCodeSource", u.source_code_url);
  check.code("hebergement", u.hosting, tx::kHosting, false);

  check.codes("donnees.categories", u.data.categories, tx::kDataCategories, false);
  check.text("donnees.sources", u.data.sources, kTextMaxLength, false, true);
  check.code("donnees.aipd", u.data.impact_assessment, tx::kImpactAssessment, false);
  if (u.data.personal_data != true && u.data.sensitive_data == true) {
    check.fail("donnees.donneesSensibles", "des données sensibles sont des données personnelles : cochez aussi « données personnelles »");
  }
  if (u.data.personal_data == true && u.data.impact_assessment == "non-applicable") {
    check.fail("donnees.aipd", "une analyse d'impact (AIPD) s'examine dès qu'il y a des données personnelles");
  }

  check.code("cout.tranche", u.cost.budget_band, tx::kBudgetBands, false);
  if (u.cost.amount_eur) {
    if (*u.cost.amount_eur < 0) check.fail("cout.montant", "doit être positif");
    else if (const Term* band = taxonomies.get(tx::kBudgetBands).find(u.cost.budget_band)) {
      const std::string& minimum = band->column("minimum");
      const std::string& maximum = band->column("maximum");
      const bool below = !minimum.empty() && *u.cost.amount_eur < std::stoll(minimum);
      const bool above = !maximum.empty() && *u.cost.amount_eur > std::stoll(maximum);
      if (below || above) check.fail("cout.montant", fmt::format("le montant n'est pas dans la tranche « {} »", band->label));
    }
  }
  check.codes("cout.financements", u.cost.funding, tx::kFunding, false);

  check.code("controleHumain.niveau", u.oversight.level, tx::kOversight, false);
  check.text("controleHumain.description", u.oversight.description, kTextMaxLength, false, true);
  check.text("risques", u.risks, kTextMaxLength, false, true);

  for (std::size_t i = 0; i < u.results.indicators.size(); ++i) {
    check.text(fmt::format("resultats.indicateurs[{}].libelle", i), u.results.indicators[i].label, 200, true, false);
    check.text(fmt::format("resultats.indicateurs[{}].valeur", i), u.results.indicators[i].value, 200, true, false);
  }
  check.text("resultats.syntheseEvaluation", u.results.evaluation_summary, kTextMaxLength, false, true);
  check.url("resultats.lienEvaluation", u.results.evaluation_url);
  check.text("enseignements", u.lessons_learned, kTextMaxLength, false, true);
  check.code("categorieAiAct", u.ai_act_category, tx::kAiActCategories, false);

  for (std::size_t i = 0; i < u.jobs.size(); ++i) {
    const std::string prefix = fmt::format("metiers[{}]", i);
    check.code(prefix + ".famille", u.jobs[i].family, tx::kJobFamilies, true);
    check.codes(prefix + ".effets", u.jobs[i].effects, tx::kJobEffects, true);
    check.text(prefix + ".description", u.jobs[i].description, kTextMaxLength, false, true);
  }
  check.text("formation", u.training, kTextMaxLength, false, true);

  for (std::size_t i = 0; i < u.relations.size(); ++i) {
    const std::string prefix = fmt::format("relations[{}]", i);
    check.code(prefix + ".type", u.relations[i].type, tx::kRelationTypes, true);
    if (u.relations[i].target == u.id && u.id != 0) check.fail(prefix + ".fiche", "une fiche ne peut pas être liée à elle-même");
    else if (!references.use_case_exists(u.relations[i].target)) {
      check.fail(prefix + ".fiche", fmt::format("la fiche n° {} n'existe pas", u.relations[i].target));
    }
  }
  for (std::size_t i = 0; i < u.links.size(); ++i) {
    const std::string prefix = fmt::format("liens[{}]", i);
    check.text(prefix + ".titre", u.links[i].title, 200, true, false);
    if (u.links[i].url.empty()) check.fail(prefix + ".url", "est obligatoire");
    check.url(prefix + ".url", u.links[i].url);
  }
  check.text("contact.role", u.contact.role, 200, !u.contact.email.empty(), false);
  if (!u.contact.email.empty() && !is_valid_email(u.contact.email)) {
    check.fail("contact.courriel", "doit être une adresse électronique valide, par exemple numerique@mairie.fr");
  }
  check.code("etatPublication", u.publication_state, tx::kPublicationStates, true);
  return errors;
}

}  // namespace vigie::domain
