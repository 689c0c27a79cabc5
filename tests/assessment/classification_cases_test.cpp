// The AI Act pre-classification of real-world-like systems of local authorities. Expected
// outcomes and duties are written from Regulation (EU) 2024/1689 and the CRPA, not from the
// tree: art. 5 (prohibited), art. 6(1) + Annex I, art. 6(2) + Annex III, art. 6(3)
// (derogation, never with profiling), art. 26 (deployers), art. 27 (FRIA: Annex III except
// point 2), art. 49(3)-(4) (registration; points 1, 6, 7 non-public), art. 50 (transparency),
// art. 86 (explanation, not point 2), art. 4 (AI literacy), CRPA L311-3-1, R311-3-1-2, L312-1-3.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "assessment/classification.h"
#include "tests/assessment/assessment_support.h"

namespace vigie::assessment {
namespace {

using Strings = std::vector<std::string>;

// A public body deploying a bought AI system, no exclusion, no prohibited practice, not an
// Annex I product: the start of most cases.
Answers deployed(Answers extra) {
  Answers answers = {{"systeme-ia", {"oui"}}, {"role", {"deployeur"}}, {"exclusions", {"aucune"}},
                     {"pratiques-interdites", {"aucune"}}, {"annexe-i", {"non"}}, {"transparence", {"aucune"}},
                     {"decisions-individuelles", {"non"}}};
  for (auto& [question, choices] : extra) answers[question] = std::move(choices);
  return answers;
}

struct Case {
  const char* name;
  Answers answers;
  std::set<std::string> outcomes;  // exactly these
  Strings duties;                  // present (under an outcome or among the general duties)
  Strings absent_duties;
};

const Strings kDeployerHighRisk = {"art26-instructions", "art26-controle-humain", "art26-donnees-entree", "art26-surveillance",
                                   "art26-journaux", "art26-aipd", "art4-maitrise"};
const Strings kAnnexIiiRights = {"art26-information-personnes", "art26-systeme-enregistre", "art86-explication", "art27-aidf",
                                 "art49-3-enregistrement"};
const Strings kCrpaAll = {"crpa-mention", "crpa-communication", "crpa-publication"};

Strings join(std::initializer_list<Strings> lists) {
  Strings all;
  for (const auto& list : lists) all.insert(all.end(), list.begin(), list.end());
  return all;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      {"social aid eligibility scoring (RSA)",
       deployed({{"annexe-iii", {"5a"}}, {"profilage", {"oui"}}, {"decisions-individuelles", {"oui"}}, {"effectif", {"plus-de-50"}}}),
       {"haut-risque-annexe-iii"}, join({kDeployerHighRisk, kAnnexIiiRights, kCrpaAll}), {"art49-4-section-non-publique", "art16-fournisseur"}},
      {"18/112 emergency call triage",
       deployed({{"annexe-iii", {"5d"}}, {"profilage", {"non"}}, {"derogation", {"aucune"}}}),
       {"haut-risque-annexe-iii"}, join({kDeployerHighRisk, kAnnexIiiRights}), {"crpa-mention"}},
      {"recruitment: screening of applications",
       deployed({{"annexe-iii", {"4a"}}, {"profilage", {"oui"}}, {"decisions-individuelles", {"oui"}}, {"effectif", {"plus-de-50"}}}),
       {"haut-risque-annexe-iii"}, join({kDeployerHighRisk, kAnnexIiiRights, {"art26-information-agents"}, kCrpaAll}), {}},
      {"school place allocation ranking the requests",
       deployed({{"annexe-iii", {"3a"}}, {"profilage", {"non"}}, {"derogation", {"aucune"}}, {"decisions-individuelles", {"oui"}}, {"effectif", {"plus-de-50"}}}),
       {"haut-risque-annexe-iii"}, join({kAnnexIiiRights, kCrpaAll}), {}},
      {"crèche requests: completeness check only, small commune",
       deployed({{"annexe-iii", {"3a"}}, {"profilage", {"non"}}, {"derogation", {"tache-procedurale"}}, {"decisions-individuelles", {"oui"}}, {"effectif", {"50-ou-moins"}}}),
       {"derogation-6-3"}, {"derogation-documentation", "derogation-enregistrement", "derogation-reexamen", "crpa-mention", "crpa-communication", "art4-maitrise"},
       {"crpa-publication", "art27-aidf", "art26-instructions"}},
      {"traffic light control (safety component of road traffic)",
       deployed({{"annexe-iii", {"2"}}, {"profilage", {"non"}}, {"derogation", {"aucune"}}}),
       {"haut-risque-annexe-iii"}, kDeployerHighRisk, {"art27-aidf", "art49-3-enregistrement", "art86-explication", "art26-systeme-enregistre", "art26-information-personnes"}},
      {"predictive maintenance of water pipes (not a safety component)",
       deployed({{"annexe-iii", {"aucun"}}}),
       {"minimal"}, {"codes-conduite", "art4-maitrise"}, {"art26-instructions", "art27-aidf"}},
      {"chatbot answering citizens",
       deployed({{"annexe-iii", {"aucun"}}, {"transparence", {"interaction"}}}),
       {"transparence", "minimal"}, {"art50-1-interaction", "art4-maitrise"}, {"art50-4-texte", "art50-2-marquage"}},
      {"generative drafting of information letters, reviewed by an editor",
       deployed({{"annexe-iii", {"aucun"}}, {"transparence", {"contenu-synthetique", "texte-public"}}, {"relecture-editoriale", {"oui"}}}),
       {"minimal"}, {"art4-maitrise"}, {"art50-4-texte", "art50-2-marquage"}},
      {"generative drafting of information letters, published without review",
       deployed({{"annexe-iii", {"aucun"}}, {"transparence", {"contenu-synthetique", "texte-public"}}, {"relecture-editoriale", {"non"}}}),
       {"transparence", "minimal"}, {"art50-4-texte"}, {"art50-2-marquage", "art50-1-interaction"}},
      {"generative drafting of replies to individual requests (bought tool)",
       deployed({{"annexe-iii", {"aucun"}}, {"transparence", {"contenu-synthetique"}}, {"decisions-individuelles", {"oui"}}, {"effectif", {"plus-de-50"}}}),
       {"minimal"}, kCrpaAll, {"art50-2-marquage", "art50-4-texte"}},
      {"generative drafting tool built in-house (provider marks synthetic content)",
       deployed({{"role", {"developpe-en-interne"}}, {"annexe-iii", {"aucun"}}, {"transparence", {"contenu-synthetique"}}}),
       {"transparence", "minimal"}, {"art50-2-marquage"}, {"art50-4-texte"}},
      {"video analytics in public space detecting abandoned objects (no biometrics)",
       deployed({{"annexe-iii", {"aucun"}}}),
       {"minimal"}, {"art4-maitrise"}, {"art26-instructions"}},
      {"real-time facial recognition in public space for the municipal police",
       deployed({{"pratiques-interdites", {"h"}}}),
       {"interdit"}, {"cesser-usage"}, {"art4-maitrise", "art26-instructions"}},
      {"facial recognition on recorded video for investigations",
       deployed({{"annexe-iii", {"1a", "6e"}}, {"profilage", {"non"}}, {"derogation", {"aucune"}}}),
       {"haut-risque-annexe-iii"}, join({kAnnexIiiRights, {"art49-4-section-non-publique"}}), {}},
      {"emotion recognition of reception agents",
       deployed({{"pratiques-interdites", {"f"}}}),
       {"interdit"}, {"cesser-usage"}, {}},
      {"emotion recognition of bus drivers for safety",
       deployed({{"annexe-iii", {"1c"}}, {"profilage", {"non"}}, {"derogation", {"aucune"}}, {"transparence", {"emotions-biometrie"}}}),
       {"haut-risque-annexe-iii", "transparence"}, {"art50-3-emotions", "art27-aidf", "art49-4-section-non-publique"}, {}},
      {"fraud detection scoring of benefit recipients",
       deployed({{"annexe-iii", {"5a"}}, {"profilage", {"oui"}}, {"decisions-individuelles", {"oui"}}, {"effectif", {"plus-de-50"}}}),
       {"haut-risque-annexe-iii"}, join({kAnnexIiiRights, kCrpaAll}), {}},
      {"translation tool at the reception desk",
       deployed({{"annexe-iii", {"aucun"}}}),
       {"minimal"}, {"art4-maitrise"}, {"art50-1-interaction"}},
      {"canteen prices from a fixed scale (not AI), individual decisions",
       {{"systeme-ia", {"non"}}, {"decisions-individuelles", {"oui"}}, {"effectif", {"plus-de-50"}}},
       {"hors-champ"}, kCrpaAll, {"art4-maitrise"}},
      {"dashboard of statistics (not AI), no individual decision",
       {{"systeme-ia", {"non"}}, {"decisions-individuelles", {"non"}}},
       {"hors-champ"}, {}, {"art4-maitrise", "crpa-mention"}},
      {"mail routing of uncertain nature",
       deployed({{"systeme-ia", {"incertain"}}, {"annexe-iii", {"aucun"}}}),
       {"a-qualifier", "minimal"}, {"qualifier", "art4-maitrise"}, {}},
      {"research prototype with a university, not in service",
       {{"systeme-ia", {"oui"}}, {"role", {"developpe-en-interne"}}, {"exclusions", {"recherche"}}, {"decisions-individuelles", {"non"}}},
       {"hors-champ"}, {}, {"art4-maitrise"}},
      {"exclusively national-security use",
       {{"systeme-ia", {"oui"}}, {"role", {"deployeur"}}, {"exclusions", {"defense"}}, {"decisions-individuelles", {"non"}}},
       {"hors-champ"}, {}, {"art4-maitrise"}},
      {"civic score of residents conditioning access to services",
       deployed({{"pratiques-interdites", {"c"}}}), {"interdit"}, {"cesser-usage"}, {}},
      {"offence prediction from profiling alone",
       deployed({{"pratiques-interdites", {"d"}}}), {"interdit"}, {"cesser-usage"}, {}},
      {"biometric categorisation by religion",
       deployed({{"pratiques-interdites", {"g"}}}), {"interdit"}, {"cesser-usage"}, {}},
      {"face database built by scraping CCTV footage",
       deployed({{"pratiques-interdites", {"e", "h"}}}), {"interdit"}, {"cesser-usage"}, {}},
      {"lift safety component in a municipal building (Annex I)",
       deployed({{"annexe-i", {"oui"}}, {"annexe-iii", {"aucun"}}}),
       {"haut-risque-annexe-i"}, kDeployerHighRisk, {"art27-aidf", "art26-information-personnes", "art49-3-enregistrement", "codes-conduite"}},
      {"synthetic video of the mayor for a campaign (deep fake)",
       deployed({{"annexe-iii", {"aucun"}}, {"transparence", {"contenu-synthetique", "hypertrucage"}}}),
       {"transparence", "minimal"}, {"art50-4-hypertrucage"}, {"art50-4-texte"}},
      {"exam proctoring in a training centre",
       deployed({{"annexe-iii", {"3d"}}, {"profilage", {"non"}}, {"derogation", {"aucune"}}}),
       {"haut-risque-annexe-iii"}, kAnnexIiiRights, {}},
      {"evaluation of agents' performance",
       deployed({{"annexe-iii", {"4b"}}, {"profilage", {"oui"}}}),
       {"haut-risque-annexe-iii"}, {"art26-information-agents", "art27-aidf"}, {}},
      {"sorting of incoming mail",
       deployed({{"annexe-iii", {"aucun"}}}), {"minimal"}, {"codes-conduite"}, {}},
      {"social aid files: checking that documents are present",
       deployed({{"annexe-iii", {"5a"}}, {"profilage", {"non"}}, {"derogation", {"tache-procedurale"}}}),
       {"derogation-6-3"}, {"derogation-documentation"}, {"art27-aidf", "codes-conduite"}},
      {"social housing allocation scoring",
       deployed({{"annexe-iii", {"5a"}}, {"profilage", {"oui"}}, {"decisions-individuelles", {"oui"}}, {"effectif", {"plus-de-50"}}}),
       {"haut-risque-annexe-iii"}, join({kAnnexIiiRights, kCrpaAll}), {}},
      {"social aid scoring built in-house (provider and deployer)",
       deployed({{"role", {"developpe-en-interne"}}, {"annexe-iii", {"5a"}}, {"profilage", {"oui"}}}),
       {"haut-risque-annexe-iii"}, {"art16-fournisseur", "art27-aidf"}, {}},
      {"chatbot meant to influence how people vote",
       deployed({{"annexe-iii", {"8b"}}, {"profilage", {"non"}}, {"derogation", {"aucune"}}, {"transparence", {"interaction"}}}),
       {"haut-risque-annexe-iii", "transparence"}, {"art49-3-enregistrement", "art50-1-interaction"}, {"art49-4-section-non-publique"}},
      {"derogation claimed for a profiling system",
       deployed({{"annexe-iii", {"5a"}}, {"profilage", {"oui"}}, {"derogation", {"tache-preparatoire"}}}),
       {"haut-risque-annexe-iii"}, {"art27-aidf"}, {"derogation-documentation"}},
  };
  return table;
}

std::set<std::string> duty_ids(const Classification& result) {
  std::set<std::string> ids;
  for (const auto& reached : result.outcomes) {
    for (const auto& item : reached.duties) ids.insert(item.duty->id);
  }
  for (const auto& item : result.general_duties) ids.insert(item.duty->id);
  return ids;
}

TEST(ClassificationCasesTest, TableHasAtLeastThirtyCases) { EXPECT_GE(cases().size(), 30u); }

TEST(ClassificationCasesTest, EachCaseReachesItsOutcomesAndDuties) {
  const auto& tree = test::assessment_data().classification;
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    auto result = classify_complete(tree, c.answers);
    ASSERT_TRUE(result.ok()) << result.error().message << (result.error().fields.empty() ? "" : " " + result.error().fields[0].field + " : " + result.error().fields[0].message);
    std::set<std::string> outcomes;
    for (const auto& reached : result->outcomes) outcomes.insert(reached.outcome->id);
    EXPECT_EQ(outcomes, c.outcomes);
    const auto duties = duty_ids(*result);
    for (const auto& duty : c.duties) EXPECT_TRUE(duties.count(duty)) << "missing duty " << duty;
    for (const auto& duty : c.absent_duties) EXPECT_FALSE(duties.count(duty)) << "unexpected duty " << duty;
  }
}

