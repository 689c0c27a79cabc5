// Bad impact questionnaires, FRIA templates and mismatched files are refused at load with a
// message naming the file, the element and the problem.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assessment/assessment_data.h"
#include "tests/assessment/assessment_support.h"

namespace vigie::assessment {
namespace {

using nlohmann::json;

json real(std::string_view name) {
  std::ifstream in(test::source_dir() / "data" / "assessment" / std::string(name));
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

class AssessmentFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto name : {kClassificationFile, kImpactFile, kFriaFile}) write(name, real(name));
  }
  void write(std::string_view name, const json& document) { dir_.write(std::string(name), document.dump(2)); }
  std::string file(std::string_view name) const { return dir_.file(std::string(name)); }
  std::string load_error() {
    auto result = AssessmentData::load(dir_.path(), test::taxonomies());
    if (result.ok()) {
      ADD_FAILURE() << "expected an error";
      return {};
    }
    EXPECT_EQ(result.error().kind, ErrorKind::invalid);
    return result.error().message;
  }
  test::TempDir dir_;
};

TEST_F(AssessmentFilesTest, RealFilesLoad) { EXPECT_TRUE(AssessmentData::load(dir_.path(), test::taxonomies()).ok()); }

TEST_F(AssessmentFilesTest, MissingWeightIsRefused) {
  json impact = real(kImpactFile);
  impact["sections"][0]["questions"][0]["choix"][1].erase("poids");
  write(kImpactFile, impact);
  const std::string choice = impact["sections"][0]["questions"][0]["choix"][1]["id"];
  EXPECT_EQ(load_error(), file(kImpactFile) + ", question « finalite-principale », choix « " + choice + " » : poids manquant");
}

TEST_F(AssessmentFilesTest, DuplicateQuestionIsRefused) {
  json impact = real(kImpactFile);
  impact["sections"][1]["questions"][0]["id"] = "finalite-principale";
  write(kImpactFile, impact);
  EXPECT_EQ(load_error(), file(kImpactFile) + ", question « finalite-principale » : identifiant en double");
}

TEST_F(AssessmentFilesTest, ApplicabilityOnALaterQuestionIsRefused) {
  json impact = real(kImpactFile);
  impact["sections"][0]["questions"][0]["si"] = {{"reponse", "donnees-personnelles"}, {"egale", "oui"}};
  write(kImpactFile, impact);
  EXPECT_EQ(load_error(), file(kImpactFile) + ", question « finalite-principale » : la condition porte sur la question « donnees-personnelles », qui n'existe pas ou vient après");
}

TEST_F(AssessmentFilesTest, LevelCeilingsMustIncreaseToOneHundred) {
  json impact = real(kImpactFile);
  impact["niveaux"][2]["plafondPourcent"] = 40;
  write(kImpactFile, impact);
  EXPECT_EQ(load_error(), file(kImpactFile) + ", niveau « III » : « plafondPourcent » 40 invalide : les plafonds doivent croître strictement jusqu'à 100");
}

TEST_F(AssessmentFilesTest, UnknownPhaseIsRefused) {
  json impact = real(kImpactFile);
  impact["sections"][7]["questions"][0]["phases"] = {"conception", "retrait"};
  write(kImpactFile, impact);
  const std::string id = impact["sections"][7]["questions"][0]["id"];
  EXPECT_EQ(load_error(), file(kImpactFile) + ", question « " + id + " » : phase « retrait » inconnue (voir « phases »)");
}

TEST_F(AssessmentFilesTest, FloorOnAnUnknownOutcomeIsRefused) {
  json impact = real(kImpactFile);
  impact["planchersAiAct"][0]["resultat"] = "tres-haut-risque";
  write(kImpactFile, impact);
  EXPECT_EQ(load_error(), std::string(kImpactFile) + ", plancher « tres-haut-risque » : le résultat n'existe pas dans classification-ai-act.json");
}

TEST_F(AssessmentFilesTest, OutcomeCategoryMustBeATaxonomyCode) {
  json tree = real(kClassificationFile);
  tree["resultats"][0]["categorieFiche"] = "tres-grave";
  write(kClassificationFile, tree);
  EXPECT_EQ(load_error(), std::string(kClassificationFile) + ", résultat « interdit » : « categorieFiche » « tres-grave » n'est pas un code de categories-ai-act.csv");
}

TEST_F(AssessmentFilesTest, FriaNeedsTheSixElementsInOrder) {
  json fria = real(kFriaFile);
  fria["sections"].erase(fria["sections"].begin() + 5);
  write(kFriaFile, fria);
  EXPECT_EQ(load_error(), file(kFriaFile) + ", sections : 5 sections au lieu des six éléments a) à f) de l'article 27");
  fria = real(kFriaFile);
  std::swap(fria["sections"][0], fria["sections"][1]);
  write(kFriaFile, fria);
  EXPECT_EQ(load_error(), file(kFriaFile) + ", section « periode-frequence » : lettre « b » au lieu de « a » : les six éléments de l'article 27 vont de a) à f), dans l'ordre");
}

TEST_F(AssessmentFilesTest, FriaPrefillMustNameAFicheField) {
  json fria = real(kFriaFile);
  fria["sections"][4]["champs"][1]["preRemplissage"] = "controleHumain.details";
  write(kFriaFile, fria);
  EXPECT_EQ(load_error(), file(kFriaFile) + ", champ « mesures-controle » : « preRemplissage » : « controleHumain.details » n'est pas un champ de la fiche");
}

TEST_F(AssessmentFilesTest, FriaTaxonomyMustExist) {
  json fria = real(kFriaFile);
  fria["sections"][2]["champs"][0]["taxonomie"] = "publics-cibles";
  write(kFriaFile, fria);
  EXPECT_EQ(load_error(), std::string(kFriaFile) + ", champ « publics » : taxonomie « publics-cibles » inconnue (voir data/taxonomies/)");
}

}  // namespace
}  // namespace vigie::assessment
