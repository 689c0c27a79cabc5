#include "observatory/france_map.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "core/file.h"
#include "core/text.h"

namespace vigie::observatory {

namespace detail {

struct Area {
  std::string code;                // INSEE code
  std::string name;                // from the referential
  // SVG path data, escaped for an attribute once at load: one per département; none for
  // overseas areas.
  std::vector<std::string> paths;
  std::vector<std::string> compact_paths;  // the same, rounded (MapOptions::compact)
};

struct Layer {
  double x = 0, y = 0, width = 0, height = 0;  // the package's viewBox
  std::vector<Area> metropolitan;              // in INSEE code order
  std::vector<Area> overseas;                  // in INSEE code order
  std::string attribution;
};

}  // namespace detail

struct FranceMap::Data {
  detail::Layer departments;
  detail::Layer regions;
};

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

// Appends `text` to `out`, escaped for HTML and XML. Path data and most labels hold nothing to
// escape: appended at once, without a copy (a map holds about 100 kB of path data).
void append_escaped(std::string& out, std::string_view text) {
  for (std::size_t special = text.find_first_of("&<>\"'"); special != std::string_view::npos; special = text.find_first_of("&<>\"'")) {
    out.append(text.substr(0, special));
    switch (text[special]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += "&#39;"; break;
    }
    text.remove_prefix(special + 1);
  }
  out.append(text);
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

using Counts = std::map<std::string, std::int64_t>;

constexpr std::size_t kMetropolitanDepartments = 96;
constexpr std::size_t kMetropolitanRegions = 13;
constexpr std::size_t kOverseas = 5;

// ---- loading ----------------------------------------------------------------------------

Result<json> read_json(const fs::path& path) {
  TRY_ASSIGN(const std::string content, read_file(path));
  try {
    return json::parse(content);
  } catch (const json::exception& error) {
    return Error::invalid(fmt::format("{} : JSON invalide ({})", path.string(), error.what()));
  }
}

// The packages' index.js is `export default {…}`: the object literal is plain JSON, so we take
// the text from the first '{' to the last '}'.
Result<json> read_module(const fs::path& path) {
  TRY_ASSIGN(const std::string content, read_file(path));
  const std::size_t first = content.find('{');
  const std::size_t last = content.rfind('}');
  if (content.find("export default") == std::string::npos || first == std::string::npos ||
      last == std::string::npos || last < first)
    return Error::invalid(fmt::format("{} : pas de « export default {{…}} »", path.string()));
  try {
    return json::parse(std::string_view(content).substr(first, last - first + 1));
  } catch (const json::exception& error) {
    return Error::invalid(fmt::format("{} : objet JSON invalide ({})", path.string(), error.what()));
  }
}

Result<std::string> string_field(const json& object, const char* key, const fs::path& file) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string() ||
      object[key].get_ref<const std::string&>().empty())
    return Error::invalid(fmt::format("{} : champ « {} » absent ou invalide", file.string(), key));
  return object[key].get<std::string>();
}

// "CC-BY-NC-4.0" -> "CC BY-NC 4.0"; other identifiers are kept as they are.
std::string licence_label(const std::string& spdx) {
  if (spdx.rfind("CC-", 0) != 0) return spdx;
  const std::size_t version = spdx.rfind('-');
  if (version <= 2) return spdx;
  return fmt::format("CC {} {}", spdx.substr(3, version - 3), spdx.substr(version + 1));
}

Result<std::string> attribution(const fs::path& package_json) {
  TRY_ASSIGN(const json package, read_json(package_json));
  TRY_ASSIGN(const std::string name, string_field(package, "name", package_json));
  TRY_ASSIGN(const std::string licence, string_field(package, "license", package_json));
  return fmt::format("Carte : {}, {}", name, licence_label(licence));
}

struct ViewBox {
  double x = 0, y = 0, width = 0, height = 0;
};

