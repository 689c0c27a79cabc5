#include "territory/referential_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "domain/organisation_codes.h"

namespace vigie::territory {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
namespace kind = domain::kind;
namespace codes = domain::codes;

constexpr std::string_view kComZone = "com";
// communes.json's type for a commune in force (its other types are Vigie kinds already).
constexpr std::string_view kCurrentCommune = "commune-actuelle";

Result<json> read_json(const fs::path& path) {
  std::error_code ignored;
  if (!fs::is_regular_file(path, ignored)) {
    return Error::unavailable(fmt::format("Référentiel territorial : le fichier « {} » est introuvable.", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text;
  if (in) {
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size >= 0) {
      text.resize(static_cast<std::size_t>(size));
      in.read(text.data(), static_cast<std::streamsize>(size));
    }
  }
  if (!in) {
    return Error::unavailable(fmt::format("Référentiel territorial : le fichier « {} » est illisible.", path.string()));
  }
  // nlohmann::json reports syntax errors by exception; this is where they become values.
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    return Error::invalid(
        fmt::format("Référentiel territorial : le fichier « {} » n'est pas du JSON valide ({}).", path.string(), e.what()));
  }
}

// INSEE codes ("35238", "2A004", "975"), SIREN, postal codes: short ASCII letters and digits.
// Organisation codes and URLs are built from them, so nothing else gets through.
bool is_code(std::string_view value) {
  if (value.empty() || value.size() > 9) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

bool is_siren(std::string_view value) {
  return value.size() == 9 && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads the fields of one JSON object without throwing; the first problem met is kept, and the
// caller turns it into an error naming the file and the entry.
class EntryReader {
 public:
  explicit EntryReader(const json& entry) : entry_(entry) {
    if (!entry_.is_object()) problem_ = "l'entrée n'est pas un objet";
  }

  bool ok() const { return problem_.empty(); }
  const std::string& problem() const { return problem_; }

  // Records a problem found by the caller (a value of the right type but unexpected).
  void reject(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
  }

  std::string text(const char* name) {
    const json* value = field(name);
    if (!value) return fail(name, "est absent");
    if (!value->is_string() || value->get_ref<const std::string&>().empty()) return fail(name, "doit être un texte non vide");
    return value->get<std::string>();
  }

  std::string optional_text(const char* name) {
    const json* value = field(name);
    if (!value || value->is_null()) return {};
    if (!value->is_string()) return fail(name, "doit être un texte");
    return value->get<std::string>();
  }

  std::string code(const char* name) {
    std::string value = text(name);
    if (ok() && !is_code(value)) return fail(name, "doit être un code alphanumérique court");
    return value;
  }

  std::string optional_code(const char* name) {
    std::string value = optional_text(name);
    if (ok() && !value.empty() && !is_code(value)) return fail(name, "doit être un code alphanumérique court");
    return value;
  }

  std::string optional_siren(const char* name) {
    std::string value = optional_text(name);
    if (ok() && !value.empty() && !is_siren(value)) return fail(name, "doit être un SIREN de 9 chiffres");
    return value;
  }

  std::optional<std::int64_t> optional_count(const char* name) {
    const json* value = field(name);
    if (!value || value->is_null()) return std::nullopt;
    if (!value->is_number_integer() || value->get<std::int64_t>() < 0) {
      fail(name, "doit être un entier positif");
      return std::nullopt;
    }
    return value->get<std::int64_t>();
  }

  std::vector<std::string> optional_codes(const char* name) {
    std::vector<std::string> codes;
    const json* value = field(name);
    if (!value || value->is_null()) return codes;
    if (!value->is_array()) {
      fail(name, "doit être une liste");
      return codes;
    }
    for (const json& item : *value) {
      if (!item.is_string() || !is_code(item.get_ref<const std::string&>())) {
        fail(name, "doit être une liste de codes");
        return {};
      }
      codes.push_back(item.get<std::string>());
    }
    return codes;
  }

  // The `code` of each object of the array `name` (the members of an EPCI).
  std::vector<std::string> member_codes(const char* name) {
    std::vector<std::string> codes;
    const json* value = field(name);
    if (!value || !value->is_array()) {
      fail(name, "doit être une liste");
      return codes;
    }
    for (const json& item : *value) {
      EntryReader member(item);
      std::string code = member.code("code");
      if (!member.ok()) {
        fail(name, "contient un membre sans code valide");
        return {};
      }
      codes.push_back(std::move(code));
    }
    return codes;
  }

 private:
  const json* field(const char* name) const {
    if (!entry_.is_object()) return nullptr;
    auto found = entry_.find(name);
    return found == entry_.end() ? nullptr : &*found;
  }

  std::string fail(const char* name, std::string_view what) {
    reject(fmt::format("le champ « {} » {}", name, what));
    return {};
  }

  const json& entry_;
  std::string problem_;
};

// Applies `read_entry(EntryReader&, const json&)` to every element of the array in `path`.
template <typename ReadEntry>
Status for_each_entry(const fs::path& path, ReadEntry read_entry) {
  TRY_ASSIGN(json document, read_json(path));
  if (!document.is_array()) {
    return Error::invalid(fmt::format("Référentiel territorial : le fichier « {} » doit contenir une liste.", path.string()));
  }
  std::size_t index = 0;
  for (const json& entry : document) {
    ++index;
    EntryReader reader(entry);
    read_entry(reader);
    if (!reader.ok()) {
      return Error::invalid(fmt::format("Référentiel territorial : dans « {} », l'entrée n° {} est invalide : {}.",
                                        path.string(), index, reader.problem()));
    }
  }
  return {};
}

// A région or a département as the package lists it.
struct AreaEntry {
  std::string code;
  std::string name;
  std::string zone;
  std::string region;  // départements only
};

struct CommuneEntry {
  std::string insee;
  std::string name;
  std::string type;
  std::string zone;
  std::string department;
  std::string region;
  std::string siren;
  std::string parent_insee;  // chefLieu of a commune déléguée/associée, commune of an arrondissement
  std::vector<std::string> postal_codes;
  std::optional<std::int64_t> population;
};

// An EPCI or an EPT.
struct GroupEntry {
  std::string siren;
  std::string name;
  std::string type;
  std::optional<std::int64_t> population;
  std::vector<std::string> member_insee;
};

struct PackageFiles {
  std::string version;
  std::vector<AreaEntry> regions;
  std::vector<AreaEntry> departments;
  std::vector<CommuneEntry> communes;
  std::vector<GroupEntry> epcis;
  std::vector<GroupEntry> epts;
};

Result<std::string> read_version(const fs::path& path) {
  TRY_ASSIGN(json document, read_json(path));
  EntryReader reader(document);
  std::string version = reader.text("version");
  if (!reader.ok()) {
    return Error::invalid(fmt::format("Référentiel territorial : dans « {} », {}.", path.string(), reader.problem()));
  }
  return version;
}

Status read_areas(const fs::path& path, bool with_region, std::vector<AreaEntry>& out) {
  return for_each_entry(path, [&](EntryReader& reader) {
    AreaEntry area;
    area.code = reader.code("code");
    area.name = reader.text("nom");
    area.zone = reader.text("zone");
    if (with_region) area.region = reader.code("region");
    out.push_back(std::move(area));
  });
}

Status read_communes(const fs::path& path, std::vector<CommuneEntry>& out) {
  out.reserve(40000);
  return for_each_entry(path, [&](EntryReader& reader) {
    CommuneEntry commune;
    commune.insee = reader.code("code");
    commune.name = reader.text("nom");
    commune.type = reader.text("type");
    commune.zone = reader.text("zone");
    commune.department = reader.code("departement");
    commune.region = reader.code("region");
    commune.siren = reader.optional_siren("siren");
    commune.postal_codes = reader.optional_codes("codesPostaux");
    commune.population = reader.optional_count("population");
    if (commune.type == kind::kDelegatedCommune || commune.type == kind::kAssociatedCommune) {
      commune.parent_insee = reader.code("chefLieu");
    } else if (commune.type == kind::kMunicipalArrondissement) {
      commune.parent_insee = reader.code("commune");
    } else if (commune.type != kCurrentCommune) {
      reader.reject(fmt::format("le type « {} » est inconnu", commune.type));
    }
    out.push_back(std::move(commune));
  });
}

Status read_groups(const fs::path& path, std::vector<GroupEntry>& out) {
  return for_each_entry(path, [&](EntryReader& reader) {
    GroupEntry group;
    group.siren = reader.text("code");
    if (reader.ok() && !is_siren(group.siren)) reader.reject("le champ « code » doit être un SIREN de 9 chiffres");
    group.name = reader.text("nom");
    group.type = reader.text("type");
    group.population = reader.optional_count("populationMunicipale");
    group.member_insee = reader.member_codes("membres");
    out.push_back(std::move(group));
  });
}

Result<PackageFiles> read_files(const fs::path& package_dir) {
  PackageFiles files;
  TRY_ASSIGN(files.version, read_version(package_dir / "package.json"));
  const fs::path data = package_dir / "data";
  TRY_STATUS(read_areas(data / "regions.json", false, files.regions));
  TRY_STATUS(read_areas(data / "departements.json", true, files.departments));
  TRY_STATUS(read_communes(data / "communes.json", files.communes));
  TRY_STATUS(read_groups(data / "epci.json", files.epcis));
  TRY_STATUS(read_groups(data / "ept.json", files.epts));
  return files;
}

// Sum of the populations of the communes of each département and of each région.
struct Populations {
  std::unordered_map<std::string, std::int64_t> by_department;
  std::unordered_map<std::string, std::int64_t> by_region;

  static std::optional<std::int64_t> of(const std::unordered_map<std::string, std::int64_t>& sums,
                                        const std::string& code) {
    auto found = sums.find(code);
    if (found == sums.end()) return std::nullopt;
    return found->second;
  }
};

// Where an EPCI or EPT lies: the département holding most of its members' population.
struct Seat {
  std::string department;
  std::string region;
  std::string zone;
};

Seat seat_of(const GroupEntry& group, const std::vector<CommuneEntry>& communes,
             const std::unordered_map<std::string, std::size_t>& commune_by_insee) {
  struct Weight {
    std::int64_t population = 0;
    std::int64_t members = 0;
    const CommuneEntry* sample = nullptr;
  };
  std::map<std::string, Weight> weights;  // ordered: ties go to the lowest département code
  for (const std::string& insee : group.member_insee) {
    auto found = commune_by_insee.find(insee);
    if (found == commune_by_insee.end()) continue;
    const CommuneEntry& commune = communes[found->second];
    Weight& weight = weights[commune.department];
    weight.population += commune.population.value_or(0);
    weight.members += 1;
    weight.sample = &commune;
  }
  const Weight* best = nullptr;
  for (const auto& [department, weight] : weights) {
    if (!best || std::pair(weight.population, weight.members) > std::pair(best->population, best->members)) {
      best = &weight;
    }
  }
  if (!best) return {};
  return {best->sample->department, best->sample->region, best->sample->zone};
}

domain::Organisation group_organisation(const GroupEntry& group, const char* group_kind, const Seat& seat) {
  domain::Organisation organisation;
  organisation.code = group.siren;
  organisation.siren = group.siren;
  organisation.kind = group_kind;
  organisation.name = group.name;
  organisation.population = group.population;
  organisation.department_code = seat.department;
  organisation.region_code = seat.region;
  organisation.zone = seat.zone;
  if (group_kind == std::string_view(kind::kEpci)) organisation.epci_kind = group.type;
  return organisation;
}

Referential assemble(PackageFiles files) {
  Referential referential;
  referential.version = std::move(files.version);
  auto& out = referential.organisations;
  out.reserve(files.communes.size() + files.epcis.size() + files.departments.size() + files.regions.size() + 32);

  Populations populations;
  std::unordered_map<std::string, std::size_t> commune_by_insee;  // communes-actuelles only
  for (std::size_t i = 0; i < files.communes.size(); ++i) {
    const CommuneEntry& commune = files.communes[i];
    if (commune.type != kCurrentCommune) continue;
    commune_by_insee.emplace(commune.insee, i);
    if (commune.population) {
      populations.by_department[commune.department] += *commune.population;
      populations.by_region[commune.region] += *commune.population;
    }
  }

  std::set<std::string> overseas_collectivities;
  std::map<std::string, std::string> overseas_names;
  for (const AreaEntry& region : files.regions) {
    if (region.zone == kComZone) {
      overseas_collectivities.insert(region.code);
      overseas_names.emplace(region.code, region.name);
      continue;
    }
    domain::Organisation organisation;
    organisation.code = codes::region(region.code);
    organisation.kind = kind::kRegion;
    organisation.insee_code = region.code;
    organisation.name = region.name;
    organisation.population = Populations::of(populations.by_region, region.code);
    organisation.region_code = region.code;
    organisation.zone = region.zone;
    out.push_back(std::move(organisation));
  }
  for (const AreaEntry& department : files.departments) {
    if (department.zone == kComZone) {
      overseas_collectivities.insert(department.code);
      overseas_names.emplace(department.code, department.name);
      continue;
    }
    domain::Organisation organisation;
    organisation.code = codes::department(department.code);
    organisation.kind = kind::kDepartment;
    organisation.insee_code = department.code;
    organisation.name = department.name;
    organisation.population = Populations::of(populations.by_department, department.code);
    organisation.department_code = department.code;
    organisation.region_code = department.region;
    organisation.zone = department.zone;
    out.push_back(std::move(organisation));
  }
  for (const std::string& code : overseas_collectivities) {
    domain::Organisation organisation;
    organisation.code = codes::overseas_collectivity(code);
    organisation.kind = kind::kOverseasCollectivity;
    organisation.insee_code = code;
    organisation.name = overseas_names[code];
    organisation.population = Populations::of(populations.by_department, code);
    organisation.department_code = code;
    organisation.region_code = code;
    organisation.zone = kComZone;
    out.push_back(std::move(organisation));
  }

  std::unordered_map<std::string, std::string> epci_by_commune_insee;
  for (const GroupEntry& epci : files.epcis) {
    out.push_back(group_organisation(epci, kind::kEpci, seat_of(epci, files.communes, commune_by_insee)));
    for (const std::string& insee : epci.member_insee) epci_by_commune_insee[insee] = epci.siren;
  }
  for (const GroupEntry& ept : files.epts) {
    out.push_back(group_organisation(ept, kind::kEpt, seat_of(ept, files.communes, commune_by_insee)));
  }

  auto base_organisation = [](CommuneEntry& commune) {
    domain::Organisation organisation;
    organisation.insee_code = commune.insee;
    organisation.name = std::move(commune.name);
    organisation.population = commune.population;
    organisation.department_code = commune.department;
    organisation.region_code = commune.region;
    organisation.zone = std::move(commune.zone);
    organisation.postal_codes = std::move(commune.postal_codes);
    return organisation;
  };
  std::unordered_map<std::string, std::string> commune_code_by_insee;
  for (CommuneEntry& commune : files.communes) {
    if (commune.type != kCurrentCommune) continue;
    domain::Organisation organisation = base_organisation(commune);
    organisation.code = codes::commune(commune.siren, commune.insee);
    organisation.siren = commune.siren;
    organisation.kind = kind::kCommune;
    if (auto epci = epci_by_commune_insee.find(commune.insee); epci != epci_by_commune_insee.end()) {
      organisation.epci_code = epci->second;
    }
    commune_code_by_insee.emplace(commune.insee, organisation.code);
    out.push_back(std::move(organisation));
  }
  for (CommuneEntry& commune : files.communes) {
    if (commune.type == kCurrentCommune) continue;
    domain::Organisation organisation = base_organisation(commune);
    organisation.code = codes::attached_to_commune(commune.type, commune.insee);
    organisation.kind = commune.type;
    if (auto parent = commune_code_by_insee.find(commune.parent_insee); parent != commune_code_by_insee.end()) {
      organisation.parent_code = parent->second;
    }
    out.push_back(std::move(organisation));
  }
  return referential;
}

}  // namespace

Result<Referential> read_referential(const std::filesystem::path& package_dir) {
  TRY_ASSIGN(PackageFiles files, read_files(package_dir));
  Referential referential = assemble(std::move(files));
  // Loading upserts by code: a code given twice would silently merge two organisations.
  std::unordered_set<std::string_view> seen;
  seen.reserve(referential.organisations.size());
  for (const domain::Organisation& organisation : referential.organisations) {
    if (!seen.insert(organisation.code).second) {
      return Error::invalid(fmt::format("Référentiel territorial : deux organisations de « {} » auraient le code « {} ».",
                                        (package_dir / "data").string(), organisation.code));
    }
  }
  return referential;
}

}  // namespace vigie::territory
