#include "domain/use_case_validation.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/domain/field_errors.h"
#include "tests/support/fixtures.h"

namespace vigie::domain {
namespace {

using test::fields_of;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr UseCaseId kExistingFiche = 12;

// The organisations of the fixtures and one stored fiche exist; nothing else does.
References known_references() {
  return {
      [](const std::string& code) { return code == "213502388" || code == "243500139"; },
      [](UseCaseId id) { return id == kExistingFiche; },
  };
}

std::vector<FieldError> validate_fiche(const UseCase& use_case) {
  return validate(use_case, test::taxonomies(), known_references());
}

std::vector<std::string> broken_fields(const UseCase& use_case) { return fields_of(validate_fiche(use_case)); }

// A valid stopped project without dates, for date rules that need only some dates set.
UseCase stopped_use_case() {
  UseCase u = test::minimal_use_case();
  u.status = kStopped;
  u.stop_reason = "Projet abandonné.";
  return u;
}

std::string repeat(const std::string& piece, std::size_t times) {
  std::string result;
  for (std::size_t i = 0; i < times; ++i) result += piece;
  return result;
}

// A one-field change applied to a valid fiche, and the field path it must break.
struct Change {
  const char* expected_field;
  void (*apply)(UseCase&);
};

void expect_each_breaks_only_its_field(UseCase (*base)(), const std::vector<Change>& changes) {
  for (const auto& change : changes) {
    SCOPED_TRACE(change.expected_field);
    UseCase u = base();
    change.apply(u);
    EXPECT_THAT(broken_fields(u), ElementsAre(change.expected_field));
  }
}

// --- The fixtures every other test starts from --------------------------------------------

TEST(ValidateTest, FullFicheIsValid) { EXPECT_THAT(validate_fiche(test::full_use_case()), IsEmpty()); }
TEST(ValidateTest, MinimalFicheIsValid) { EXPECT_THAT(validate_fiche(test::minimal_use_case()), IsEmpty()); }
TEST(ValidateTest, StoppedFicheWithoutDatesIsValid) { EXPECT_THAT(validate_fiche(stopped_use_case()), IsEmpty()); }

TEST(ValidateTest, ReportsEveryBrokenRuleAtOnce) {
  UseCase u = test::minimal_use_case();
  u.title = "";
  u.domains = {};
  u.publication_state = "cachee";
  EXPECT_THAT(broken_fields(u), ElementsAre("titre", "domaines", "etatPublication"));
}

// --- Texts ---------------------------------------------------------------------------------

TEST(ValidateTest, TitleIsRequired) {
  for (const char* title : {"", "   ", "\t"}) {
    SCOPED_TRACE(title);
    UseCase u = test::minimal_use_case();
    u.title = title;
    EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"titre", "est obligatoire"}));
  }
}

TEST(ValidateTest, TitleLengthCountsCharactersNotBytes) {
  UseCase u = test::minimal_use_case();
  u.title = repeat("é", kTitleMaxLength);  // 400 bytes, 200 characters
  EXPECT_THAT(validate_fiche(u), IsEmpty());
  u.title += "é";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"titre", "ne doit pas dépasser 200 caractères (il en a 201)"}));
}

TEST(ValidateTest, TitleRefusesControlCharactersIncludingNewlines) {
  for (const char* title : {"Ligne\nsuivante", "Tab\tulation", "Cloche\x07", "Suppr\x7F"}) {
    SCOPED_TRACE(title);
    UseCase u = test::minimal_use_case();
    u.title = title;
    EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"titre", "contient des caractères de contrôle"}));
  }
}

TEST(ValidateTest, SummaryAcceptsNewlinesButNotOtherControlCharacters) {
  UseCase u = test::minimal_use_case();
  u.summary = "Première ligne.\r\nSeconde\tligne.";
  EXPECT_THAT(validate_fiche(u), IsEmpty());
  u.summary = "Caractère nul \x01 ici.";
  EXPECT_THAT(broken_fields(u), ElementsAre("resume"));
}