Result<ViewBox> parse_view_box(const json& map, const fs::path& file) {
  TRY_ASSIGN(const std::string text, string_field(map, "viewBox", file));
  std::array<double, 4> numbers{};
  const char* cursor = text.data();
  const char* end = text.data() + text.size();
  for (double& number : numbers) {
    while (cursor != end && (*cursor == ' ' || *cursor == ',')) ++cursor;
    const auto [next, error] = std::from_chars(cursor, end, number);
    if (error != std::errc()) return Error::invalid(fmt::format("{} : viewBox « {} » invalide", file.string(), text));
    cursor = next;
  }
  if (cursor != end || numbers[2] <= 0 || numbers[3] <= 0)
    return Error::invalid(fmt::format("{} : viewBox « {} » invalide", file.string(), text));
  return ViewBox{numbers[0], numbers[1], numbers[2], numbers[3]};
}

struct Location {
  std::string id;
  std::string name;
  std::string path;
};

struct PackageMap {
  ViewBox view_box;
  std::vector<Location> locations;
};

Result<PackageMap> read_package_map(const fs::path& index_js) {
  TRY_ASSIGN(const json map, read_module(index_js));
  PackageMap result;
  TRY_ASSIGN(result.view_box, parse_view_box(map, index_js));
  if (!map.contains("locations") || !map["locations"].is_array())
    return Error::invalid(fmt::format("{} : champ « locations » absent ou invalide", index_js.string()));
  for (const json& location : map["locations"]) {
    Location parsed;
    TRY_ASSIGN(parsed.id, string_field(location, "id", index_js));
    TRY_ASSIGN(parsed.name, string_field(location, "name", index_js));
    TRY_ASSIGN(parsed.path, string_field(location, "path", index_js));
    result.locations.push_back(std::move(parsed));
  }
  return result;
}

// An entry of the referential's departements.json or regions.json.
struct Place {
  std::string code;
  std::string name;
  std::string zone;    // "metro", "drom" or "com"
  std::string region;  // départements: the INSEE code of their région
};

Result<std::vector<Place>> read_places(const fs::path& file) {
  TRY_ASSIGN(const json places, read_json(file));
  if (!places.is_array()) return Error::invalid(fmt::format("{} : un tableau JSON est attendu", file.string()));
  std::vector<Place> result;
  for (const json& place : places) {
    Place parsed;
    TRY_ASSIGN(parsed.code, string_field(place, "code", file));
    TRY_ASSIGN(parsed.name, string_field(place, "nom", file));
    TRY_ASSIGN(parsed.zone, string_field(place, "zone", file));
    if (place.contains("region") && place["region"].is_string()) parsed.region = place["region"].get<std::string>();
    result.push_back(std::move(parsed));
  }
  return result;
}

// The path `d` with its points rounded to whole units and repeated points dropped. The
// packages' paths use only "m" (then implicit relative line-tos) and "z"; any other path is
// returned unchanged.
std::string compact_path(std::string_view d) {
  std::string out;
  double x = 0, y = 0, start_x = 0, start_y = 0;
  long last_x = 0, last_y = 0;
  bool first_move = true;
  bool in_line = false;
  std::size_t at = 0;
  auto skip_separators = [&] {
    while (at < d.size() && (d[at] == ' ' || d[at] == ',' || d[at] == '\n' || d[at] == '\t')) ++at;
  };
  auto read_number = [&](double& value) {
    skip_separators();
    const auto [end, error] = std::from_chars(d.data() + at, d.data() + d.size(), value);
    if (error != std::errc()) return false;
    at = static_cast<std::size_t>(end - d.data());
    return true;
  };
  while (true) {
    skip_separators();
    if (at >= d.size()) break;
    const char command = d[at];
    if (command == 'z') {
      out += 'z';
      x = start_x;
      y = start_y;
      last_x = std::lround(x);
      last_y = std::lround(y);
      in_line = false;
      ++at;
    } else if (command == 'm') {
      ++at;
      double dx = 0, dy = 0;
      if (!read_number(dx) || !read_number(dy)) return std::string(d);
      x = first_move ? dx : x + dx;
      y = first_move ? dy : y + dy;
      first_move = false;
      start_x = x;
      start_y = y;
      last_x = std::lround(x);
      last_y = std::lround(y);
      out += fmt::format("M{} {}", last_x, last_y);
      in_line = false;
    } else if (command == '-' || command == '.' || (command >= '0' && command <= '9')) {
      double dx = 0, dy = 0;
      if (first_move || !read_number(dx) || !read_number(dy)) return std::string(d);
      x += dx;
      y += dy;
      const long rx = std::lround(x), ry = std::lround(y);
      if (rx == last_x && ry == last_y) continue;
      out += fmt::format("{}{} {}", in_line ? " " : "l", rx - last_x, ry - last_y);
      in_line = true;
      last_x = rx;
      last_y = ry;
    } else {
      return std::string(d);
    }
  }
  return out;
}