TEST(ClassificationCasesTest, ProhibitedPracticeStopsTheWalk) {
  const auto& tree = test::assessment_data().classification;
  const Classification result = classify(tree, deployed({{"pratiques-interdites", {"h"}}, {"annexe-iii", {"5a"}}}));
  ASSERT_TRUE(result.complete());
  EXPECT_EQ(result.path.back(), "pratiques-interdites");
  EXPECT_TRUE(result.has_flag("interdit-5-1-h"));
  EXPECT_EQ(result.outcomes.size(), 1u);
}

TEST(ClassificationCasesTest, AnnexIDutiesApplyFromAugust2027) {
  const auto& tree = test::assessment_data().classification;
  const Classification result = classify(tree, deployed({{"annexe-i", {"oui"}}, {"annexe-iii", {"aucun"}}}));
  ASSERT_EQ(result.outcomes.size(), 1u);
  EXPECT_EQ(result.outcomes[0].outcome->applies_from, "2027-08-02");
  for (const auto& item : result.outcomes[0].duties) EXPECT_EQ(item.applies_from, "2027-08-02") << item.duty->id;
}

TEST(ClassificationCasesTest, AnnexIiiDutiesApplyFromAugust2026AndProhibitionsFromFebruary2025) {
  const auto& tree = test::assessment_data().classification;
  const Classification high = classify(tree, deployed({{"annexe-iii", {"5a"}}, {"profilage", {"oui"}}}));
  ASSERT_TRUE(high.reached("haut-risque-annexe-iii"));
  for (const auto& item : high.outcomes[0].duties) EXPECT_EQ(item.applies_from, "2026-08-02") << item.duty->id;
  const Classification prohibited = classify(tree, deployed({{"pratiques-interdites", {"c"}}}));
  EXPECT_EQ(prohibited.outcomes[0].duties[0].applies_from, "2025-02-02");
}

