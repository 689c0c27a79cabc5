#include "domain/taxonomy.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/fixtures.h"

namespace vigie::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Taxonomy parse_ok(std::string_view csv_text) {
  auto parsed = Taxonomy::parse("essai", csv_text, "essai.csv");
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? std::move(parsed).value() : Taxonomy();
}

// The message of the error parsing `csv_text`; fails the test if parsing succeeds.
std::string parse_error(std::string_view csv_text) {
  auto parsed = Taxonomy::parse("essai", csv_text, "essai.csv");
  if (parsed.ok()) {
    ADD_FAILURE() << "expected an error for: " << csv_text;
    return {};
  }
  EXPECT_EQ(parsed.error().kind, ErrorKind::invalid);
  return parsed.error().message;
}

// --- Taxonomy::parse -----------------------------------------------------------------------

TEST(TaxonomyParseTest, ReadsCodesLabelsAndExtraColumns) {
  const Taxonomy t = parse_ok("code,libelle,cofog,description\nfinances,Finances,01.1,Budget\nsante,Santé publique,07,\n");
  EXPECT_EQ(t.name(), "essai");
  ASSERT_EQ(t.terms().size(), 2u);
  EXPECT_EQ(t.terms()[0].code, "finances");
  EXPECT_EQ(t.terms()[1].label, "Santé publique");
  const Term* sante = t.find("sante");
  ASSERT_NE(sante, nullptr);
  EXPECT_EQ(sante->column("cofog"), "07");
  EXPECT_EQ(sante->column("description"), "");
  EXPECT_EQ(sante->column("absente"), "");
  EXPECT_EQ(t.find("finances")->column("description"), "Budget");
  EXPECT_EQ(sante->extra.count("code"), 0u);
  EXPECT_EQ(sante->extra.count("libelle"), 0u);
}

TEST(TaxonomyParseTest, HeaderColumnsMayComeInAnyOrder) {
  const Taxonomy t = parse_ok("libelle,code\nFinances,finances\n");
  ASSERT_EQ(t.terms().size(), 1u);
  EXPECT_EQ(t.terms()[0].code, "finances");
  EXPECT_EQ(t.terms()[0].label, "Finances");
}

TEST(TaxonomyParseTest, QuotedLabelMayContainCommasAndQuotes) {
  const Taxonomy t = parse_ok("code,libelle\nculture-sport,\"Culture, sport et loisirs\"\netat,\"État \"\"France 2030\"\"\"\n");
  EXPECT_EQ(t.label("culture-sport"), "Culture, sport et loisirs");
  EXPECT_EQ(t.label("etat"), "État \"France 2030\"");
}

TEST(TaxonomyParseTest, IgnoresByteOrderMark) {
  const Taxonomy t = parse_ok("\xEF\xBB\xBF" "code,libelle\nfinances,Finances\n");
  EXPECT_TRUE(t.contains("finances"));
}

TEST(TaxonomyParseTest, AcceptsCrlfLineEndings) {
  const Taxonomy t = parse_ok("code,libelle,cofog\r\nfinances,Finances,01.1\r\nsante,Santé,07\r\n");
  ASSERT_EQ(t.terms().size(), 2u);
  EXPECT_EQ(t.label("finances"), "Finances");
  EXPECT_EQ(t.find("sante")->column("cofog"), "07");
}

TEST(TaxonomyParseTest, TrimsCodesAndLabels) {
  const Taxonomy t = parse_ok("code,libelle\n finances , Finances \n");
  EXPECT_EQ(t.label("finances"), "Finances");
}

TEST(TaxonomyParseTest, MissingHeaderColumnNamesFileAndLine) {
  EXPECT_EQ(parse_error("code,label\nfinances,Finances\n"),
            "essai.csv, ligne 1 : l'en-tête doit contenir les colonnes « code » et « libelle »");
  EXPECT_THAT(parse_error("libelle\nFinances\n"), StartsWith("essai.csv, ligne 1 : l'en-tête"));
}

TEST(TaxonomyParseTest, HeaderLineIsCountedAfterBlankLines) {
  EXPECT_THAT(parse_error("\n\ncode,label\n"), StartsWith("essai.csv, ligne 3 : "));
}

TEST(TaxonomyParseTest, DuplicateCodeNamesBothLines) {
  EXPECT_EQ(parse_error("code,libelle\nfinances,Finances\nfinances,Budget\n"),
            "essai.csv, ligne 3 : code « finances » en double (déjà ligne 2)");
}

TEST(TaxonomyParseTest, LinesAreCountedThroughMultilineFields) {
  EXPECT_EQ(parse_error("code,libelle,description\na,A,\"sur\ndeux lignes\"\nb,B,x\na,C,y\n"),
            "essai.csv, ligne 5 : code « a » en double (déjà ligne 2)");
}

TEST(TaxonomyParseTest, InvalidCodeIsRefused) {
  for (const char* code : {"Mobilité", "mobilité", "a b", "-x", "x-", "A", "a_b", "a.b"}) {
    SCOPED_TRACE(code);
    EXPECT_EQ(parse_error(std::string("code,libelle\nok,Correct\n") + code + ",Libellé\n"),
              fmt::format("essai.csv, ligne 3 : code « {} » invalide (lettres minuscules sans accent, chiffres et tirets)", code));
  }
}