bool by_code(const detail::Area& a, const detail::Area& b) { return a.code < b.code; }

// Builds a layer from the package's locations and the referential's places. `code_of` gives
// the INSEE code of a location, or an empty string when it has none.
template <typename CodeOf>
Result<detail::Layer> build_layer(const PackageMap& map, const fs::path& index_js, const std::vector<Place>& places,
                                  const fs::path& referential_file, std::size_t metropolitan_count,
                                  const char* kind, CodeOf code_of) {
  std::map<std::string, const Place*> metropolitan_places;
  detail::Layer layer{map.view_box.x, map.view_box.y, map.view_box.width, map.view_box.height, {}, {}, {}};
  for (const Place& place : places) {
    if (place.zone == "metro") metropolitan_places.emplace(place.code, &place);
    if (place.zone == "drom") layer.overseas.push_back({place.code, place.name, {}, {}});
  }
  if (metropolitan_places.size() != metropolitan_count || layer.overseas.size() != kOverseas)
    return Error::invalid(fmt::format("{} : {} {}s métropolitain(e)s et {} d'outre-mer attendu(e)s, {} et {} trouvé(e)s",
                                      referential_file.string(), metropolitan_count, kind, kOverseas,
                                      metropolitan_places.size(), layer.overseas.size()));
  std::set<std::string> seen;
  for (const Location& location : map.locations) {
    const std::string code = code_of(location);
    const auto place = metropolitan_places.find(code);
    if (place == metropolitan_places.end())
      return Error::invalid(fmt::format("{} : {} « {} » (id {}) inconnu(e) du référentiel", index_js.string(), kind,
                                        location.name, location.id));
    if (!seen.insert(code).second)
      return Error::invalid(fmt::format("{} : {} {} présent(e) deux fois", index_js.string(), kind, code));
    layer.metropolitan.push_back({code, place->second->name, {escape(location.path)}, {escape(compact_path(location.path))}});
  }
  for (const auto& [code, place] : metropolitan_places)
    if (!seen.contains(code))
      return Error::invalid(fmt::format("{} : {} {} ({}) absent(e) de la carte", index_js.string(), kind, code, place->name));
  std::sort(layer.metropolitan.begin(), layer.metropolitan.end(), by_code);
  std::sort(layer.overseas.begin(), layer.overseas.end(), by_code);
  return layer;
}

