// The scoring rules of the algorithmic impact assessment, on a small questionnaire whose
// figures are easy to compute by hand:
//   impact   q1 single  a=0 b=2 c=4                 max 4
//            q2 multiple x=1 y=2 z=3, aucun=0 excl. max 6
//            q3 single  oui=5 non=0, only if q1 is b or c   max 5
//            q4 single  bas=0 haut=5 (section s2)   max 5      -> max 20 (15 when q1 = a)
//   mitigation m1 single oui=3 non=0 (both phases)
//              m2 single oui=1 non=0 (in service only)
//              m3 multiple p=1 q=1, r=0 excl. (both phases)   -> max 5 in design, 6 in service
#include "assessment/impact_assessment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/assessment/assessment_support.h"

namespace vigie::assessment {
namespace {

constexpr const char* kQuestionnaire = R"({
  "version": "essai-1", "titre": "Essai",
  "regles": {"seuilAttenuationPourcent": 80, "facteurReductionPourcent": 85},
  "phases": [{"id": "conception", "libelle": "Conception"}, {"id": "en-service", "libelle": "En service"}],
  "niveaux": [
    {"id": "I", "libelle": "Faible", "plafondPourcent": 25, "approbation": "Chef de service", "exigences": [{"theme": "Avis", "texte": "Registre"}]},
    {"id": "II", "libelle": "Modéré", "plafondPourcent": 50, "approbation": "DGS", "exigences": [{"theme": "Avis", "texte": "Notice"}]},
    {"id": "III", "libelle": "Élevé", "plafondPourcent": 75, "approbation": "Exécutif", "exigences": [{"theme": "Décision humaine", "texte": "Oui"}]},
    {"id": "IV", "libelle": "Très élevé", "plafondPourcent": 100, "approbation": "Conseil", "exigences": [{"theme": "Décision humaine", "texte": "Oui"}]}],
  "planchersAiAct": [
    {"resultat": "haut-risque", "niveauMinimum": "III", "motif": "Haut risque"},
    {"resultat": "interdit", "bloque": true, "motif": "Interdit"}],
  "sections": [
    {"id": "s1", "type": "impact", "titre": "Un", "questions": [
      {"id": "q1", "question": "Q1 ?", "type": "unique", "choix": [{"id": "a", "libelle": "A", "poids": 0}, {"id": "b", "libelle": "B", "poids": 2}, {"id": "c", "libelle": "C", "poids": 4}]},
      {"id": "q2", "question": "Q2 ?", "type": "multiple", "choix": [{"id": "aucun", "libelle": "Aucun", "poids": 0, "exclusif": true},
        {"id": "x", "libelle": "X", "poids": 1}, {"id": "y", "libelle": "Y", "poids": 2}, {"id": "z", "libelle": "Z", "poids": 3}]},
      {"id": "q3", "question": "Q3 ?", "type": "unique", "si": {"reponse": "q1", "parmi": ["b", "c"]},
        "choix": [{"id": "oui", "libelle": "Oui", "poids": 5}, {"id": "non", "libelle": "Non", "poids": 0}]}]},
    {"id": "s2", "type": "impact", "titre": "Deux", "questions": [
      {"id": "q4", "question": "Q4 ?", "type": "unique", "choix": [{"id": "bas", "libelle": "Bas", "poids": 0}, {"id": "haut", "libelle": "Haut", "poids": 5}]}]},
    {"id": "m", "type": "attenuation", "titre": "Atténuation", "questions": [
      {"id": "m1", "question": "M1 ?", "type": "unique", "phases": ["conception", "en-service"], "choix": [{"id": "oui", "libelle": "Oui", "poids": 3}, {"id": "non", "libelle": "Non", "poids": 0}]},
      {"id": "m2", "question": "M2 ?", "type": "unique", "phases": ["en-service"], "choix": [{"id": "oui", "libelle": "Oui", "poids": 1}, {"id": "non", "libelle": "Non", "poids": 0}]},
      {"id": "m3", "question": "M3 ?", "type": "multiple", "choix": [{"id": "p", "libelle": "P", "poids": 1}, {"id": "q", "libelle": "Q", "poids": 1}, {"id": "r", "libelle": "R", "poids": 0, "exclusif": true}]}]}]
})";

const ImpactQuestionnaire& questionnaire() {
  static const ImpactQuestionnaire parsed = ImpactQuestionnaire::parse(kQuestionnaire, "essai.json").value();
  return parsed;
}