TEST(ValidateTest, SummaryIsRequired) {
  UseCase u = test::minimal_use_case();
  u.summary = " ";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"resume", "est obligatoire"}));
}

TEST(ValidateTest, SummaryOfExactly400CharactersIsAccepted) {
  UseCase u = test::minimal_use_case();
  u.summary = repeat("à", kSummaryMaxLength);
  EXPECT_THAT(validate_fiche(u), IsEmpty());
}

TEST(ValidateTest, SummaryOver400CharactersIsRefused) {
  UseCase u = test::minimal_use_case();
  u.summary = repeat("a", kSummaryMaxLength + 1);
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"resume", "ne doit pas dépasser 400 caractères (il en a 401)"}));
}

TEST(ValidateTest, DescriptionTooLongGivesGroupedNumbers) {
  UseCase u = test::full_use_case();
  u.description = repeat("x", kDescriptionMaxLength);
  EXPECT_THAT(validate_fiche(u), IsEmpty());
  u.description += "x";
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"description", "ne doit pas dépasser 100\u202F000 caractères (il en a 100\u202F001)"}));
}

TEST(ValidateTest, InvalidUtf8IsReportedOnItsField) {
  const std::vector<Change> changes = {
      {"titre", [](UseCase& u) { u.title = "Caf\xC3"; }},
      {"resume", [](UseCase& u) { u.summary = "R\xC0\xAFsum\xE9"; }},
      {"description", [](UseCase& u) { u.description = "\xFF"; }},
      {"risques", [](UseCase& u) { u.risks = "\xED\xA0\x80"; }},
      {"contact.role", [](UseCase& u) { u.contact.role = "Direction \xE9"; }},
  };
  expect_each_breaks_only_its_field(test::full_use_case, changes);
  UseCase u = test::full_use_case();
  u.title = "Caf\xC3";
  EXPECT_EQ(validate_fiche(u).at(0).message, "contient des caractères invalides (UTF-8 attendu)");
}

TEST(ValidateTest, OtherTextsAreLimitedInLength) {
  const std::vector<Change> changes = {
      {"partenaires[0]", [](UseCase& u) { u.partners[0] = repeat("p", 201); }},
      {"fournisseur.nom", [](UseCase& u) { u.provider.name = repeat("n", 201); }},
      {"licence", [](UseCase& u) { u.licence = repeat("l", 101); }},
      {"risques", [](UseCase& u) { u.risks = repeat("r", kTextMaxLength + 1); }},
      {"motifArret", [](UseCase& u) { u.stop_reason = repeat("m", kTextMaxLength + 1); }},
      {"metiers[0].description", [](UseCase& u) { u.jobs[0].description = repeat("d", kTextMaxLength + 1); }},
  };
  expect_each_breaks_only_its_field(test::full_use_case, changes);
}

TEST(ValidateTest, RequiredSubTextsAreReported) {
  const std::vector<Change> changes = {
      {"partenaires[0]", [](UseCase& u) { u.partners[0] = ""; }},
      {"resultats.indicateurs[0].libelle", [](UseCase& u) { u.results.indicators[0].label = ""; }},
      {"resultats.indicateurs[0].valeur", [](UseCase& u) { u.results.indicators[0].value = " "; }},
      {"liens[0].titre", [](UseCase& u) { u.links[0].title = ""; }},
      {"liens[0].url", [](UseCase& u) { u.links[0].url = ""; }},
  };
  expect_each_breaks_only_its_field(test::full_use_case, changes);
}

// --- Owners --------------------------------------------------------------------------------

TEST(ValidateTest, AtLeastOneOwnerIsRequired) {
  UseCase u = test::minimal_use_case();
  u.owners = {};
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"porteurs", "indiquez au moins une collectivité porteuse (code SIREN)"}));
}

TEST(ValidateTest, DuplicateOwnerIsReportedOnTheSecond) {
  UseCase u = test::full_use_case();
  u.owners = {"213502388", "243500139", "213502388"};
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"porteurs[2]", "« 213502388 » est en double"}));
}