// The régions, assembled from the départements' shapes (each région is the group of its
// départements), so that both maps share one geometry and its licence.
Result<detail::Layer> assemble_regions(const detail::Layer& departments, const std::vector<Place>& departement_places,
                                       const std::vector<Place>& regions, const fs::path& departements_file,
                                       const fs::path& regions_file) {
  detail::Layer layer{departments.x, departments.y, departments.width, departments.height, {}, {}, departments.attribution};
  std::map<std::string, std::size_t> index_of_region;
  for (const Place& place : regions) {
    if (place.zone == "metro") {
      index_of_region.emplace(place.code, layer.metropolitan.size());
      layer.metropolitan.push_back({place.code, place.name, {}, {}});
    }
    if (place.zone == "drom") layer.overseas.push_back({place.code, place.name, {}, {}});
  }
  if (layer.metropolitan.size() != kMetropolitanRegions || layer.overseas.size() != kOverseas)
    return Error::invalid(fmt::format("{} : {} régions métropolitaines et {} d'outre-mer attendues, {} et {} trouvées",
                                      regions_file.string(), kMetropolitanRegions, kOverseas, layer.metropolitan.size(),
                                      layer.overseas.size()));
  std::map<std::string, std::string> region_of;
  for (const Place& place : departement_places) region_of.emplace(place.code, place.region);
  for (const detail::Area& departement : departments.metropolitan) {
    const auto region = index_of_region.find(region_of[departement.code]);
    if (region == index_of_region.end())
      return Error::invalid(fmt::format("{} : le département {} ({}) n'appartient à aucune région métropolitaine",
                                        departements_file.string(), departement.code, departement.name));
    detail::Area& area = layer.metropolitan[region->second];
    area.paths.insert(area.paths.end(), departement.paths.begin(), departement.paths.end());
    area.compact_paths.insert(area.compact_paths.end(), departement.compact_paths.begin(), departement.compact_paths.end());
  }
  for (const detail::Area& region : layer.metropolitan)
    if (region.paths.empty())
      return Error::invalid(fmt::format("{} : la région {} ({}) n'a aucun département sur la carte", regions_file.string(),
                                        region.code, region.name));
  std::sort(layer.metropolitan.begin(), layer.metropolitan.end(), by_code);
  std::sort(layer.overseas.begin(), layer.overseas.end(), by_code);
  return layer;
}

// ---- rendering --------------------------------------------------------------------------

// Teal sequential scale, lightest to darkest, and the neutral grey of zero.
constexpr std::array<std::string_view, 5> kPalette = {"#cde7eb", "#96cbd3", "#5fb0bc", "#2a8595", "#0b5563"};
constexpr std::string_view kZeroFill = "#f2f2f2";
constexpr std::string_view kLightBorder = "#ffffff";
constexpr std::string_view kDarkBorder = "#16363b";
constexpr std::string_view kTextColour = "#1b1b1b";

