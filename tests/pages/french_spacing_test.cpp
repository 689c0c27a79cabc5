#include "pages/french_spacing.h"

#include "pages/markdown.h"

#include <gtest/gtest.h>

#include <string>

namespace vigie::pages {
namespace {

// In the expectations: `_` stands for U+00A0 (before « : », inside guillemets) and `^` for
// U+202F (before « ; ! ? »), so that the cases stay readable.
std::string spaces(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '_') out += "\xC2\xA0";
    else if (c == '^') out += "\xE2\x80\xAF";
    else out += c;
  }
  return out;
}

struct Case {
  const char* name;
  const char* input;
  const char* expected;  // with `_` and `^` as above
};

class FrenchSpacingTest : public testing::TestWithParam<Case> {};

TEST_P(FrenchSpacingTest, Rule) {
  const Case& c = GetParam();
  EXPECT_EQ(french_spacing(c.input), spaces(c.expected)) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, FrenchSpacingTest,
    testing::Values(
        // A plain space before a mark becomes the no-break space of that mark.
        Case{"ColonGetsNoBreakSpace", "<p>Accessibilité : partielle</p>", "<p>Accessibilité_: partielle</p>"},
        Case{"SemicolonGetsNarrowSpace", "<p>facultatifs ; oui</p>", "<p>facultatifs^; oui</p>"},
        Case{"QuestionAndExclamationGetNarrowSpace", "<p>Pourquoi ? Enfin !</p>", "<p>Pourquoi^? Enfin^!</p>"},
        Case{"RunOfSpacesBecomesOne", "<p>mot   : x</p>", "<p>mot_: x</p>"},
        Case{"SpaceAtTheStartOfATextAfterATag", "<p><a href=\"/x\">lien</a> : suite</p>", "<p><a href=\"/x\">lien</a>_: suite</p>"},
        // Inserted only where the mark is clearly French punctuation.
        Case{"InsertedAfterAWord", "<p>Vraiment? Oui! Note: là; fin</p>", "<p>Vraiment^? Oui^! Note_: là^; fin</p>"},
        Case{"InsertedAfterAnAccentedLetter", "<p>Déjà?</p>", "<p>Déjà^?</p>"},
        Case{"InsertedBeforeAClosingTag", "<p><strong>Attention!</strong></p>", "<p><strong>Attention^!</strong></p>"},
        Case{"DoubledMarksGetOneSpace", "<p>Quoi ?!</p>", "<p>Quoi^?!</p>"},
        // Guillemets.
        Case{"SpacesInsideGuillemetsBecomeNoBreak", "<p>le plan « IA » ici</p>", "<p>le plan «_IA_» ici</p>"},
        Case{"MissingSpacesInsideGuillemetsAreInserted", "<p>«IA»</p>", "<p>«_IA_»</p>"},
        Case{"GuillemetsAroundATag", "<p>« <em>titre</em> »</p>", "<p>«_<em>titre</em>_»</p>"},
        Case{"ColonAfterAGuillemet", "<p>« mot »: x</p>", "<p>«_mot_»_: x</p>"},
        // Left as written.
        Case{"TimesAreLeftAlone", "<p>à 10:30 ou 9:05</p>", "<p>à 10:30 ou 9:05</p>"},
        Case{"AddressesAreLeftAlone", "<p>Voir https://vigie.example/x?y=1 et mailto:a@b.fr</p>",
             "<p>Voir https://vigie.example/x?y=1 et mailto:a@b.fr</p>"},
        Case{"QueryStringsInTextAreLeftAlone", "<p>GET /api/v1/recherche?q=eau</p>", "<p>GET /api/v1/recherche?q=eau</p>"},
        Case{"AddressEndingASentenceIsLeftAlone", "<p>Écrivez à contact@vigie.example!</p>", "<p>Écrivez à contact@vigie.example!</p>"},
        Case{"MarkFollowedByALetterIsLeftAlone", "<p>a:b et x ?y</p>", "<p>a:b et x ?y</p>"},
        Case{"AttributesAreLeftAlone", "<input placeholder=\"ex. : dépôts ?\" title='a ; b'>", "<input placeholder=\"ex. : dépôts ?\" title='a ; b'>"},
        Case{"GreaterThanInsideAnAttribute", "<a title=\"a > b\">Oui !</a>", "<a title=\"a > b\">Oui^!</a>"},
        Case{"CharacterReferencesAreNotSemicolons", "<p>&quot;mot&quot; &amp; l&#39;eau</p>", "<p>&quot;mot&quot; &amp; l&#39;eau</p>"},
        Case{"ReferenceFollowedByAMark", "<p>&quot;mot&quot; : x</p>", "<p>&quot;mot&quot;_: x</p>"},
        Case{"ScriptStyleAndCodeAreLeftAlone",
             "<script>if (a ? b : c) x();</script><style>a:hover { color: red !important; }</style><p>Code : <code>a ? b : c</code></p>",
             "<script>if (a ? b : c) x();</script><style>a:hover { color: red !important; }</style><p>Code_: <code>a ? b : c</code></p>"},
        Case{"PreWithCodeInsideIsLeftAlone", "<pre><code>x : y ; « z »</code> ? </pre><p>ok ?</p>",
             "<pre><code>x : y ; « z »</code> ? </pre><p>ok^?</p>"},
        Case{"TextareaIsLeftAlone", "<textarea name=\"t\">Pourquoi ?</textarea>", "<textarea name=\"t\">Pourquoi ?</textarea>"},
        Case{"CommentsAndDoctypeAreLeftAlone", "<!doctype html><!-- note : x ? --><p>a ?</p>", "<!doctype html><!-- note : x ? --><p>a^?</p>"},
        Case{"LessThanThatOpensNoTag", "<p>a < b ? oui</p>", "<p>a < b^? oui</p>"},
        Case{"ExistingNoBreakSpacesAreKept", "<p>mot\xC2\xA0: «\xC2\xA0x\xC2\xA0» et y&nbsp;?</p>", "<p>mot_: «_x_» et y&nbsp;?</p>"},
        Case{"EmptyInput", "", ""}),
    [](const testing::TestParamInfo<Case>& param_info) { return std::string(param_info.param.name); });

