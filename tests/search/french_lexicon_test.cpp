// Debian's French Hunspell dictionary (hunspell-fr): word validity, corrections, lemmas.
#include <gtest/gtest.h>

#include <algorithm>

#include "search/french_lexicon.h"

namespace vigie::search {
namespace {

class FrenchLexiconTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto opened = FrenchLexicon::open(FrenchLexicon::default_directory());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    lexicon_ = opened->release();
  }
  static void TearDownTestSuite() { delete lexicon_; }
  static inline FrenchLexicon* lexicon_ = nullptr;
};

TEST_F(FrenchLexiconTest, FrenchWordsAreWordsWithOrWithoutAccents) {
  for (const char* word : {"poubelle", "handicapée", "éclairage", "eclairage", "securite", "bouchons", "cantine"}) {
    EXPECT_TRUE(lexicon_->is_word(word)) << word;
  }
  for (const char* word : {"inondasion", "kantine", "accueuil", "vidéosurveilance", "xqzt", ""}) {
    EXPECT_FALSE(lexicon_->is_word(word)) << word;
  }
}

TEST_F(FrenchLexiconTest, SuggestsCorrectionsOfOneWord) {
  auto has = [](const std::vector<std::string>& list, const std::string& wanted) {
    return std::find(list.begin(), list.end(), wanted) != list.end();
  };
  EXPECT_TRUE(has(lexicon_->suggestions("inondasion", 4), "inondation"));
  EXPECT_TRUE(has(lexicon_->suggestions("accueuil", 4), "accueil"));
  EXPECT_TRUE(has(lexicon_->suggestions("kantine", 4), "cantine"));
  for (const auto& suggestion : lexicon_->suggestions("chatbot", 10)) EXPECT_EQ(suggestion.find(' '), std::string::npos) << suggestion;
}

TEST_F(FrenchLexiconTest, LemmasOfAForm) {
  const auto lemmas = lexicon_->lemmas("publiques");
  EXPECT_NE(std::find(lemmas.begin(), lemmas.end(), "public"), lemmas.end());
  EXPECT_TRUE(lexicon_->lemmas(std::string(200, 'a')).empty());
}

TEST(FrenchLexiconOpenTest, AMissingDictionaryIsNamed) {
  auto opened = FrenchLexicon::open("/nonexistent");
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("hunspell-fr"), std::string::npos);
}

}  // namespace
}  // namespace vigie::search