ImpactScore score(const Answers& answers, const std::string& phase = "conception", std::vector<std::string> outcomes = {}) {
  auto result = evaluate_impact(questionnaire(), answers, {phase, std::move(outcomes), Completeness::partial_allowed});
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : ImpactScore{};
}

TEST(ImpactScoreTest, SingleChoiceScoresTheChosenWeight) {
  EXPECT_EQ(score({{"q1", {"c"}}}).raw_impact, 4);
  EXPECT_EQ(score({{"q1", {"b"}}}).raw_impact, 2);
  EXPECT_EQ(score({{"q4", {"haut"}}}).raw_impact, 5);
}

TEST(ImpactScoreTest, MultipleChoiceScoresTheSumOfTickedWeights) {
  EXPECT_EQ(score({{"q2", {"x", "z"}}}).raw_impact, 4);
  EXPECT_EQ(score({{"q2", {"x", "y", "z"}}}).raw_impact, 6);
  EXPECT_EQ(score({{"q2", {"aucun"}}}).raw_impact, 0);
}

TEST(ImpactScoreTest, QuestionMaximumIsHighestWeightOrSumOfWeights) {
  EXPECT_EQ(questionnaire().find_question("q1")->maximum_weight(), 4);
  EXPECT_EQ(questionnaire().find_question("q2")->maximum_weight(), 6);
  EXPECT_EQ(questionnaire().find_question("m3")->maximum_weight(), 2);
}

TEST(ImpactScoreTest, MaximumCountsOnlyApplicableQuestions) {
  const ImpactScore with_q3 = score({{"q1", {"b"}}});
  EXPECT_EQ(with_q3.maximum_impact, 20);
  const ImpactScore without_q3 = score({{"q1", {"a"}}});
  EXPECT_EQ(without_q3.maximum_impact, 15);
  EXPECT_THAT(without_q3.applicable_questions, ::testing::ElementsAre("q1", "q2", "q4", "m1", "m3"));
}

TEST(ImpactScoreTest, AnswerToAnInapplicableQuestionIsIgnored) {
  const ImpactScore result = score({{"q1", {"a"}}, {"q3", {"oui"}}});
  EXPECT_EQ(result.raw_impact, 0);
  EXPECT_EQ(result.maximum_impact, 15);
  EXPECT_THAT(result.ignored_answers, ::testing::ElementsAre("q3"));
}

TEST(ImpactScoreTest, MitigationMaximumDependsOnThePhase) {
  EXPECT_EQ(score({}, "conception").maximum_mitigation, 5);
  EXPECT_EQ(score({}, "en-service").maximum_mitigation, 6);
  // m2 belongs to the service phase only: in design its answer does not count.
  const ImpactScore design = score({{"m2", {"oui"}}}, "conception");
  EXPECT_EQ(design.mitigation, 0);
  EXPECT_THAT(design.ignored_answers, ::testing::ElementsAre("m2"));
}

// raw 10 of 20: q1 b (2) + q2 z (3) + q3 oui (5) + q4 bas (0).
Answers raw_ten(Answers mitigation) {
  Answers answers = {{"q1", {"b"}}, {"q2", {"z"}}, {"q3", {"oui"}}, {"q4", {"bas"}}};
  for (auto& [id, choices] : mitigation) answers[id] = std::move(choices);
  return answers;
}

TEST(ImpactScoreTest, MitigationAtExactlyEightyPercentDiscountsTheImpact) {
  // Design: m1 oui (3) + m3 p (1) = 4 of 5 = 80 %.
  const ImpactScore result = score(raw_ten({{"m1", {"oui"}}, {"m3", {"p"}}}), "conception");
  EXPECT_EQ(result.mitigation, 4);
  EXPECT_EQ(result.maximum_mitigation, 5);
  EXPECT_TRUE(result.discount_applied);
  EXPECT_EQ(result.raw_impact, 10);
  EXPECT_EQ(result.adjusted_impact, 9);  // round(0.85 × 10 = 8.5), halves up
  EXPECT_DOUBLE_EQ(result.percent, 45.0);
  EXPECT_EQ(result.level->id, "II");
}

