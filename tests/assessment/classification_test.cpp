// The walk of the classification tree and the refusal of bad tree files, on a small tree:
//   n1 (oui/non)      non -> o2, end
//   n2 (multiple)     a -> o1, jump to n4 (first match) ; a or b -> o2
//   n3 (oui/non)      oui -> o1
//   n4 (automatic)    not o1 -> o2
#include "assessment/classification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace vigie::assessment {
namespace {

using nlohmann::json;

json small_tree() {
  return json::parse(R"({
    "version": "t1", "titre": "Essai",
    "drapeaux": [{"id": "f1", "libelle": "F1"}],
    "resultats": [
      {"id": "o1", "code": "O1", "libelle": "O1", "description": "d", "reference": "r1", "dateApplication": "2026-08-02", "categorieFiche": "haut-risque", "obligations": ["d1"]},
      {"id": "o2", "code": "O2", "libelle": "O2", "description": "d", "reference": "r2", "dateApplication": "2027-08-02", "categorieFiche": "minimal", "obligations": ["d2"]}],
    "obligations": [
      {"id": "d1", "libelle": "D1", "reference": "r", "dateApplication": "2026-08-02", "si": {"drapeau": "f1"}},
      {"id": "d2", "libelle": "D2", "reference": "r", "dateApplication": "2025-02-02"},
      {"id": "g1", "libelle": "G1", "reference": "r", "dateApplication": "2025-02-02", "si": {"non": {"resultat": "o2"}}}],
    "obligationsGenerales": ["g1"],
    "noeuds": [
      {"id": "n1", "titre": "N1", "question": "N1 ?", "type": "unique",
       "choix": [{"id": "oui", "libelle": "Oui", "drapeaux": ["f1"]}, {"id": "non", "libelle": "Non"}],
       "regles": [{"si": {"reponse": "n1", "egale": "non"}, "resultats": ["o2"], "suite": "fin"}]},
      {"id": "n2", "titre": "N2", "question": "N2 ?", "type": "multiple",
       "choix": [{"id": "aucun", "libelle": "Aucun", "exclusif": true}, {"id": "a", "libelle": "A"}, {"id": "b", "libelle": "B"}],
       "regles": [{"si": {"reponse": "n2", "parmi": ["a"]}, "resultats": ["o1"], "suite": "n4"},
                  {"si": {"reponse": "n2", "parmi": ["a", "b"]}, "resultats": ["o2"]}]},
      {"id": "n3", "titre": "N3", "question": "N3 ?", "type": "unique",
       "choix": [{"id": "oui", "libelle": "Oui"}, {"id": "non", "libelle": "Non"}],
       "regles": [{"si": {"reponse": "n3", "egale": "oui"}, "resultats": ["o1"]}]},
      {"id": "n4", "titre": "N4", "type": "automatique", "regles": [{"si": {"non": {"resultat": "o1"}}, "resultats": ["o2"]}]}]
  })");
}

const ClassificationTree& tree() {
  static const ClassificationTree parsed = [] {
    auto result = ClassificationTree::parse(small_tree().dump(), "essai.json");
    if (!result.ok()) throw std::runtime_error(result.error().message);
    return std::move(result).value();
  }();
  return parsed;
}

std::vector<std::string> outcome_ids(const Classification& result) {
  std::vector<std::string> ids;
  for (const auto& reached : result.outcomes) ids.push_back(reached.outcome->id);
  return ids;
}

TEST(ClassifyTest, EmptyAnswersAskTheFirstQuestion) {
  const Classification result = classify(tree(), {});
  EXPECT_FALSE(result.complete());
  EXPECT_EQ(result.next_question, "n1");
  EXPECT_THAT(result.path, ::testing::ElementsAre("n1"));
  EXPECT_TRUE(result.outcomes.empty());
}

TEST(ClassifyTest, RuleToTheEndStopsTheWalk) {
  const Classification result = classify(tree(), {{"n1", {"non"}}});
  EXPECT_TRUE(result.complete());
  EXPECT_THAT(result.path, ::testing::ElementsAre("n1"));
  EXPECT_THAT(outcome_ids(result), ::testing::ElementsAre("o2"));
  EXPECT_EQ(result.outcomes[0].reached_at, "n1");
}

