#include "domain/use_case_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/domain/field_errors.h"
#include "tests/support/fixtures.h"

namespace vigie::domain {
namespace {

using nlohmann::json;
using test::fields_of;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// full_use_case() as the store holds it: every read-only field set, a relation, unset booleans.
UseCase stored_use_case() {
  UseCase u = test::full_use_case();
  u.id = 42;
  u.revision = 3;
  u.created_at = "2026-01-02T03:04:05Z";
  u.updated_at = "2026-02-03T04:05:06Z";
  u.demo = true;
  u.relations = {{"reutilise", 12}, {"inspire-de", 13}};
  u.results.indicators.push_back({"Temps gagné", "2 h par semaine"});
  return u;
}

// The errors from reading `document`; fails the test if reading succeeds.
std::vector<FieldError> read_errors(const json& document, ReadOnlyFields read_only = ReadOnlyFields::ignore) {
  auto result = from_json(document, read_only);
  if (result.ok()) {
    ADD_FAILURE() << "expected an error for " << document.dump();
    return {};
  }
  EXPECT_EQ(result.error().kind, ErrorKind::invalid);
  return result.error().fields;
}

TEST(UseCaseJsonTest, FullFicheRoundTripsWithReadOnlyFieldsKept) {
  const UseCase original = stored_use_case();
  auto read = from_json(to_json(original), ReadOnlyFields::keep);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, original);
}

TEST(UseCaseJsonTest, ReadOnlyFieldsAreDroppedWhenIgnored) {
  const UseCase original = stored_use_case();
  auto read = from_json(to_json(original), ReadOnlyFields::ignore);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->id, 0);
  EXPECT_EQ(read->revision, 0);
  EXPECT_EQ(read->created_at, "");
  EXPECT_EQ(read->updated_at, "");
  EXPECT_FALSE(read->demo);
  UseCase expected = original;
  expected.id = 0;
  expected.revision = 0;
  expected.created_at = expected.updated_at = "";
  expected.demo = false;
  EXPECT_EQ(*read, expected);
}

TEST(UseCaseJsonTest, ReadOnlyFieldsOfWrongTypeAreNotCheckedWhenIgnored) {
  EXPECT_TRUE(from_json(json{{"id", "x"}, {"demo", "oui"}}, ReadOnlyFields::ignore).ok());
  EXPECT_THAT(read_errors(json{{"id", "x"}, {"demo", "oui"}}, ReadOnlyFields::keep),
              UnorderedElementsAre(FieldError{"id", "doit être un nombre entier"}, FieldError{"demo", "doit valoir true, false ou null"}));
}

TEST(UseCaseJsonTest, UnsetBooleansAndAmountRoundTripAsNull) {
  const UseCase original = test::minimal_use_case();
  const json document = to_json(original);
  EXPECT_TRUE(document["donnees"]["donneesPersonnelles"].is_null());
  EXPECT_TRUE(document["donnees"]["donneesSensibles"].is_null());
  EXPECT_TRUE(document["cout"]["montant"].is_null());
  auto read = from_json(document);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, original);
}

TEST(UseCaseJsonTest, UsesPublicFrenchFieldNames) {
  const json document = to_json(stored_use_case());
  EXPECT_EQ(document["titre"], "Détection des dépôts sauvages");
  EXPECT_EQ(document["porteurs"], json({"213502388", "243500139"}));
  EXPECT_EQ(document["donnees"]["aipd"], "realisee");
  EXPECT_EQ(document["cout"]["montant"], 86000);
  EXPECT_EQ(document["metiers"][0]["famille"], "proprete-dechets");
  EXPECT_EQ(document["relations"][1], json({{"type", "inspire-de"}, {"fiche", 13}}));
  EXPECT_EQ(document["resultats"]["indicateurs"][0]["libelle"], "Dépôts détectés par mois");
  EXPECT_EQ(document["contact"]["courriel"], "proprete@ville.example");
  EXPECT_EQ(document["creeLe"], "2026-01-02T03:04:05Z");
}

TEST(UseCaseJsonTest, EmptyObjectGivesAnEmptyDraft) {
  auto read = from_json(json::object());
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, UseCase{});
  EXPECT_EQ(read->publication_state, kDraft);
}