// WCAG 2.1 relative luminance of "#rrggbb".
double luminance(std::string_view hex) {
  auto channel = [&](std::size_t at) {
    unsigned value = 0;
    std::from_chars(hex.data() + at, hex.data() + at + 2, value, 16);
    const double c = value / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

double contrast(std::string_view a, std::string_view b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::string_view border_for(std::string_view fill) {
  return contrast(fill, kLightBorder) >= contrast(fill, kDarkBorder) ? kLightBorder : kDarkBorder;
}

struct ColourClass {
  std::int64_t low = 0, high = 0;  // inclusive
  std::string_view fill;
};

// At most five classes partitioning 1..max: the upper bounds are the quintiles of the positive
// counts (each distinct value its own class when there are five or fewer). The darkest shade
// always goes to the class holding the maximum.
std::vector<ColourClass> colour_classes(std::vector<std::int64_t> positive) {
  std::sort(positive.begin(), positive.end());
  std::vector<std::int64_t> uppers;
  if (positive.empty()) return {};
  std::vector<std::int64_t> distinct = positive;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() <= kPalette.size()) {
    uppers = distinct;
  } else {
    const std::size_t n = positive.size();
    for (std::size_t i = 1; i <= kPalette.size(); ++i) {
      const std::int64_t value = positive[(n * i + kPalette.size() - 1) / kPalette.size() - 1];
      if (uppers.empty() || uppers.back() < value) uppers.push_back(value);
    }
  }
  const std::size_t k = uppers.size();
  std::vector<ColourClass> classes;
  std::int64_t low = 1;
  for (std::size_t j = 0; j < k; ++j) {
    const std::size_t shade = k == 1 ? kPalette.size() - 1 : (j * 8 + (k - 1)) / (2 * (k - 1));
    classes.push_back({low, uppers[j], kPalette[shade]});
    low = uppers[j] + 1;
  }
  return classes;
}

std::string_view fill_for(std::int64_t count, const std::vector<ColourClass>& classes) {
  for (const ColourClass& c : classes)
    if (count <= c.high && count >= c.low) return c.fill;
  return kZeroFill;
}

std::string fiches(std::int64_t count) {
  return fmt::format("{} {}", text::group_digits(count), count > 1 ? "fiches" : "fiche");
}

std::string area_label(const detail::Area& area, std::int64_t count) {
  return fmt::format("{} : {}", area.name, count == 0 ? std::string("aucune fiche") : fiches(count));
}

std::string class_label(const ColourClass& c) {
  if (c.low == c.high) return fiches(c.low);
  return fmt::format("{} à {}", text::group_digits(c.low), fiches(c.high));
}

std::int64_t count_of(const Counts& counts, const std::string& code) {
  const auto found = counts.find(code);
  return found == counts.end() ? 0 : std::max<std::int64_t>(found->second, 0);
}

// Coordinates are printed with {fmt}'s shortest round-trip form, the same on every run.
std::string number(double value) { return fmt::format("{}", value); }

constexpr double kSideGap = 16;     // between the metropolitan map and the side column
constexpr double kSideWidth = 200;  // overseas insets and legend
constexpr double kInset = 36;       // side of an overseas square
constexpr double kInsetStep = 46;
constexpr double kLegendStep = 22;
constexpr int kFontSize = 15;

void open_link(std::string& out, const MapOptions& options, const detail::Area& area, const std::string& label) {
  if (!options.link_for) return;
  out += fmt::format(R"(<a href="{}" class="carte-zone" data-code="{}" aria-label="{}">)",
                     escape(options.link_for(area.code)), escape(area.code), escape(label));
}

void close_link(std::string& out, const MapOptions& options) {
  if (options.link_for) out += "</a>";
}

void text_element(std::string& out, double x, double y, std::string_view content, bool bold = false) {
  out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" fill="{}"{}>{}</text>)", number(x), number(y), kFontSize,
                     kTextColour, bold ? R"( font-weight="bold")" : "", escape(content));
}

std::string render(const detail::Layer& layer, const Counts& counts, const MapOptions& options) {
  std::vector<std::int64_t> positive;
  for (const auto* areas : {&layer.metropolitan, &layer.overseas})
    for (const detail::Area& area : *areas)
      if (const std::int64_t count = count_of(counts, area.code); count > 0) positive.push_back(count);
  const std::vector<ColourClass> classes = colour_classes(std::move(positive));

  const std::string title_id = escape(options.id_prefix + "titre");
  const std::string desc_id = escape(options.id_prefix + "description");
  std::string out;
  out.reserve(200'000);
  out += fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" class="carte" aria-labelledby="{} {}">)",
                     number(layer.x), number(layer.y), number(layer.width + kSideGap + kSideWidth), number(layer.height),
                     title_id, desc_id);
  out += fmt::format(R"(<title id="{}">{}</title><desc id="{}">{}</desc>)", title_id, escape(options.title), desc_id,
                     escape(options.description));

  out += R"(<g class="carte-metropole" stroke-width="0.8" stroke-linejoin="round">)";
  for (const detail::Area& area : layer.metropolitan) {
    const std::int64_t count = count_of(counts, area.code);
    const std::string label = area_label(area, count);
    const std::string_view fill = fill_for(count, classes);
    open_link(out, options, area, label);
    const std::vector<std::string>& paths = options.compact ? area.compact_paths : area.paths;
    if (paths.size() == 1) {
      out += R"(<path d=")";
      out += paths.front();  // escaped at load
      out += fmt::format(R"(" fill="{}" stroke="{}"><title>{}</title></path>)", fill, border_for(fill), escape(label));
    } else {
      // A région: its départements, with thin inner borders, under one title.
      out += fmt::format(R"(<g fill="{}" stroke="{}" stroke-width="0.3"><title>{}</title>)", fill, border_for(fill), escape(label));
      for (const std::string& path : paths) {
        out += R"(<path d=")";
        out += path;  // escaped at load
        out += R"("/>)";
      }
      out += "</g>";
    }
    close_link(out, options);
  }
  out += "</g>";

  const double side_x = layer.x + layer.width + kSideGap;
  double y = layer.y + 20;
  out += R"(<g class="carte-outre-mer">)";
  text_element(out, side_x, y, "Outre-mer", true);
  y += 12;
  for (const detail::Area& area : layer.overseas) {
    const std::int64_t count = count_of(counts, area.code);
    const std::string label = area_label(area, count);
    const std::string_view fill = fill_for(count, classes);
    open_link(out, options, area, label);
    out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{}" stroke="{}" stroke-width="1.5"><title>{}</title></rect>)",
                       number(side_x), number(y), number(kInset), number(kInset), fill, border_for(fill), escape(label));
    text_element(out, side_x + kInset + 10, y + kInset / 2 + 5, area.name);
    close_link(out, options);
    y += kInsetStep;
  }
  out += "</g>";

  y += 20;
  out += R"(<g class="carte-legende">)";
  text_element(out, side_x, y, "Nombre de fiches", true);
  y += 10;
  auto legend_row = [&](std::string_view fill, const std::string& label) {
    out += fmt::format(R"(<rect x="{}" y="{}" width="20" height="14" fill="{}" stroke="{}" stroke-width="1"/>)",
                       number(side_x), number(y), fill, border_for(fill));
    text_element(out, side_x + 28, y + 12, label);
    y += kLegendStep;
  };
  legend_row(kZeroFill, "Aucune fiche");
  for (const ColourClass& c : classes) legend_row(c.fill, class_label(c));
  out += "</g></svg>";
  return out;
}

