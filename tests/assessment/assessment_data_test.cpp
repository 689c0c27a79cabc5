#include "assessment/assessment_data.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/assessment/assessment_support.h"

namespace vigie::assessment {
namespace {

using test::assessment_data;

TEST(AssessmentDataTest, RealFilesLoadWithAVersion) {
  const auto& data = assessment_data();
  EXPECT_FALSE(data.classification.version().empty());
  EXPECT_FALSE(data.impact.version().empty());
  EXPECT_FALSE(data.fria.version().empty());
}

// Every walk the tree allows, answering each question with each of its choices alone, records
// the nodes visited and the outcomes reached.
void explore(const ClassificationTree& tree, Answers answers, std::set<std::string>& nodes, std::set<std::string>& outcomes, int& walks) {
  const Classification result = classify(tree, answers);
  nodes.insert(result.path.begin(), result.path.end());
  for (const auto& reached : result.outcomes) outcomes.insert(reached.outcome->id);
  if (result.complete()) {
    ++walks;
    return;
  }
  for (const auto& choice : tree.find_question(result.next_question)->choices) {
    Answers next = answers;
    next[result.next_question] = {choice.id};
    explore(tree, std::move(next), nodes, outcomes, walks);
  }
}

TEST(ClassificationTreeTest, EveryNodeIsVisitedAndEveryOutcomeReachedBySomeWalk) {
  const auto& tree = assessment_data().classification;
  std::set<std::string> nodes;
  std::set<std::string> outcomes;
  int walks = 0;
  explore(tree, {}, nodes, outcomes, walks);
  for (const auto& node : tree.nodes()) EXPECT_TRUE(nodes.count(node.id)) << node.id << " is never visited";
  for (const auto& outcome : tree.outcomes()) EXPECT_TRUE(outcomes.count(outcome.id)) << outcome.id << " is never reached";
  EXPECT_GT(walks, 100);
}

TEST(ClassificationTreeTest, EveryWalkEndsWithAtLeastOneOutcome) {
  const auto& tree = assessment_data().classification;
  // A walk of the simplest answers at each step: the first choice.
  Answers answers;
  for (int step = 0; step < 100; ++step) {
    const Classification result = classify(tree, answers);
    if (result.complete()) {
      EXPECT_FALSE(result.outcomes.empty());
      return;
    }
    answers[result.next_question] = {tree.find_question(result.next_question)->choices.front().id};
  }
  FAIL() << "the walk did not end";
}

TEST(ClassificationTreeTest, OutcomesCarryCodeReferenceAndDate) {
  const std::set<std::string> expected = {"PROHIBITED", "HIGH_RISK_ANNEX_I", "HIGH_RISK_ANNEX_III", "NOT_HIGH_RISK_DEROGATION",
                                          "TRANSPARENCY_DUTIES", "MINIMAL", "OUT_OF_SCOPE", "TO_QUALIFY"};
  std::set<std::string> codes;
  for (const auto& outcome : assessment_data().classification.outcomes()) {
    codes.insert(outcome.code);
    EXPECT_FALSE(outcome.reference.empty()) << outcome.id;
    EXPECT_EQ(outcome.applies_from.size(), 10u) << outcome.id;
  }
  EXPECT_EQ(codes, expected);
}

TEST(ImpactQuestionnaireTest, RealQuestionnaireHasImpactAndMitigationSectionsAndFourLevels) {
  const auto& impact = assessment_data().impact;
  int impact_sections = 0;
  int mitigation_sections = 0;
  for (const auto& section : impact.sections()) (section.kind == SectionKind::impact ? impact_sections : mitigation_sections)++;
  EXPECT_GE(impact_sections, 7);
  EXPECT_GE(mitigation_sections, 4);
  ASSERT_EQ(impact.levels().size(), 4u);
  EXPECT_EQ(impact.levels()[0].ceiling_percent, 25);
  EXPECT_EQ(impact.levels()[1].ceiling_percent, 50);
  EXPECT_EQ(impact.levels()[2].ceiling_percent, 75);
  EXPECT_EQ(impact.rules().mitigation_threshold_percent, 80);
  EXPECT_EQ(impact.rules().discount_percent, 85);
}

TEST(FriaTemplateTest, RealTemplateHasTheSixElementsOfArticle27) {
  const auto& fria = assessment_data().fria;
  ASSERT_EQ(fria.sections().size(), 6u);
  std::string letters;
  for (const auto& section : fria.sections()) letters += section.letter;
  EXPECT_EQ(letters, "abcdef");
}

}  // namespace
}  // namespace vigie::assessment