TEST(ValidateTest, UnknownOwnerIsReported) {
  UseCase u = test::full_use_case();
  u.owners[1] = "999999999";
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"porteurs[1]", "aucune collectivité ne porte le code SIREN « 999999999 » dans le référentiel"}));
}

// --- Taxonomy codes ------------------------------------------------------------------------

TEST(ValidateTest, UnknownCodeNamesItsField) {
  const std::vector<Change> changes = {
      {"domaines[0]", [](UseCase& u) { u.domains[0] = "astrologie"; }},
      {"finalites[1]", [](UseCase& u) { u.purposes[1] = "divination"; }},
      {"techniques[1]", [](UseCase& u) { u.techniques[1] = "blockchain"; }},
      {"publics[1]", [](UseCase& u) { u.target_users[1] = "martiens"; }},
      {"fournisseur.type", [](UseCase& u) { u.provider.type = "fournisseur-inconnu"; }},
      {"hebergement", [](UseCase& u) { u.hosting = "nuage"; }},
      {"donnees.categories[1]", [](UseCase& u) { u.data.categories[1] = "genetiques"; }},
      {"donnees.aipd", [](UseCase& u) { u.data.impact_assessment = "peut-etre"; }},
      {"cout.tranche", [](UseCase& u) { u.cost.budget_band = "gratuit"; }},
      {"cout.financements[0]", [](UseCase& u) { u.cost.funding[0] = "mecene"; }},
      {"controleHumain.niveau", [](UseCase& u) { u.oversight.level = "aucun"; }},
      {"categorieAiAct", [](UseCase& u) { u.ai_act_category = "risque-moyen"; }},
      {"metiers[0].famille", [](UseCase& u) { u.jobs[0].family = "astronautes"; }},
      {"metiers[0].effets[0]", [](UseCase& u) { u.jobs[0].effects[0] = "taches-supprimees"; }},
      {"etatPublication", [](UseCase& u) { u.publication_state = "cachee"; }},
  };
  expect_each_breaks_only_its_field(test::full_use_case, changes);
}

TEST(ValidateTest, UnknownStatusIsReported) {
  UseCase u = test::minimal_use_case();
  u.status = "en-pause";
  EXPECT_THAT(broken_fields(u), ElementsAre("statut"));
}

TEST(ValidateTest, UnknownCodeMessageNamesTheCodeAndTheFile) {
  UseCase u = test::full_use_case();
  u.techniques[1] = "blockchain";
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"techniques[1]", "« blockchain » n'est pas un code connu (voir data/taxonomies/techniques.csv)"}));
}

TEST(ValidateTest, UnknownCodeWithInvalidUtf8IsNotEchoed) {
  UseCase u = test::full_use_case();
  u.hosting = "nuage\xFF";
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"hebergement", "« (texte invalide) » n'est pas un code connu (voir data/taxonomies/hebergements.csv)"}));
}

TEST(ValidateTest, RequiredCodesCannotBeEmpty) {
  const std::vector<Change> changes = {
      {"statut", [](UseCase& u) { u.status = ""; }},
      {"etatPublication", [](UseCase& u) { u.publication_state = ""; }},
      {"domaines[0]", [](UseCase& u) { u.domains[0] = ""; }},
  };
  expect_each_breaks_only_its_field(test::minimal_use_case, changes);
}

TEST(ValidateTest, DuplicateCodeInAListIsReportedOnTheSecond) {
  const std::vector<Change> changes = {
      {"domaines[1]", [](UseCase& u) { u.domains[1] = u.domains[0]; }},
      {"techniques[1]", [](UseCase& u) { u.techniques[1] = u.techniques[0]; }},
      {"donnees.categories[1]", [](UseCase& u) { u.data.categories[1] = u.data.categories[0]; }},
      {"cout.financements[1]", [](UseCase& u) { u.cost.funding[1] = u.cost.funding[0]; }},
      {"metiers[0].effets[1]", [](UseCase& u) { u.jobs[0].effects[1] = u.jobs[0].effects[0]; }},
  };
  expect_each_breaks_only_its_field(test::full_use_case, changes);
  UseCase u = test::full_use_case();
  u.domains[1] = u.domains[0];
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"domaines[1]", "« dechets-proprete » est en double"}));
}