TEST(FrenchSpacing, IsIdempotent) {
  const std::string once = french_spacing("<p>le plan « IA » : oui ; non ! «x» Quoi?</p><code>a ? b</code>");
  EXPECT_EQ(french_spacing(once), once);
}

// Markdown reaches the page as HTML inside the layout, so the page's pass spaces it: its prose,
// not its code, links or autolinked addresses.
TEST(FrenchSpacing, MarkdownProseIsSpacedNotItsCodeNorItsLinks) {
  const std::string html = french_spacing(render_markdown(
      "Pourquoi ? Voir `a ? b : c` et [la page](https://vigie.example/x?q=1) : https://vigie.example/y?z=2 !\n\n```\nx ; y\n```\n"));
  EXPECT_EQ(html, spaces("<p>Pourquoi^? Voir <code>a ? b : c</code> et <a href=\"https://vigie.example/x?q=1\">la page</a>_: "
                         "<a href=\"https://vigie.example/y?z=2\">https://vigie.example/y?z=2</a>^!</p>\n<pre><code>x ; y\n</code></pre>\n"));
}

TEST(FrenchSpacing, UnclosedMarkupIsCopiedAsIs) {
  EXPECT_EQ(french_spacing("<p title=\"x"), "<p title=\"x");
  EXPECT_EQ(french_spacing("<code>a ? b"), "<code>a ? b");
  EXPECT_EQ(french_spacing("<!-- a ? b"), "<!-- a ? b");
  EXPECT_EQ(french_spacing("fin «"), "fin «");
}

}  // namespace
}  // namespace vigie::pages
