#include "pages/mustache.h"

#include <gtest/gtest.h>

namespace vigie::pages::mustache {
namespace {

using nlohmann::json;

std::string render(std::string_view source, const json& view) {
  auto parsed = Template::parse(source);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? parsed->render(view) : std::string();
}

std::string parse_error(std::string_view source) {
  auto parsed = Template::parse(source);
  return parsed.ok() ? std::string("(no error)") : parsed.error().message;
}

TEST(MustacheTest, VariablesAreEscapedUnlessTripleOrAmpersand) {
  const json view = {{"name", "<b>Saint-Étienne & « l'Ain »</b>"}, {"quote", "\"x\""}};
  EXPECT_EQ(render("{{name}}", view), "&lt;b&gt;Saint-Étienne &amp; « l&#39;Ain »&lt;/b&gt;");
  EXPECT_EQ(render("{{{name}}}|{{& name }}", view), "<b>Saint-Étienne & « l'Ain »</b>|<b>Saint-Étienne & « l'Ain »</b>");
  EXPECT_EQ(render("<a title=\"{{quote}}\">", view), "<a title=\"&quot;x&quot;\">");
}

TEST(MustacheTest, NumbersRenderAsWrittenAndOtherValuesAsNothing) {
  const json view = {{"count", 12}, {"ratio", 1.5}, {"yes", true}, {"no", false}, {"none", nullptr}, {"list", {1, 2}}, {"object", {{"a", 1}}}};
  EXPECT_EQ(render("{{count}} {{ratio}} [{{yes}}{{no}}{{none}}{{list}}{{object}}{{missing}}]", view), "12 1.5 []");
}

TEST(MustacheTest, FalsyValuesSkipSectionsAndShowInvertedOnes) {
  const json view = {{"empty", ""}, {"no", false}, {"none", nullptr}, {"list", json::array()}, {"zero", 0}, {"text", "x"}};
  for (const char* name : {"empty", "no", "none", "list", "missing"}) {
    const std::string source = std::string("{{#") + name + "}}shown{{/" + name + "}}{{^" + name + "}}inverted{{/" + name + "}}";
    EXPECT_EQ(render(source, view), "inverted") << name;
  }
  // A number is a value like any other (zero too), as a non-empty string is.
  EXPECT_EQ(render("{{#zero}}shown{{/zero}}{{#text}}[{{.}}]{{/text}}", view), "shown[x]");
}

TEST(MustacheTest, SectionsIterateListsAndPushObjects) {
  const json view = {{"title", "Fiches"},
                     {"items", {{{"name", "A"}, {"tags", {"x", "y"}}}, {{"name", "B"}, {"tags", json::array()}}}},
                     {"owner", {{"name", "Rennes"}, {"status", {{"label", "En production"}}}}}};
  EXPECT_EQ(render("{{#items}}<li>{{name}} ({{title}}){{#tags}}[{{.}}]{{/tags}}</li>{{/items}}", view),
            "<li>A (Fiches)[x][y]</li><li>B (Fiches)</li>");
  EXPECT_EQ(render("{{#owner}}{{name}} — {{status.label}}{{/owner}} {{owner.status.label}}", view), "Rennes — En production En production");
  // Only the first part of a dotted name is looked up down the stack.
  EXPECT_EQ(render("{{#owner}}{{status.name}}|{{title}}{{/owner}}", view), "|Fiches");
  EXPECT_EQ(render("{{#owner.status}}{{label}}{{/owner.status}}", view), "En production");
}

TEST(MustacheTest, TagsAloneOnTheirLineTakeTheLine) {
  const json view = {{"items", {"a", "b"}}, {"no", false}};
  EXPECT_EQ(render("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", view), "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
  EXPECT_EQ(render("a\n  {{! a comment }}  \nb\n{{^no}}\nc\n{{/no}}", view), "a\nb\nc\n");
  // Not alone: the line stays, and so does a variable's line.
  EXPECT_EQ(render("x {{#items}}{{.}}{{/items}}\n{{no}}\n", view), "x ab\n\n");
}

TEST(MustacheTest, MalformedTemplatesAreRefusedWithTheLine) {
  EXPECT_EQ(parse_error("<p>\n{{#items}}\n"), "section « items » jamais fermée");
  EXPECT_EQ(parse_error("{{#a}}\n{{/b}}"), "ligne 2 : la section « a » est fermée par « b »");
  EXPECT_EQ(parse_error("\n\n{{/a}}"), "ligne 3 : fermeture de la section « a » qui n’est pas ouverte");
  EXPECT_EQ(parse_error("{{name"), "ligne 1 : balise non fermée");
  EXPECT_EQ(parse_error("{{=<% %>=}}"), "ligne 1 : changement de délimiteurs non pris en charge");
  EXPECT_EQ(parse_error("{{ }}"), "ligne 1 : balise sans nom");
}

TEST(MustacheTest, OneParsedTemplateRendersManyViews) {
  auto parsed = Template::parse("{{#a}}{{a}}{{/a}}");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->render(json{{"a", "1"}}), "1");
  EXPECT_EQ(parsed->render(json{{"a", "2"}}), "2");
  EXPECT_EQ(parsed->render(json::object()), "");
}

}  // namespace
}  // namespace vigie::pages::mustache