TEST(ValidateTest, ClassificationListsNeedAtLeastOneValue) {
  const std::vector<Change> changes = {
      {"domaines", [](UseCase& u) { u.domains.clear(); }},
      {"finalites", [](UseCase& u) { u.purposes.clear(); }},
      {"techniques", [](UseCase& u) { u.techniques.clear(); }},
      {"publics", [](UseCase& u) { u.target_users.clear(); }},
  };
  expect_each_breaks_only_its_field(test::minimal_use_case, changes);
  UseCase u = test::minimal_use_case();
  u.techniques.clear();
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"techniques", "doit contenir au moins une valeur"}));
}

TEST(ValidateTest, OptionalCodeListsMayBeEmpty) {
  UseCase u = test::full_use_case();
  u.data.categories.clear();
  u.cost.funding.clear();
  EXPECT_THAT(validate_fiche(u), IsEmpty());
}

// --- Status and stop reason ----------------------------------------------------------------

TEST(ValidateTest, StoppedProjectNeedsAStopReason) {
  UseCase u = stopped_use_case();
  u.stop_reason = "  ";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"motifArret", "indiquez pourquoi le projet a été arrêté"}));
}

TEST(ValidateTest, StopReasonIsRefusedWhenNotStopped) {
  UseCase u = test::minimal_use_case();
  u.stop_reason = "Abandonné.";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"motifArret", "ne s'indique que pour un projet arrêté"}));
}

// --- Dates ---------------------------------------------------------------------------------

TEST(IsValidPartialDateTest, AcceptsYearMonthAndDayPrecision) {
  struct Case {
    const char* date;
    bool valid;
  };
  const Case cases[] = {
      {"2024", true},        {"2024-02", true},     {"2024-02-29", true},  {"2000-02-29", true},  {"1900-01-01", true},
      {"2100-12-31", true},  {"2024-04-30", true},  {"2023-02-29", false}, {"1900-02-29", false}, {"2024-04-31", false},
      {"2024-13", false},    {"2024-00", false},    {"2024-01-00", false}, {"2024-01-32", false}, {"24-01-01", false},
      {"2024/01/01", false}, {"2024-1-01", false},  {"2024-01-1", false},  {"1899", false},       {"2101", false},
      {"", false},           {"abcd", false},       {"2024-", false},      {"2024-02-29T00:00", false},
      {"+024", false},       {"2024-0a", false},    {"2024-01-0x", false}, {"2024 01 01", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_valid_partial_date(c.date), c.valid) << '"' << c.date << '"';
}

TEST(ValidateTest, StartDateFormat) {
  struct Case {
    const char* date;
    bool valid;
  };
  // The empty string means "unknown" and is accepted, unlike in is_valid_partial_date.
  const Case cases[] = {{"", true},          {"2024", true},     {"2024-02", true},     {"2024-02-29", true},
                        {"2023-02-29", false}, {"2024-13", false}, {"24-01-01", false}, {"2024/01/01", false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.date);
    UseCase u = test::minimal_use_case();
    u.start_date = c.date;
    if (c.valid) EXPECT_THAT(validate_fiche(u), IsEmpty());
    else EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"dateDebut", "doit être une date AAAA-MM-JJ (ou AAAA-MM, ou AAAA)"}));
  }
}

TEST(ValidateTest, EachDateFieldIsCheckedForFormat) {
  const std::vector<Change> changes = {
      {"dateDebut", [](UseCase& u) { u.start_date = "2022/03"; }},
      {"dateMiseEnProduction", [](UseCase& u) { u.production_date = "2023-02-30"; }},
      {"dateFin", [](UseCase& u) { u.end_date = "30/06/2024"; }},
  };
  expect_each_breaks_only_its_field(test::full_use_case, changes);
}

TEST(ValidateTest, EndDateBeforeStartDateIsRefused) {
  UseCase u = stopped_use_case();
  u.start_date = "2024-05";
  u.end_date = "2024-05-31";
  EXPECT_THAT(validate_fiche(u), IsEmpty());
  u.end_date = "2024-04-30";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"dateFin", "la date de fin ne peut pas précéder la date de début"}));
}