TEST(ClassifyTest, FirstMatchingRuleWinsAndJumpsForward) {
  const Classification result = classify(tree(), {{"n1", {"oui"}}, {"n2", {"a", "b"}}});
  EXPECT_TRUE(result.complete());
  EXPECT_THAT(result.path, ::testing::ElementsAre("n1", "n2", "n4"));
  EXPECT_THAT(outcome_ids(result), ::testing::ElementsAre("o1"));
}

TEST(ClassifyTest, OutcomesAccumulateAlongThePath) {
  // n2 b -> o2 (second rule), n3 oui -> o1.
  const Classification result = classify(tree(), {{"n1", {"oui"}}, {"n2", {"b"}}, {"n3", {"oui"}}});
  EXPECT_THAT(result.path, ::testing::ElementsAre("n1", "n2", "n3", "n4"));
  EXPECT_THAT(outcome_ids(result), ::testing::ElementsAre("o2", "o1"));
}

TEST(ClassifyTest, NoMatchingRuleGoesToTheFollowingNode) {
  const Classification result = classify(tree(), {{"n1", {"oui"}}, {"n2", {"aucun"}}, {"n3", {"non"}}});
  EXPECT_THAT(result.path, ::testing::ElementsAre("n1", "n2", "n3", "n4"));
  EXPECT_THAT(outcome_ids(result), ::testing::ElementsAre("o2"));  // from the automatic node
  EXPECT_THAT(result.questions_on_path(tree()), ::testing::ElementsAre("n1", "n2", "n3"));
}

TEST(ClassifyTest, WalkStopsAtTheFirstUnansweredQuestion) {
  const Classification result = classify(tree(), {{"n1", {"oui"}}, {"n2", {"aucun"}}});
  EXPECT_FALSE(result.complete());
  EXPECT_EQ(result.next_question, "n3");
}

TEST(ClassifyTest, DutiesFollowTheirConditionAndTakeTheLaterDate) {
  const Classification with_flag = classify(tree(), {{"n1", {"oui"}}, {"n2", {"a"}}});
  ASSERT_EQ(with_flag.outcomes.size(), 1u);
  ASSERT_EQ(with_flag.outcomes[0].duties.size(), 1u);
  EXPECT_EQ(with_flag.outcomes[0].duties[0].duty->id, "d1");
  ASSERT_EQ(with_flag.general_duties.size(), 1u);  // g1: o2 not reached
  const Classification without = classify(tree(), {{"n1", {"non"}}});
  ASSERT_EQ(without.outcomes[0].duties.size(), 1u);
  EXPECT_EQ(without.outcomes[0].duties[0].duty->id, "d2");
  EXPECT_EQ(without.outcomes[0].duties[0].applies_from, "2027-08-02");  // the outcome's date, later than the duty's
  EXPECT_TRUE(without.general_duties.empty());
}

TEST(ClassifyTest, AnswersOffThePathAreIgnored) {
  const Classification result = classify(tree(), {{"n1", {"oui"}}, {"n2", {"a"}}, {"n3", {"oui"}}});
  EXPECT_THAT(result.ignored_answers, ::testing::ElementsAre("n3"));
  EXPECT_THAT(outcome_ids(result), ::testing::ElementsAre("o1"));
}

TEST(ClassifyTest, ChangingAnAnswerBackAndForthGivesTheSameResultAsAnsweringOnce) {
  const Answers once = {{"n1", {"oui"}}, {"n2", {"b"}}, {"n3", {"non"}}};
  Answers changed = once;
  changed["n1"] = {"non"};
  changed["n2"] = {"a"};
  changed["n1"] = {"oui"};
  changed["n2"] = {"b"};
  const Classification a = classify(tree(), once);
  const Classification b = classify(tree(), changed);
  EXPECT_EQ(a.path, b.path);
  EXPECT_EQ(outcome_ids(a), outcome_ids(b));
  // A stale answer left behind by a change of path does not count either.
  Answers stale = {{"n1", {"oui"}}, {"n2", {"a"}}, {"n3", {"non"}}};
  EXPECT_EQ(outcome_ids(classify(tree(), stale)), outcome_ids(classify(tree(), {{"n1", {"oui"}}, {"n2", {"a"}}})));
}