std::vector<MapRow> rows(const detail::Layer& layer, const Counts& counts) {
  std::vector<std::pair<std::string, MapRow>> keyed;
  for (const auto* areas : {&layer.metropolitan, &layer.overseas})
    for (const detail::Area& area : *areas)
      keyed.push_back({text::fold(area.name), {area.code, area.name, count_of(counts, area.code)}});
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.code < b.second.code;
  });
  std::vector<MapRow> result;
  result.reserve(keyed.size());
  for (auto& [key, row] : keyed) result.push_back(std::move(row));
  return result;
}

}  // namespace

Result<FranceMap> FranceMap::load(const fs::path& node_modules) {
  const fs::path departments_dir = node_modules / "@svg-maps" / "france.departments";
  const fs::path referential_dir = node_modules / "@etalab" / "decoupage-administratif" / "data";

  TRY_ASSIGN(const std::vector<Place> departements, read_places(referential_dir / "departements.json"));
  TRY_ASSIGN(const std::vector<Place> regions, read_places(referential_dir / "regions.json"));
  TRY_ASSIGN(const PackageMap department_map, read_package_map(departments_dir / "index.js"));

  auto data = std::make_shared<Data>();
  // The départements package's ids are INSEE codes.
  TRY_ASSIGN(data->departments,
             build_layer(department_map, departments_dir / "index.js", departements, referential_dir / "departements.json",
                         kMetropolitanDepartments, "département", [](const Location& l) { return l.id; }));
  TRY_ASSIGN(data->departments.attribution, attribution(departments_dir / "package.json"));
  TRY_ASSIGN(data->regions, assemble_regions(data->departments, departements, regions, referential_dir / "departements.json",
                                             referential_dir / "regions.json"));
  return FranceMap(std::move(data));
}

std::string FranceMap::render_departments(const Counts& counts, const MapOptions& options) const {
  return render(data_->departments, counts, options);
}

std::string FranceMap::render_regions(const Counts& counts, const MapOptions& options) const {
  return render(data_->regions, counts, options);
}

std::vector<MapRow> FranceMap::department_rows(const Counts& counts) const { return rows(data_->departments, counts); }

std::vector<MapRow> FranceMap::region_rows(const Counts& counts) const { return rows(data_->regions, counts); }

const std::string& FranceMap::departments_attribution() const { return data_->departments.attribution; }

const std::string& FranceMap::regions_attribution() const { return data_->regions.attribution; }

}  // namespace vigie::observatory