TEST(ValidateTest, DatesOfDifferentPrecisionCompareByTheirCommonPart) {
  UseCase u = stopped_use_case();
  u.start_date = "2024-03-15";
  u.end_date = "2024-03";
  EXPECT_THAT(validate_fiche(u), IsEmpty());
  u.end_date = "2024";
  EXPECT_THAT(validate_fiche(u), IsEmpty());
  u.end_date = "2023";
  EXPECT_THAT(broken_fields(u), ElementsAre("dateFin"));
}

TEST(ValidateTest, ProductionBeforeStartIsRefused) {
  UseCase u = test::full_use_case();
  u.production_date = "2022-02-28";
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"dateMiseEnProduction", "la mise en production ne peut pas précéder la date de début"}));
}

TEST(ValidateTest, EndBeforeProductionIsRefused) {
  UseCase u = test::full_use_case();
  u.end_date = "2022-12";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"dateFin", "la date de fin ne peut pas précéder la mise en production"}));
}

TEST(ValidateTest, DateOrderIsNotCheckedWhenADateIsMalformed) {
  UseCase u = test::full_use_case();
  u.start_date = "2099-13";
  EXPECT_THAT(broken_fields(u), ElementsAre("dateDebut"));
}

TEST(ValidateTest, EndDateOnlyForAStoppedProject) {
  UseCase u = test::minimal_use_case();
  u.end_date = "2024-01";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"dateFin", "une date de fin ne s'indique que pour un projet arrêté"}));
}

TEST(ValidateTest, IdeaCannotHaveAProductionDate) {
  UseCase u = test::minimal_use_case();
  u.production_date = "2024-01";
  ASSERT_THAT(validate_fiche(u), IsEmpty());
  u.status = "idee";
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"dateMiseEnProduction", "un projet au stade de l'idée n'est pas en production"}));
}

// --- Provider ------------------------------------------------------------------------------

TEST(ValidateTest, ProviderNameRequiredOnlyForAContractor) {
  UseCase u = test::full_use_case();
  u.provider.name = "";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"fournisseur.nom", "est obligatoire"}));
  u.provider.type = "interne";
  EXPECT_THAT(validate_fiche(u), IsEmpty());
}

// --- URLs ----------------------------------------------------------------------------------

TEST(IsValidWebUrlTest, AcceptsOnlyAbsoluteHttpUrls) {
  struct Case {
    std::string url;
    bool valid;
  };
  const Case cases[] = {
      {"https://example.org/x", true},
      {"http://example.org", true},
      {"https://example.org/été?q=1#a", true},
      {"https://" + std::string(1992, 'a'), true},  // 2000 characters
      {"https://" + std::string(1993, 'a'), false},
      {"", false},
      {"https://", false},
      {"https:///chemin", false},
      {"javascript:alert(1)", false},
      {"ftp://example.org/f", false},
      {"//example.org", false},
      {"example.org", false},
      {"https://example.org/a b", false},
      {" https://example.org", false},
      {"https://example.org/\t", false},
      {"https://example.org/\x7F", false},
      {"https://example.org/\"x", false},
      {"https://example.org/<script>", false},
      {"https://example.org\\x", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_valid_web_url(c.url), c.valid) << '"' << c.url << '"';
}

TEST(ValidateTest, UrlsAreCheckedOnEveryUrlField) {
  struct Field {
    const char* path;
    void (*set)(UseCase&, const std::string&);
  };
  const Field fields[] = {
      {"urlCodeSource", [](UseCase& u, const std::string& url) { u.source_code_url = url; }},
      {"resultats.lienEvaluation", [](UseCase& u, const std::string& url) { u.results.evaluation_url = url; }},
      {"liens[0].url", [](UseCase& u, const std::string& url) { u.links[0].url = url; }},
  };
  for (const auto& field : fields) {
    for (const char* url : {"javascript:alert(1)", "ftp://example.org/f", "https://", "https://example.org/a b"}) {
      SCOPED_TRACE(std::string(field.path) + " = " + url);
      UseCase u = test::full_use_case();
      field.set(u, url);
      EXPECT_THAT(validate_fiche(u),
                  ElementsAre(FieldError{field.path, "doit être une adresse web commençant par https:// ou http://"}));
    }
    UseCase u = test::full_use_case();
    field.set(u, "https://example.org/x");
    EXPECT_THAT(validate_fiche(u), IsEmpty()) << field.path;
  }
}

TEST(ValidateTest, OptionalUrlsMayBeEmpty) {
  UseCase u = test::full_use_case();
  u.source_code_url = "";
  u.results.evaluation_url = "";
  EXPECT_THAT(validate_fiche(u), IsEmpty());
}

TEST(ValidateTest, LinkUrlIsRequired) {
  UseCase u = test::full_use_case();
  u.links[0].url = "";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"liens[0].url", "est obligatoire"}));
}