TEST(ClassifyCompleteTest, UnfinishedWalkNamesTheQuestion) {
  auto result = classify_complete(tree(), {{"n1", {"oui"}}});
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().fields.size(), 1u);
  EXPECT_EQ(result.error().fields[0].field, "n2");
  EXPECT_EQ(result.error().fields[0].message, "réponse obligatoire : « N2 ? »");
}

TEST(ClassifyCompleteTest, AnswerNotAmongTheChoicesNamesTheQuestion) {
  auto result = classify_complete(tree(), {{"n1", {"peut-etre"}}, {"n9", {"oui"}}});
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().fields.size(), 2u);
  EXPECT_EQ(result.error().fields[0].field, "n1");
  EXPECT_EQ(result.error().fields[0].message, "« peut-etre » n'est pas un choix de cette question (choix possibles : oui, non)");
  EXPECT_EQ(result.error().fields[1].field, "n9");
  EXPECT_EQ(result.error().fields[1].message, "question inconnue");
}

// --- Bad tree files ------------------------------------------------------------------------

class BadTreeTest : public ::testing::Test {
 protected:
  // The message of loading `document` from a file; fails the test if it loads.
  std::string load_error(const json& document) { return load_error_text(document.dump(2)); }
  std::string load_error_text(const std::string& text) {
    dir_.write("classification.json", text);
    auto result = ClassificationTree::load(dir_.path() / "classification.json");
    if (result.ok()) {
      ADD_FAILURE() << "expected an error";
      return {};
    }
    EXPECT_EQ(result.error().kind, ErrorKind::invalid);
    return result.error().message;
  }
  std::string file() const { return dir_.file("classification.json"); }
  test::TempDir dir_;
};

TEST_F(BadTreeTest, SmallTreeIsValid) {
  dir_.write("classification.json", small_tree().dump());
  EXPECT_TRUE(ClassificationTree::load(dir_.path() / "classification.json").ok());
}

TEST_F(BadTreeTest, UnreachableNodeIsRefused) {
  json tree = small_tree();
  tree["noeuds"][1]["regles"] = json::parse(R"([{"resultats": ["o1"], "suite": "n4"}])");
  EXPECT_EQ(load_error(tree), file() + ", nœud « n3 » : nœud inaccessible : aucun parcours n'y mène");
}

TEST_F(BadTreeTest, JumpToUnknownNodeIsRefused) {
  json tree = small_tree();
  tree["noeuds"][1]["regles"][0]["suite"] = "n9";
  EXPECT_EQ(load_error(tree), file() + ", nœud « n2 », règle 1 : renvoie vers le nœud « n9 », qui n'existe pas");
}

TEST_F(BadTreeTest, JumpBackwardsIsRefused) {
  json tree = small_tree();
  tree["noeuds"][2]["regles"][0]["suite"] = "n1";
  EXPECT_EQ(load_error(tree), file() + ", nœud « n3 », règle 1 : renvoie vers le nœud « n1 », qui ne vient pas après (les règles ne vont qu'en avant)");
}

TEST_F(BadTreeTest, DuplicateNodeIdIsRefused) {
  json tree = small_tree();
  tree["noeuds"][2]["id"] = "n2";
  tree["noeuds"][2]["regles"][0]["si"]["reponse"] = "n2";
  EXPECT_EQ(load_error(tree), file() + ", nœud « n2 » : identifiant en double");
}

TEST_F(BadTreeTest, DuplicateChoiceIsRefused) {
  json tree = small_tree();
  tree["noeuds"][0]["choix"][1]["id"] = "oui";
  EXPECT_EQ(load_error(tree), file() + ", nœud « n1 », choix « oui » : choix « oui » en double");
}

TEST_F(BadTreeTest, UnknownFlagIsRefused) {
  json tree = small_tree();
  tree["noeuds"][0]["choix"][0]["drapeaux"] = {"f9"};
  EXPECT_EQ(load_error(tree), file() + ", nœud « n1 », choix « oui » : drapeau « f9 » inconnu (voir « drapeaux »)");
}

