#include "core/text.h"

#include <gtest/gtest.h>

namespace vigie::text {
namespace {

TEST(FoldTest, RemovesAccentsAndCase) { EXPECT_EQ(fold("Élodie DÉTECTION à Orléans"), "elodie detection a orleans"); }
TEST(FoldTest, ExpandsLigatures) { EXPECT_EQ(fold("Œuvre cæcum"), "oeuvre caecum"); }
TEST(FoldTest, MakesTypographicApostropheAscii) { EXPECT_EQ(fold("l’accueil"), "l'accueil"); }

TEST(PlaceKeyTest, SaintBecomesSt) {
  EXPECT_EQ(place_key("Saint-Étienne"), "st etienne");
  EXPECT_EQ(place_key("St Etienne"), "st etienne");
  EXPECT_EQ(place_key("Sainte-Foy-lès-Lyon"), "ste foy les lyon");
}
TEST(PlaceKeyTest, SaintInsideAWordIsKept) { EXPECT_EQ(place_key("Toussaint"), "toussaint"); }

TEST(SlugTest, MakesReadableAsciiSlug) {
  EXPECT_EQ(slugify("Détection des dépôts sauvages !"), "detection-des-depots-sauvages");
  EXPECT_EQ(slugify("  L’IA à l’accueil — 2024  "), "l-ia-a-l-accueil-2024");
}
TEST(SlugTest, EmptyTitleGivesFallback) { EXPECT_EQ(slugify("¿!"), "fiche"); }
TEST(SlugTest, LongTitleIsCutAtAWordBoundary) {
  const std::string slug = slugify("analyse automatique des demandes de subventions associatives et culturelles du territoire", 40);
  EXPECT_LE(slug.size(), 40u);
  EXPECT_NE(slug.back(), '-');
  EXPECT_EQ(slug, "analyse-automatique-des-demandes-de");
}

TEST(Utf8Test, AcceptsValidAndRejectsInvalid) {
  EXPECT_TRUE(is_valid_utf8("déjà vu — €"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));            // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));        // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));    // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8Test, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(to_valid_utf8("déjà vu — €"), "déjà vu — €");
  EXPECT_EQ(to_valid_utf8("a\xFF" "b"), "a\uFFFD" "b");
  EXPECT_EQ(to_valid_utf8("\xC3"), "\uFFFD");                  // truncated
  EXPECT_EQ(to_valid_utf8("\xC0\xAF"), "\uFFFD\uFFFD");        // overlong: each byte
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80" "x"), "\uFFFD\uFFFD\uFFFD" "x");  // surrogate
  EXPECT_TRUE(is_valid_utf8(to_valid_utf8("\x80\xBF\xF8\xC3\xA9")));
}


TEST(LengthTest, CountsCodePoints) { EXPECT_EQ(length("été"), 3u); }
TEST(GroupDigitsTest, UsesNarrowNoBreakSpace) {
  EXPECT_EQ(group_digits(34969), "34\u202F969");
  EXPECT_EQ(group_digits(999), "999");
  EXPECT_EQ(group_digits(1234567), "1\u202F234\u202F567");
}

}  // namespace
}  // namespace vigie::text

namespace vigie::text {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("marseille", "marseille", 2), 0u);
  EXPECT_EQ(edit_distance("marseile", "marseille", 2), 1u);    // a letter missing
  EXPECT_EQ(edit_distance("bordeaux", "bordeau", 2), 1u);
  EXPECT_EQ(edit_distance("starsbourg", "strasbourg", 2), 1u);  // two neighbours swapped
  EXPECT_EQ(edit_distance("lyon", "lion", 2), 1u);
  EXPECT_EQ(edit_distance("nantes", "rennes", 2), 3u);         // beyond the limit: limit + 1
  EXPECT_EQ(edit_distance("", "abc", 5), 3u);
  EXPECT_EQ(edit_distance("a", "abcdef", 2), 3u);
}

}  // namespace
}  // namespace vigie::text