TEST(ImpactScoreTest, MitigationBelowEightyPercentLeavesTheImpact) {
  // Design: m1 oui (3) + m3 r (0) = 3 of 5 = 60 %.
  const ImpactScore design = score(raw_ten({{"m1", {"oui"}}, {"m3", {"r"}}}), "conception");
  EXPECT_FALSE(design.discount_applied);
  EXPECT_EQ(design.adjusted_impact, 10);
  EXPECT_EQ(design.level->id, "II");  // exactly 50 %
  // In service: m1 oui (3) + m3 p (1) = 4 of 6 = 66.7 %; with m2 oui, 5 of 6 = 83.3 %.
  EXPECT_FALSE(score(raw_ten({{"m1", {"oui"}}, {"m3", {"p"}}}), "en-service").discount_applied);
  const ImpactScore service = score(raw_ten({{"m1", {"oui"}}, {"m2", {"oui"}}, {"m3", {"p"}}}), "en-service");
  EXPECT_TRUE(service.discount_applied);
  EXPECT_EQ(service.adjusted_impact, 9);
}

TEST(ImpactScoreTest, DiscountRoundsToTheNearestPoint) {
  // raw 5 (q1 b + q2 z): 0.85 × 5 = 4.25 -> 4.
  const ImpactScore result = score({{"q1", {"b"}}, {"q2", {"z"}}, {"q3", {"non"}}, {"m1", {"oui"}}, {"m3", {"p", "q"}}});
  EXPECT_TRUE(result.discount_applied);
  EXPECT_EQ(result.adjusted_impact, 4);
}

TEST(ImpactScoreTest, LevelBoundariesAreInclusiveAtTwentyFiveFiftyAndSeventyFivePercent) {
  struct Boundary {
    Answers answers;
    int points;
    const char* level;
  };
  const std::vector<Boundary> boundaries = {
      {{{"q1", {"b"}}, {"q2", {"aucun"}}, {"q3", {"non"}}, {"q4", {"bas"}}}, 2, "I"},
      {{{"q1", {"b"}}, {"q2", {"z"}}, {"q3", {"non"}}, {"q4", {"bas"}}}, 5, "I"},              // 25 %
      {{{"q1", {"b"}}, {"q2", {"x", "z"}}, {"q3", {"non"}}, {"q4", {"bas"}}}, 6, "II"},        // 30 %
      {{{"q1", {"b"}}, {"q2", {"z"}}, {"q3", {"oui"}}, {"q4", {"bas"}}}, 10, "II"},            // 50 %
      {{{"q1", {"c"}}, {"q2", {"y"}}, {"q3", {"oui"}}, {"q4", {"bas"}}}, 11, "III"},           // 55 %
      {{{"q1", {"c"}}, {"q2", {"x", "y", "z"}}, {"q3", {"oui"}}, {"q4", {"bas"}}}, 15, "III"}, // 75 %
      {{{"q1", {"b"}}, {"q2", {"x", "z"}}, {"q3", {"oui"}}, {"q4", {"haut"}}}, 16, "IV"},      // 80 %
      {{{"q1", {"c"}}, {"q2", {"x", "y", "z"}}, {"q3", {"oui"}}, {"q4", {"haut"}}}, 20, "IV"},
  };
  for (const auto& boundary : boundaries) {
    const ImpactScore result = score(boundary.answers);
    SCOPED_TRACE(boundary.points);
    EXPECT_EQ(result.maximum_impact, 20);
    EXPECT_EQ(result.adjusted_impact, boundary.points);
    EXPECT_EQ(result.level->id, boundary.level);
  }
}

TEST(ImpactScoreTest, SectionSubScoresAddUp) {
  const ImpactScore result = score(raw_ten({{"m1", {"oui"}}}), "conception");
  ASSERT_EQ(result.sections.size(), 3u);
  EXPECT_EQ(result.sections[0].section->id, "s1");
  EXPECT_EQ(result.sections[0].points, 10);
  EXPECT_EQ(result.sections[0].maximum, 15);
  EXPECT_EQ(result.sections[1].points, 0);
  EXPECT_EQ(result.sections[1].maximum, 5);
  EXPECT_EQ(result.sections[2].points, 3);
  EXPECT_EQ(result.sections[2].maximum, 5);
  EXPECT_EQ(result.sections[2].applicable_questions, 2u);
  EXPECT_EQ(result.sections[2].answered_questions, 1u);
}