// --- Cost ----------------------------------------------------------------------------------

TEST(ValidateTest, NegativeAmountIsRefused) {
  UseCase u = test::full_use_case();
  u.cost.amount_eur = -1;
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"cout.montant", "doit être positif"}));
}

TEST(ValidateTest, AmountMustLieInItsBudgetBand) {
  struct Case {
    const char* band;
    std::int64_t amount;
    bool valid;
  };
  const Case cases[] = {
      {"moins-10k", 0, true},          {"moins-10k", 9'999, true},       {"moins-10k", 10'000, false},
      {"10k-50k", 10'000, true},       {"10k-50k", 49'999, true},        {"10k-50k", 50'000, false},
      {"10k-50k", 9'999, false},       {"plus-1m", 1'000'000, true},     {"plus-1m", 5'000'000'000, true},
      {"plus-1m", 999'999, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(fmt::format("{} {}", c.band, c.amount));
    UseCase u = test::full_use_case();
    u.cost.budget_band = c.band;
    u.cost.amount_eur = c.amount;
    if (c.valid) EXPECT_THAT(validate_fiche(u), IsEmpty());
    else EXPECT_THAT(broken_fields(u), ElementsAre("cout.montant"));
  }
}

TEST(ValidateTest, AmountOutsideBandMessageNamesTheBand) {
  UseCase u = test::full_use_case();
  u.cost.budget_band = "10k-50k";
  u.cost.amount_eur = 50'000;
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"cout.montant", "le montant n'est pas dans la tranche « De 10 000 à 50 000 € »"}));
}

TEST(ValidateTest, AmountWithoutBandIsNotRangeChecked) {
  UseCase u = test::full_use_case();
  u.cost.budget_band = "";
  u.cost.amount_eur = 123'456'789;
  EXPECT_THAT(validate_fiche(u), IsEmpty());
}

// --- Data ----------------------------------------------------------------------------------

TEST(ValidateTest, SensitiveDataWithoutPersonalDataIsRefused) {
  UseCase u = test::full_use_case();
  u.data.sensitive_data = true;
  ASSERT_THAT(validate_fiche(u), IsEmpty());
  u.data.personal_data = false;
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{
                                     "donnees.donneesSensibles",
                                     "des données sensibles sont des données personnelles : cochez aussi « données personnelles »"}));
}

TEST(ValidateTest, PersonalDataCannotHaveImpactAssessmentNotApplicable) {
  UseCase u = test::full_use_case();
  u.data.impact_assessment = "non-applicable";
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"donnees.aipd", "une analyse d'impact (AIPD) s'examine dès qu'il y a des données personnelles"}));
  u.data.personal_data = false;
  EXPECT_THAT(validate_fiche(u), IsEmpty());
}

// --- Jobs ----------------------------------------------------------------------------------

TEST(ValidateTest, JobImpactNeedsAFamilyAndAnEffect) {
  UseCase u = test::full_use_case();
  u.jobs[0].family = "";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"metiers[0].famille", "est obligatoire"}));
  u = test::full_use_case();
  u.jobs[0].effects.clear();
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"metiers[0].effets", "doit contenir au moins une valeur"}));
}

