#include "assessment/fria.h"

#include <gtest/gtest.h>

#include "tests/assessment/assessment_support.h"

namespace vigie::assessment {
namespace {

TEST(FriaPrefillTest, FieldsTheFicheAnswersArePrefilledWithLabels) {
  domain::UseCase fiche = test::minimal_use_case();
  fiche.oversight = {"validation-humaine", "Un agent valide chaque signalement avant verbalisation."};
  fiche.production_date = "2025-03";
  fiche.risks = "Faux positifs sur les dépôts autorisés.";
  const auto values = prefill(test::assessment_data().fria, fiche, test::taxonomies());
  EXPECT_EQ(values.at("processus"), fiche.summary);
  EXPECT_EQ(values.at("mise-en-service"), "2025-03");
  EXPECT_EQ(values.at("risques"), fiche.risks);
  EXPECT_EQ(values.at("mesures-controle"), fiche.oversight.description);
  EXPECT_EQ(values.at("niveau-controle"), test::taxonomies().get(domain::taxonomy::kOversight).label("validation-humaine"));
  EXPECT_EQ(values.at("publics"), test::taxonomies().get(domain::taxonomy::kTargetUsers).label(fiche.target_users[0]));
  EXPECT_EQ(values.count("fin-utilisation"), 0u);  // empty in the fiche
  EXPECT_EQ(values.count("reclamations"), 0u);     // no fiche field
}

TEST(FriaCheckTest, RequiredFieldsUnknownFieldsAndDatesAreReported) {
  const auto& fria = test::assessment_data().fria;
  std::map<std::string, std::string> values;
  for (const auto& section : fria.sections()) {
    for (const auto& field : section.fields) values[field.id] = "Renseigné";
  }
  EXPECT_TRUE(check_fria(fria, values).empty());
  values["gouvernance"] = "  ";
  values["inconnu"] = "x";
  const auto errors = check_fria(fria, values);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], (FieldError{"inconnu", "champ inconnu"}));
  EXPECT_EQ(errors[1], (FieldError{"gouvernance", "est obligatoire"}));
}

}  // namespace
}  // namespace vigie::assessment
