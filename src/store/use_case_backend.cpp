#include "store/use_case_backend.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/text.h"
#include "domain/use_case_json.h"
#include "domain/use_case_validation.h"

namespace vigie::store {

using domain::UseCase;
using domain::UseCaseId;
using nlohmann::json;

std::string_view operation_name(WriteOperation operation) {
  switch (operation) {
    case WriteOperation::create: return "create";
    case WriteOperation::update: return "update";
    case WriteOperation::archive: return "archive";
  }
  return "update";
}

Result<UseCase> write_use_case(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock, UseCase u,
                               WriteOperation operation, const Actor& actor, Timestamps timestamps) {
  domain::References references{
      [&](const std::string& code) {
        auto found = tables.organisation_exists(code);
        return found.ok() && *found;
      },
      [&](UseCaseId id) {
        auto found = tables.use_case_exists(id);
        return found.ok() && *found;
      },
  };
  auto errors = domain::validate(u, taxonomies, references);
  if (!errors.empty()) return Error::invalid("La fiche n'a pas été enregistrée : corrigez les champs signalés.", std::move(errors));

  const std::string now = clock.now_rfc3339();
  if (u.updated_at.empty() || (operation != WriteOperation::create && timestamps == Timestamps::now)) u.updated_at = now;
  if (u.created_at.empty()) u.created_at = now;
  UseCaseRow row{text::fold(u.title), text::slugify(u.title), {}};
  if (operation == WriteOperation::create) {
    TRY_ASSIGN(u.id, tables.insert(u, row));
    u.revision = 1;
  } else {
    u.revision += 1;
  }
  row.document = domain::to_json(u).dump();
  TRY_STATUS(tables.save(u, row, operation, actor, now));
  return u;
}

Result<UseCase> load_for_change(UseCaseTables& tables, UseCaseId id, std::int64_t expected, std::string_view verb) {
  TRY_ASSIGN(auto current, tables.load(id));
  if (!current) return Error::not_found(fmt::format("Aucune fiche ne porte le numéro {}.", id));
  if (current->revision != expected) {
    return Error::conflict(fmt::format("La fiche a été modifiée entre-temps (révision {} au lieu de {}) : rechargez-la avant de {}.",
                                       current->revision, expected, verb));
  }
  return std::move(*current);
}

Result<UseCase> create_use_case(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock, UseCase use_case,
                                const Actor& actor, Timestamps timestamps) {
  use_case.id = 0;
  use_case.revision = 0;
  if (timestamps == Timestamps::now) use_case.created_at = use_case.updated_at = "";
  return write_use_case(tables, taxonomies, clock, std::move(use_case), WriteOperation::create, actor);
}

Result<UseCase> update_use_case(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock, UseCase use_case,
                                std::int64_t expected_revision, const Actor& actor) {
  TRY_ASSIGN(auto current, load_for_change(tables, use_case.id, expected_revision, "la modifier"));
  use_case.created_at = current.created_at;
  use_case.revision = current.revision;
  use_case.demo = current.demo;
  use_case.assessments = current.assessments;  // read-only: written by record_assessment_summary()
  return write_use_case(tables, taxonomies, clock, std::move(use_case), WriteOperation::update, actor);
}

Result<UseCase> archive_use_case(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock, UseCaseId id,
                                 std::int64_t expected_revision, const Actor& actor) {
  TRY_ASSIGN(UseCase archived, load_for_change(tables, id, expected_revision, "l'archiver"));
  archived.publication_state = domain::kArchived;
  return write_use_case(tables, taxonomies, clock, std::move(archived), WriteOperation::archive, actor);
}

Result<UseCase> record_assessment_summary(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock,
                                          UseCaseId id, std::string_view tool,
                                          const std::optional<domain::AssessmentSummary>& summary, const Actor& actor) {
  TRY_ASSIGN(auto current, tables.load(id));
  if (!current) return Error::not_found(fmt::format("Aucune fiche ne porte le numéro {}.", id));
  auto& summaries = current->assessments;
  std::erase_if(summaries, [&](const domain::AssessmentSummary& a) { return a.tool == tool; });
  if (summary) summaries.push_back(*summary);
  std::sort(summaries.begin(), summaries.end(), [](const auto& a, const auto& b) { return a.tool < b.tool; });
  return write_use_case(tables, taxonomies, clock, std::move(*current), WriteOperation::update, actor);
}

Result<std::vector<UseCaseId>> import_use_cases(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock,
                                                std::vector<ImportItem> items, const Actor& actor, Timestamps timestamps,
                                                ImportMode mode) {
  if (mode == ImportMode::replace_demo) TRY_STATUS(tables.delete_demo(actor, clock.now_rfc3339()));
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < items.size(); ++i) {
    labels.push_back(items[i].label.empty() ? fmt::format("fiche n° {} du lot", i + 1) : items[i].label);
  }
  auto at = [&labels](std::size_t index, Error error) {
    error.message = fmt::format("{} : {}", labels[index], error.message);
    return error;
  };
  std::vector<UseCase> stored;
  stored.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    UseCase u = std::move(items[i].use_case);
    u.id = 0;
    u.revision = 0;
    if (timestamps == Timestamps::now) u.created_at = u.updated_at = "";
    auto created = write_use_case(tables, taxonomies, clock, std::move(u), WriteOperation::create, actor, timestamps);
    if (!created.ok()) return at(i, std::move(created).error());
    stored.push_back(std::move(created).value());
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].batch_relations.empty()) continue;
    UseCase linked = stored[i];
    for (const auto& relation : items[i].batch_relations) {
      if (relation.index >= stored.size()) {
        return at(i, Error::invalid("relation vers une fiche absente du lot", {{"relations", "fiche absente du lot"}}));
      }
      linked.relations.push_back({relation.type, stored[relation.index].id});
    }
    if (timestamps == Timestamps::keep) linked.updated_at = stored[i].updated_at;
    auto updated = write_use_case(tables, taxonomies, clock, std::move(linked), WriteOperation::update, actor, timestamps);
    if (!updated.ok()) return at(i, std::move(updated).error());
  }
  std::vector<UseCaseId> ids;
  for (const auto& u : stored) ids.push_back(u.id);
  return ids;
}

