#include "pages/templates.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/fixtures.h"

namespace vigie::pages {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(TemplatesTest, PartialsAreWrittenIntoTheTemplatesThatUseThemNestedToo) {
  test::TempDir dir;
  write(dir.path() / "page.mustache", "<ul>{{#items}}{{> item-card}}{{/items}}</ul>{{>absent-partial}}");
  write(dir.path() / "partials" / "item-card.mustache", "<li>{{name}}{{> item-badge}}</li>");
  write(dir.path() / "partials" / "item-badge.mustache", "{{#new}} <b>nouveau</b>{{/new}}");
  auto templates = Templates::load(dir.path());
  ASSERT_TRUE(templates.ok()) << templates.error().message;
  const nlohmann::json view = {{"items", {{{"name", "A & B"}, {"new", true}}, {{"name", "C"}, {"new", false}}}}};
  EXPECT_EQ((*templates)->render("page", view), "<ul><li>A &amp; B <b>nouveau</b></li><li>C</li></ul>");
}

TEST(TemplatesTest, APartialIncludingItselfStopsLoading) {
  test::TempDir dir;
  write(dir.path() / "page.mustache", "{{> loop-card}}");
  write(dir.path() / "partials" / "loop-card.mustache", "x{{> loop-card}}");
  auto templates = Templates::load(dir.path());
  ASSERT_FALSE(templates.ok());
  EXPECT_NE(templates.error().message.find("partiels imbriqués trop profondément"), std::string::npos) << templates.error().message;
}

}  // namespace
}  // namespace vigie::pages