TEST(ClassificationCasesTest, AnnexIiiPointsAreRecordedAsFlagsWithTheirReference) {
  const auto& tree = test::assessment_data().classification;
  const Classification result = classify(tree, deployed({{"annexe-iii", {"5a", "4a"}}, {"profilage", {"oui"}}}));
  ASSERT_TRUE(result.has_flag("annexe-iii-5a"));
  ASSERT_TRUE(result.has_flag("annexe-iii-4a"));
  EXPECT_NE(tree.find_flag("annexe-iii-5a")->reference.find("annexe III, point 5 a)"), std::string::npos);
}

TEST(ClassificationCasesTest, PrincipalOutcomeGivesTheFicheCategory) {
  const auto& tree = test::assessment_data().classification;
  auto category = [&](const Answers& answers) {
    const Outcome* outcome = principal_outcome(tree, classify(tree, answers));
    return outcome ? outcome->fiche_category : std::string("(aucun)");
  };
  EXPECT_EQ(category(deployed({{"annexe-iii", {"aucun"}}, {"transparence", {"interaction"}}})), "transparence");
  EXPECT_EQ(category(deployed({{"annexe-iii", {"5a"}}, {"profilage", {"oui"}}, {"transparence", {"interaction"}}})), "haut-risque");
  EXPECT_EQ(category(deployed({{"annexe-iii", {"3a"}}, {"profilage", {"non"}}, {"derogation", {"tache-procedurale"}}})), "minimal");
  EXPECT_EQ(category(deployed({{"pratiques-interdites", {"c"}}})), "interdit");
  EXPECT_EQ(category(deployed({{"systeme-ia", {"incertain"}}, {"annexe-iii", {"aucun"}}})), "inconnu");
  EXPECT_EQ(category({{"systeme-ia", {"non"}}, {"decisions-individuelles", {"non"}}}), "hors-champ");
  EXPECT_EQ(category({}), "(aucun)");
}

TEST(ClassificationCasesTest, TreeCarriesItsNoteForThePage) {
  EXPECT_NE(test::assessment_data().classification.note().find("article 113"), std::string::npos);
  EXPECT_NE(test::assessment_data().impact.note().find("maximum"), std::string::npos);
}

}  // namespace
}  // namespace vigie::assessment