TEST(UseCaseJsonTest, NullValuesAreTreatedAsAbsent) {
  const json document = {
      {"titre", nullptr},     {"porteurs", nullptr},     {"donnees", {{"donneesPersonnelles", nullptr}, {"aipd", nullptr}}},
      {"cout", nullptr},      {"metiers", nullptr},      {"etatPublication", nullptr},
      {"fournisseur", {{"type", "interne"}, {"nom", nullptr}}},
  };
  auto read = from_json(document);
  ASSERT_TRUE(read.ok()) << read.error().message;
  UseCase expected;
  expected.provider.type = "interne";
  EXPECT_EQ(*read, expected);
}

TEST(UseCaseJsonTest, WrongTypesAreReportedWithTheirPath) {
  struct Case {
    json document;
    FieldError error;
  };
  const Case cases[] = {
      {{{"titre", 3}}, {"titre", "doit être un texte"}},
      {{{"porteurs", "x"}}, {"porteurs", "doit être une liste de textes"}},
      {{{"porteurs", {"213502388", 2}}}, {"porteurs[1]", "doit être un texte"}},
      {{{"donnees", json::array()}}, {"donnees", "doit être un objet"}},
      {{{"donnees", {{"donneesPersonnelles", "oui"}}}}, {"donnees.donneesPersonnelles", "doit valoir true, false ou null"}},
      {{{"cout", {{"montant", "12"}}}}, {"cout.montant", "doit être un nombre entier"}},
      {{{"cout", {{"montant", 12.5}}}}, {"cout.montant", "doit être un nombre entier"}},
      {{{"metiers", {5}}}, {"metiers[0]", "doit être un objet"}},
      {{{"metiers", json::object()}}, {"metiers", "doit être une liste"}},
      {{{"metiers", {{{"famille", "sport"}, {"effets", "x"}}}}}, {"metiers[0].effets", "doit être une liste de textes"}},
      {{{"relations", {{{"type", "reutilise"}, {"fiche", "12"}}}}}, {"relations[0].fiche", "doit être un nombre entier"}},
      {{{"resultats", {{"indicateurs", {{{"libelle", true}}}}}}}, {"resultats.indicateurs[0].libelle", "doit être un texte"}},
      {{{"contact", "numerique@mairie.fr"}}, {"contact", "doit être un objet"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.document.dump());
    EXPECT_THAT(read_errors(c.document), ElementsAre(c.error));
  }
}

TEST(UseCaseJsonTest, UnknownFieldsAreReportedWithTheirPath) {
  struct Case {
    json document;
    const char* field;
  };
  const Case cases[] = {
      {{{"foo", 1}}, "foo"},
      {{{"donnees", {{"bar", true}}}}, "donnees.bar"},
      {{{"liens", {{{"titre", "t"}, {"url", "https://a.fr"}, {"x", 1}}}}}, "liens[0].x"},
      {{{"resultats", {{"indicateurs", {json::object(), {{"unite", "%"}}}}}}}, "resultats.indicateurs[1].unite"},
      {{{"title", "Anglais"}}, "title"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.document.dump());
    EXPECT_THAT(read_errors(c.document), ElementsAre(FieldError{c.field, "champ inconnu"}));
  }
}

TEST(UseCaseJsonTest, EveryProblemIsReportedAtOnce) {
  const json document = {{"titre", 3}, {"foo", 1}, {"donnees", {{"bar", true}}}, {"cout", {{"montant", "12"}}}};
  auto result = from_json(document);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "La fiche contient des champs invalides.");
  EXPECT_THAT(fields_of(result.error().fields), UnorderedElementsAre("titre", "foo", "donnees.bar", "cout.montant"));
}

TEST(UseCaseJsonTest, DocumentThatIsNotAnObjectIsRefused) {
  for (const json& document : {json::array(), json("fiche"), json(3), json(nullptr)}) {
    SCOPED_TRACE(document.dump());
    auto result = from_json(document);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::invalid);
    EXPECT_THAT(result.error().fields, ElementsAre(FieldError{"", "doit être un objet JSON"}));
  }
}

TEST(UseCaseJsonTest, IntegerTooLargeForSixtyFourBitsIsRefused) {
  EXPECT_THAT(fields_of(read_errors(json{{"cout", {{"montant", 9223372036854775808ULL}}}})), ElementsAre("cout.montant"));
}

}  // namespace
}  // namespace vigie::domain