TEST_F(BadTreeTest, UnknownOutcomeIsRefused) {
  json tree = small_tree();
  tree["noeuds"][2]["regles"][0]["resultats"] = {"o9"};
  EXPECT_EQ(load_error(tree), file() + ", nœud « n3 », règle 1 : résultat « o9 » inconnu (voir « resultats »)");
}

TEST_F(BadTreeTest, UnknownDutyIsRefused) {
  json tree = small_tree();
  tree["resultats"][0]["obligations"] = {"d9"};
  EXPECT_EQ(load_error(tree), file() + ", résultat « o1 » : obligation « d9 » inconnue");
}

TEST_F(BadTreeTest, ConditionOnAChoiceTheQuestionDoesNotOfferIsRefused) {
  json tree = small_tree();
  tree["noeuds"][1]["regles"][0]["si"]["parmi"] = {"c"};
  EXPECT_EQ(load_error(tree), file() + ", nœud « n2 », règle 1 : la condition cite le choix « c », que le nœud « n2 » ne propose pas");
}

TEST_F(BadTreeTest, ConditionOnALaterAnswerIsRefused) {
  json tree = small_tree();
  tree["noeuds"][1]["regles"][1]["si"] = {{"reponse", "n3"}, {"egale", "oui"}};
  EXPECT_EQ(load_error(tree), file() + ", nœud « n2 », règle 2 : la condition porte sur la réponse au nœud « n3 », qui vient après");
}

TEST_F(BadTreeTest, BadDateIsRefused) {
  json tree = small_tree();
  tree["obligations"][0]["dateApplication"] = "2026-02-30";
  EXPECT_EQ(load_error(tree), file() + ", obligation « d1 » : date « 2026-02-30 » invalide pour « dateApplication » (AAAA-MM-JJ attendu)");
}

TEST_F(BadTreeTest, MissingVersionIsRefused) {
  json tree = small_tree();
  tree.erase("version");
  EXPECT_EQ(load_error(tree), file() + " : « version » manquant");
}

TEST_F(BadTreeTest, UnknownKeyIsRefused) {
  json tree = small_tree();
  tree["noeuds"][0]["regles"][0]["resultat"] = {"o1"};
  EXPECT_EQ(load_error(tree), file() + ", nœud « n1 », règle 1 : clé « resultat » inconnue");
}

TEST_F(BadTreeTest, FlagNeverSetIsRefused) {
  json tree = small_tree();
  tree["drapeaux"].push_back({{"id", "f2"}, {"libelle", "F2"}});
  EXPECT_EQ(load_error(tree), file() + ", drapeau « f2 » : aucun choix ni aucune règle ne le pose");
}

TEST_F(BadTreeTest, OutcomeNeverReachedIsRefused) {
  json tree = small_tree();
  tree["resultats"].push_back({{"id", "o3"}, {"code", "O3"}, {"libelle", "O3"}, {"description", "d"}, {"reference", "r"},
                               {"dateApplication", "2026-08-02"}, {"categorieFiche", "minimal"}});
  EXPECT_EQ(load_error(tree), file() + ", résultat « o3 » : aucune règle n'y mène");
}

TEST_F(BadTreeTest, WrongTypesAreRefusedWithoutThrowing) {
  json tree = small_tree();
  tree["noeuds"][1]["id"] = 2;
  EXPECT_EQ(load_error(tree), file() + ", nœud «  » : « id » doit être un texte");
  tree = small_tree();
  tree["noeuds"][0]["choix"][0] = {{"id", json::array()}, {"libelle", "Oui"}};
  EXPECT_EQ(load_error(tree), file() + ", nœud « n1 », choix «  » : « id » doit être un texte");
  tree = small_tree();
  tree["noeuds"][0]["type"] = json::object();
  EXPECT_EQ(load_error(tree), file() + ", nœud « n1 » : « type » doit être un texte");
}

TEST_F(BadTreeTest, MalformedJsonNamesTheLine) {
  EXPECT_EQ(load_error_text("{\n  \"version\": \"t1\",\n  \"titre\": \n}\n"), file() + ", ligne 4 : JSON invalide");
}

TEST_F(BadTreeTest, UnreadableFileIsUnavailable) {
  auto result = ClassificationTree::load(dir_.path() / "absent.json");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::unavailable);
}

}  // namespace
}  // namespace vigie::assessment