TEST(ImpactScoreTest, HighRiskRaisesTheLevelToAtLeastThree) {
  const ImpactScore low = score({{"q1", {"a"}}}, "conception", {"haut-risque", "transparence"});
  EXPECT_EQ(low.score_level->id, "I");
  EXPECT_EQ(low.level->id, "III");
  ASSERT_NE(low.floor, nullptr);
  EXPECT_EQ(low.floor->outcome, "haut-risque");
  const ImpactScore high = score({{"q1", {"c"}}, {"q2", {"x", "y", "z"}}, {"q3", {"oui"}}, {"q4", {"haut"}}}, "conception", {"haut-risque"});
  EXPECT_EQ(high.level->id, "IV");
  EXPECT_EQ(high.floor, nullptr);
  EXPECT_FALSE(high.blocked);
}

TEST(ImpactScoreTest, ProhibitedPracticeBlocks) {
  const ImpactScore result = score({{"q1", {"a"}}}, "conception", {"interdit"});
  EXPECT_TRUE(result.blocked);
  ASSERT_NE(result.blocking, nullptr);
  EXPECT_EQ(result.blocking->reason, "Interdit");
}

TEST(ImpactScoreTest, ChangingAnAnswerBackAndForthGivesTheSameScoreAsAnsweringOnce) {
  const Answers once = raw_ten({{"m1", {"oui"}}, {"m3", {"p"}}});
  Answers changed = once;
  changed["q1"] = {"a"};  // q3 becomes inapplicable; its stored answer stays
  changed["m3"] = {"r"};
  changed["q2"] = {"x", "y"};
  changed["q1"] = {"c"};
  changed["q1"] = {"b"};
  changed["m3"] = {"p"};
  changed["q2"] = {"z"};
  const ImpactScore a = score(once);
  const ImpactScore b = score(changed);
  EXPECT_EQ(a.raw_impact, b.raw_impact);
  EXPECT_EQ(a.adjusted_impact, b.adjusted_impact);
  EXPECT_EQ(a.maximum_impact, b.maximum_impact);
  EXPECT_EQ(a.level, b.level);
  // While q1 was "a", the stale q3 answer did not count.
  Answers interim = once;
  interim["q1"] = {"a"};
  Answers interim_without_q3 = interim;
  interim_without_q3.erase("q3");
  EXPECT_EQ(score(interim).raw_impact, score(interim_without_q3).raw_impact);
  EXPECT_EQ(score(interim).maximum_impact, 15);
}

TEST(ImpactScoreTest, InvalidAnswersAndUnknownPhaseNameTheirField) {
  auto result = evaluate_impact(questionnaire(), {{"q1", {"d"}}, {"inconnue", {"a"}}, {"q2", {"aucun", "x"}}}, {"plus-tard", {}, Completeness::partial_allowed});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::invalid);
  const auto& fields = result.error().fields;
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].field, "phase");
  EXPECT_EQ(fields[0].message, "phase « plus-tard » inconnue (phases possibles : conception, en-service)");
  EXPECT_EQ(fields[1].field, "inconnue");
  EXPECT_EQ(fields[2].field, "q1");
  EXPECT_EQ(fields[2].message, "« d » n'est pas un choix de cette question (choix possibles : a, b, c)");
  EXPECT_EQ(fields[3].field, "q2");
  EXPECT_EQ(fields[3].message, "« Aucun » ne peut pas être combiné avec d'autres choix");
}

TEST(ImpactScoreTest, CompletenessRequiredNamesEveryUnansweredApplicableQuestion) {
  auto result = evaluate_impact(questionnaire(), {{"q1", {"a"}}, {"q2", {"x"}}, {"m1", {"oui"}}}, {"conception", {}, Completeness::required});
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().fields.size(), 2u);
  EXPECT_EQ(result.error().fields[0].field, "q4");
  EXPECT_EQ(result.error().fields[0].message, "réponse obligatoire : « Q4 ? »");
  EXPECT_EQ(result.error().fields[1].field, "m3");
}

TEST(ImpactScoreTest, RealQuestionnaireScoresAPlausibleSocialAidSystemAsHighRiskFloor) {
  const auto& data = test::assessment_data();
  auto result = evaluate_impact(data.impact, {{"domaine-decision", {"acces-droits"}}, {"donnees-personnelles", {"oui"}}},
                                {"conception", {"haut-risque-annexe-iii"}, Completeness::partial_allowed});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->level->id, "III");
  EXPECT_FALSE(result->level->approver.empty());
  EXPECT_GT(result->maximum_impact, result->raw_impact);
}

}  // namespace
}  // namespace vigie::assessment