TEST(TaxonomyParseTest, EmptyCodeIsRefused) {
  for (const char* text : {"code,libelle\n,Sans code\n", "code,libelle\n  ,Sans code\n"}) {
    EXPECT_EQ(parse_error(text), "essai.csv, ligne 2 : code «  » invalide (lettres minuscules sans accent, chiffres et tirets)");
  }
}

TEST(TaxonomyParseTest, ValidCodesAreAccepted) {
  const Taxonomy t = parse_ok("code,libelle\na,A\nplus-1m,B\n10k-50k,C\nx1-y2-z3,D\n");
  EXPECT_EQ(t.terms().size(), 4u);
}

TEST(TaxonomyParseTest, EmptyLabelIsRefused) {
  EXPECT_EQ(parse_error("code,libelle\nfinances,\n"), "essai.csv, ligne 2 : libellé vide pour le code « finances »");
  EXPECT_THAT(parse_error("code,libelle\nfinances,\"  \"\n"), HasSubstr("libellé vide"));
}

TEST(TaxonomyParseTest, WrongColumnCountIsRefused) {
  EXPECT_EQ(parse_error("code,libelle\nfinances,Finances,01.1\n"), "essai.csv, ligne 2 : 3 colonnes au lieu de 2");
  EXPECT_THAT(parse_error("code,libelle,cofog\nfinances,Finances,01\nsante\n"), StartsWith("essai.csv, ligne 3 : 1 colonne"));
}

TEST(TaxonomyParseTest, NonUtf8FileIsRefused) {
  EXPECT_EQ(parse_error("code,libelle\nsante,Sant\xE9\n"), "essai.csv, ligne 1 : le fichier n'est pas en UTF-8");
}

TEST(TaxonomyParseTest, EmptyFileIsRefused) {
  for (const char* text : {"", "\n\n", "\xEF\xBB\xBF"}) {
    EXPECT_EQ(parse_error(text), "essai.csv, ligne 1 : fichier vide : une ligne d'en-tête « code,libelle » est attendue");
  }
}

TEST(TaxonomyParseTest, HeaderOnlyIsRefused) {
  EXPECT_EQ(parse_error("code,libelle\n"), "essai.csv, ligne 1 : aucun code après l'en-tête");
}

TEST(TaxonomyParseTest, MalformedCsvNamesFileLineAndColumn) {
  EXPECT_EQ(parse_error("code,libelle\nfinances,\"Finances\n"),
            "essai.csv, ligne 2, colonne 2 : guillemet ouvrant sans guillemet fermant");
}

// --- Taxonomy lookups ----------------------------------------------------------------------

TEST(TaxonomyTest, FindsKnownCodesOnly) {
  const Taxonomy t("essai", {{"a", "Alpha", {}}, {"b", "Bêta", {}}});
  EXPECT_TRUE(t.contains("a"));
  EXPECT_FALSE(t.contains("c"));
  EXPECT_FALSE(t.contains(""));
  EXPECT_EQ(t.find("c"), nullptr);
  EXPECT_EQ(t.find("b")->label, "Bêta");
}

TEST(TaxonomyTest, LabelOfUnknownCodeIsTheCode) {
  const Taxonomy t("essai", {{"a", "Alpha", {}}});
  const std::string known = "a";
  const std::string unknown = "zzz";
  EXPECT_EQ(t.label(known), "Alpha");
  EXPECT_EQ(t.label(unknown), "zzz");
}

// --- Taxonomies ----------------------------------------------------------------------------

TEST(TaxonomiesTest, LoadsTheRealDataDirectory) {
  auto loaded = Taxonomies::load(test::source_dir() / "data" / "taxonomies");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  for (const char* name : {taxonomy::kDomains, taxonomy::kPurposes, taxonomy::kTechniques, taxonomy::kTargetUsers,
                           taxonomy::kStatuses, taxonomy::kProviderTypes, taxonomy::kHosting, taxonomy::kDataCategories,
                           taxonomy::kImpactAssessment, taxonomy::kBudgetBands, taxonomy::kFunding, taxonomy::kOversight,
                           taxonomy::kAiActCategories, taxonomy::kJobFamilies, taxonomy::kJobEffects, taxonomy::kRelationTypes,
                           taxonomy::kPublicationStates, taxonomy::kOrganisationKinds}) {
    EXPECT_EQ(loaded->all().count(name), 1u) << name;
  }
  // Job effects (automated, augmented, new tasks) and relation types (reuses, inspired by,
  // alternative to) are complete with three terms; every other list has at least four.
  const std::set<std::string> three_terms = {taxonomy::kJobEffects, taxonomy::kRelationTypes};
  for (const auto& [name, taxonomy] : loaded->all()) {
    EXPECT_GE(taxonomy.terms().size(), three_terms.count(name) ? 3u : 4u) << name;
  }
  EXPECT_EQ(loaded->get(taxonomy::kDomains).label("sante"), "Santé publique");
  EXPECT_EQ(loaded->get(taxonomy::kBudgetBands).find("10k-50k")->column("maximum"), "49999");
}