TEST(ValidateTest, SecondJobImpactIsIndexed) {
  UseCase u = test::full_use_case();
  u.jobs.push_back({"sport", {"inconnu"}, ""});
  EXPECT_THAT(broken_fields(u), ElementsAre("metiers[1].effets[0]"));
}

// --- Relations -----------------------------------------------------------------------------

UseCase with_relation() {
  UseCase u = test::full_use_case();
  u.relations = {{"reutilise", kExistingFiche}};
  return u;
}

TEST(ValidateTest, RelationToAnExistingFicheIsValid) { EXPECT_THAT(validate_fiche(with_relation()), IsEmpty()); }

TEST(ValidateTest, RelationTypeMustBeKnown) {
  UseCase u = with_relation();
  u.relations[0].type = "copie";
  EXPECT_THAT(broken_fields(u), ElementsAre("relations[0].type"));
  u.relations[0].type = "";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"relations[0].type", "est obligatoire"}));
}

TEST(ValidateTest, RelationToItselfIsRefused) {
  UseCase u = with_relation();
  u.id = kExistingFiche;
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"relations[0].fiche", "une fiche ne peut pas être liée à elle-même"}));
}

TEST(ValidateTest, RelationToAMissingFicheIsRefused) {
  UseCase u = with_relation();
  u.relations[0].target = 99;
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"relations[0].fiche", "la fiche n° 99 n'existe pas"}));
}

// --- Contact -------------------------------------------------------------------------------

TEST(IsValidEmailTest, AcceptsPlausibleAddresses) {
  struct Case {
    const char* email;
    bool valid;
  };
  const Case cases[] = {
      {"numerique@mairie.fr", true}, {"a.b-c+d@sous.domaine.fr", true}, {"élu@mairie.fr", true},
      {"", false},                   {"mairie.fr", false},              {"@mairie.fr", false},
      {"numerique@", false},         {"numerique@mairie", false},       {"numerique@.fr", false},
      {"numerique@mairie.fr.", false}, {"a@b@mairie.fr", false},        {"nu merique@mairie.fr", false},
      {"numerique@mairie.fr ", false}, {"<numerique@mairie.fr>", false}, {"a@mairie.fr,b@mairie.fr", false},
      {"a@mairie.fr;b@mairie.fr", false}, {"\"a\"@mairie.fr", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_valid_email(c.email), c.valid) << '"' << c.email << '"';
  EXPECT_TRUE(is_valid_email(std::string(249, 'a') + "@b.fr"));   // 254 characters
  EXPECT_FALSE(is_valid_email(std::string(250, 'a') + "@b.fr"));  // 255 characters
}

TEST(ValidateTest, ContactEmailMustBeValid) {
  UseCase u = test::full_use_case();
  u.contact.email = "proprete@ville";
  EXPECT_THAT(validate_fiche(u),
              ElementsAre(FieldError{"contact.courriel", "doit être une adresse électronique valide, par exemple numerique@mairie.fr"}));
}

TEST(ValidateTest, ContactRoleRequiredOnlyWithAnEmail) {
  UseCase u = test::full_use_case();
  u.contact.role = "";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{"contact.role", "est obligatoire"}));
  u.contact.email = "";
  EXPECT_THAT(validate_fiche(u), IsEmpty());
}

// --- Publication state ---------------------------------------------------------------------

TEST(ValidateTest, EveryKnownPublicationStateIsAccepted) {
  for (const char* state : {kDraft, kSubmitted, kPublished, kArchived}) {
    UseCase u = test::minimal_use_case();
    u.publication_state = state;
    EXPECT_THAT(validate_fiche(u), IsEmpty()) << state;
  }
}

TEST(ValidateTest, UnknownPublicationStateIsRefused) {
  UseCase u = test::minimal_use_case();
  u.publication_state = "supprimee";
  EXPECT_THAT(validate_fiche(u), ElementsAre(FieldError{
                                     "etatPublication", "« supprimee » n'est pas un code connu (voir data/taxonomies/etats-publication.csv)"}));
}

}  // namespace
}  // namespace vigie::domain