std::vector<std::pair<std::string_view, std::string>> derived_terms(const UseCase& u) {
  std::vector<std::pair<std::string_view, std::string>> terms;
  auto add = [&](std::string_view taxonomy, const std::vector<std::string>& codes) {
    for (const auto& code : codes) {
      if (!code.empty()) terms.emplace_back(taxonomy, code);
    }
  };
  std::vector<std::string> job_families;
  for (const auto& job : u.jobs) job_families.push_back(job.family);
  add("domaines", u.domains);
  add("finalites", u.purposes);
  add("techniques", u.techniques);
  add("publics", u.target_users);
  add("statut", {u.status});
  add("categorieAiAct", {u.ai_act_category});
  add("fournisseur", {u.provider.type});
  add("hebergement", {u.hosting});
  add("donnees", u.data.categories);
  add("metiers", job_families);
  return terms;
}

Result<UseCase> parse_document(const std::string& document) {
  json parsed = json::parse(document, nullptr, false);
  if (parsed.is_discarded()) return Error::internal("document de fiche illisible dans la base");
  return domain::from_json(parsed, domain::ReadOnlyFields::keep);
}

std::vector<std::string> json_codes(const std::string& array) {
  std::vector<std::string> out;
  const json parsed = json::parse(array, nullptr, false);
  if (parsed.is_array()) {
    for (const auto& code : parsed) {
      if (code.is_string()) out.push_back(code.get<std::string>());
    }
  }
  return out;
}

std::string like_pattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

std::string json_list(const std::vector<std::string>& values) {
  return json(values).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string json_list(const std::vector<UseCaseId>& ids) { return json(ids).dump(); }

std::string encode_cursor(UseCaseSort sort, const std::string& key, UseCaseId id) {
  return encoding::base64url_encode(fmt::format("{}:{}\x1f{}", sort == UseCaseSort::title ? 't' : 'r', key, id));
}

Result<Cursor> decode_cursor(UseCaseSort sort, const std::string& cursor) {
  const auto invalid = Error::invalid("Curseur de pagination invalide.", {{"curseur", "curseur invalide ou d'un autre tri"}});
  auto decoded = encoding::base64url_decode(cursor);
  if (!decoded || decoded->size() < 4 || (*decoded)[0] != (sort == UseCaseSort::title ? 't' : 'r') || (*decoded)[1] != ':') {
    return invalid;
  }
  const auto separator = decoded->rfind('\x1f');
  if (separator == std::string::npos || separator < 2) return invalid;
  Cursor result{decoded->substr(2, separator - 2), 0};
  try {
    result.id = std::stoll(decoded->substr(separator + 1));
  } catch (const std::exception&) {
    return invalid;
  }
  return result;
}

}  // namespace vigie::store