TEST(TaxonomiesTest, LoadNamesTheBadFile) {
  test::TempDir dir;
  for (const auto& [name, taxonomy] : test::taxonomies().all()) {
    std::ofstream(dir.file(name + ".csv")) << "code,libelle\n" << (name == "statuts" ? "arrete,Arrêté\narrete,Doublon\n" : "x,X\n");
  }
  auto loaded = Taxonomies::load(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, ErrorKind::invalid);
  EXPECT_THAT(loaded.error().message, HasSubstr("statuts.csv, ligne 3 : code « arrete » en double (déjà ligne 2)"));
}

TEST(TaxonomiesTest, LoadOfMissingDirectoryIsUnavailable) {
  test::TempDir dir;
  auto loaded = Taxonomies::load(dir.path() / "absent");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(loaded.error().message, HasSubstr("absent"));
}

TEST(TaxonomiesTest, LoadOfDirectoryMissingATaxonomyNamesDirectoryAndTaxonomy) {
  test::TempDir dir;
  auto loaded = Taxonomies::load(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, ErrorKind::invalid);
  EXPECT_THAT(loaded.error().message, StartsWith(dir.path().string() + " : taxonomie « "));
}

// The real taxonomies, with `replacement` put in place of (or `removed` taken out of) the set.
std::vector<Taxonomy> real_taxonomies_except(const std::string& removed, std::optional<Taxonomy> replacement = std::nullopt) {
  std::vector<Taxonomy> result;
  for (const auto& [name, taxonomy] : test::taxonomies().all()) {
    if (name != removed) result.push_back(taxonomy);
  }
  if (replacement) result.push_back(std::move(*replacement));
  return result;
}

TEST(TaxonomiesTest, FromTheRealTaxonomiesSucceeds) {
  auto built = Taxonomies::from(real_taxonomies_except(""));
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_EQ(built->all().size(), test::taxonomies().all().size());
}

TEST(TaxonomiesTest, MissingRequiredTaxonomyIsNamed) {
  for (const char* name : {taxonomy::kStatuses, taxonomy::kJobEffects, taxonomy::kOrganisationKinds}) {
    SCOPED_TRACE(name);
    auto built = Taxonomies::from(real_taxonomies_except(name));
    ASSERT_FALSE(built.ok());
    EXPECT_EQ(built.error().kind, ErrorKind::invalid);
    EXPECT_EQ(built.error().message, fmt::format("taxonomie « {} » manquante ({}.csv)", name, name));
  }
}

TEST(TaxonomiesTest, MissingRequiredCodeIsNamed) {
  struct Case {
    const char* taxonomy;
    const char* code;
  };
  const Case cases[] = {
      {taxonomy::kPublicationStates, "publiee"}, {taxonomy::kPublicationStates, "brouillon"},
      {taxonomy::kStatuses, "arrete"},           {taxonomy::kStatuses, "production"},
      {taxonomy::kAiActCategories, "inconnu"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.code);
    std::vector<Term> terms = test::taxonomies().get(c.taxonomy).terms();
    std::erase_if(terms, [&](const Term& term) { return term.code == c.code; });
    auto built = Taxonomies::from(real_taxonomies_except(c.taxonomy, Taxonomy(c.taxonomy, terms)));
    ASSERT_FALSE(built.ok());
    EXPECT_EQ(built.error().message, fmt::format("{}.csv : le code « {} » est requis par le programme", c.taxonomy, c.code));
  }
}

Taxonomy budget_bands(const std::string& minimum, const std::string& maximum) {
  return Taxonomy(taxonomy::kBudgetBands, {{"petit", "Petit", {{"minimum", minimum}, {"maximum", maximum}}}});
}

TEST(TaxonomiesTest, BudgetBandBoundsMustBeWholeEuros) {
  EXPECT_TRUE(Taxonomies::from(real_taxonomies_except(taxonomy::kBudgetBands, budget_bands("0", ""))).ok());
  for (const auto& [minimum, maximum] : std::vector<std::pair<std::string, std::string>>{
           {"10k", "50000"}, {"0", "9 999"}, {"-1", "10"}, {"0", "1e6"}, {"0", "49999.99"}}) {
    SCOPED_TRACE(minimum + " / " + maximum);
    auto built = Taxonomies::from(real_taxonomies_except(taxonomy::kBudgetBands, budget_bands(minimum, maximum)));
    ASSERT_FALSE(built.ok());
    EXPECT_THAT(built.error().message, StartsWith("tranches-budget.csv : "));
    EXPECT_THAT(built.error().message, HasSubstr("de « petit » n'est pas un nombre entier d'euros"));
  }
}

TEST(TaxonomiesTest, BudgetBandBoundTooLargeForAnAmountIsRefused) {
  auto built = Taxonomies::from(real_taxonomies_except(taxonomy::kBudgetBands, budget_bands("0", "99999999999999999999")));
  EXPECT_FALSE(built.ok());
}

}  // namespace
}  // namespace vigie::domain
