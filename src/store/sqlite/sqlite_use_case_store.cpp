#include "store/sqlite/sqlite_use_case_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/text.h"
#include "domain/use_case_json.h"
#include "domain/use_case_validation.h"
#include "store/sqlite/audit.h"

namespace vigie::store::sqlite {

using domain::UseCase;
using domain::UseCaseId;
using nlohmann::json;

namespace {

// The filters of UseCaseListQuery, shared by the listing and counting statements. Each list
// of values is one bound parameter holding a JSON array (NULL when the filter is unused), so
// the SQL text stays constant whatever the number of values.
//   ?1 publication state  ?2 domains  ?3 techniques  ?4 purposes  ?5 statuses
//   ?6 organisation kinds  ?7 owner code  ?12 folded text pattern  ?13 raw text pattern
#define VIGIE_USE_CASE_FILTER                                                                                   \
  " FROM use_cases u WHERE u.publication_state = ?1"                                                           \
  " AND (?2 IS NULL OR u.id IN (SELECT use_case_id FROM use_case_terms WHERE taxonomy = 'domaines'"            \
  "      AND code IN (SELECT value FROM json_each(?2))))"                                                       \
  " AND (?3 IS NULL OR u.id IN (SELECT use_case_id FROM use_case_terms WHERE taxonomy = 'techniques'"          \
  "      AND code IN (SELECT value FROM json_each(?3))))"                                                       \
  " AND (?4 IS NULL OR u.id IN (SELECT use_case_id FROM use_case_terms WHERE taxonomy = 'finalites'"           \
  "      AND code IN (SELECT value FROM json_each(?4))))"                                                       \
  " AND (?5 IS NULL OR u.status IN (SELECT value FROM json_each(?5)))"                                          \
  " AND (?6 IS NULL OR u.id IN (SELECT o.use_case_id FROM use_case_owners o"                                    \
  "      JOIN organisations g ON g.code = o.organisation_code WHERE g.kind IN (SELECT value FROM json_each(?6))))" \
  " AND (?7 IS NULL OR u.id IN (SELECT use_case_id FROM use_case_owners WHERE organisation_code = ?7))"   \
  " AND (?12 IS NULL OR u.title_key LIKE ?12 ESCAPE '\\' OR u.document LIKE ?13 ESCAPE '\\')"

// Keyset pagination: ?8 sort key and ?9 id of the last row of the previous page (NULL for the
// first page); ?10 limit, ?11 offset.
// The page's ids come from the covering index alone; documents are read for those rows only.
constexpr const char* kListRecent =
    "SELECT d.document, d.updated_at FROM (SELECT u.id" VIGIE_USE_CASE_FILTER
    " AND (?8 IS NULL OR (u.updated_at, u.id) < (?8, ?9))"
    " ORDER BY u.updated_at DESC, u.id DESC LIMIT ?10 OFFSET ?11) page"
    " JOIN use_cases d ON d.id = page.id ORDER BY d.updated_at DESC, d.id DESC";
constexpr const char* kListTitle =
    "SELECT d.document, d.title_key FROM (SELECT u.id" VIGIE_USE_CASE_FILTER
    " AND (?8 IS NULL OR (u.title_key, u.id) > (?8, ?9))"
    " ORDER BY u.title_key, u.id LIMIT ?10 OFFSET ?11) page"
    " JOIN use_cases d ON d.id = page.id ORDER BY d.title_key, d.id";
constexpr const char* kCount = "SELECT count(*)" VIGIE_USE_CASE_FILTER;
#undef VIGIE_USE_CASE_FILTER

// JSON text of a parameter. Invalid UTF-8 from a query string becomes U+FFFD instead of
// throwing: such a value matches nothing, which is the right answer.
std::string json_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// "%text%" with LIKE's wildcards in the text escaped.
std::string like_pattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

void bind_list(Statement& statement, const std::vector<std::string>& values, int index) {
  if (values.empty()) statement.bind(index, std::nullopt);
  else statement.bind(index, json_text(json(values)));
}

void bind_filter(Statement& statement, const UseCaseFilter& filter) {
  statement.bind(1, filter.publication_state);
  bind_list(statement, filter.domains, 2);
  bind_list(statement, filter.techniques, 3);
  bind_list(statement, filter.purposes, 4);
  bind_list(statement, filter.statuses, 5);
  bind_list(statement, filter.organisation_kinds, 6);
  statement.bind_text_or_null(7, filter.owner);
  if (filter.text.empty()) {
    statement.bind(12, std::nullopt).bind(13, std::nullopt);
  } else {
    statement.bind(12, like_pattern(text::fold(filter.text))).bind(13, like_pattern(filter.text));
  }
}

Result<UseCase> parse_document(const std::string& document) {
  json parsed = json::parse(document, nullptr, false);
  if (parsed.is_discarded()) return Error::internal("document de fiche illisible dans la base");
  return domain::from_json(parsed, domain::ReadOnlyFields::keep);
}

Result<std::vector<UseCase>> collect_documents(Statement& statement) {
  std::vector<UseCase> items;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    TRY_ASSIGN(auto use_case, parse_document(statement.column_text(0)));
    items.push_back(std::move(use_case));
  }
  return items;
}

// Cursor: "<sort>:<sort key>\x1f<id>", base64url-encoded, so clients treat it as opaque.
std::string encode_cursor(UseCaseSort sort, const std::string& key, UseCaseId id) {
  return encoding::base64url_encode(fmt::format("{}:{}\x1f{}", sort == UseCaseSort::title ? 't' : 'r', key, id));
}

struct Cursor {
  std::string key;
  UseCaseId id = 0;
};

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

Result<std::optional<UseCase>> load(Database& db, UseCaseId id) {
  TRY_ASSIGN(auto statement, db.prepare("SELECT document FROM use_cases WHERE id = ?1"));
  statement.bind(1, id);
  TRY_ASSIGN(bool has_row, statement.step());
  if (!has_row) return std::optional<UseCase>{};
  TRY_ASSIGN(auto use_case, parse_document(statement.column_text(0)));
  return std::optional<UseCase>(std::move(use_case));
}

Result<bool> exists(Database& db, std::string_view sql, auto value) {
  TRY_ASSIGN(auto statement, db.prepare(sql));
  statement.bind(1, value);
  return statement.step();
}

Status append_change(Database& db, UseCaseId id, std::string_view operation, const std::string& at) {
  TRY_ASSIGN(auto statement, db.prepare(
      "INSERT INTO changes (entity, entity_id, operation, changed_at) VALUES ('fiche', ?1, ?2, ?3)"));
  statement.bind(1, std::to_string(id)).bind(2, operation).bind(3, at);
  return statement.run();
}

// Rewrites the tables derived from the document: owners, taxonomy terms, relations.
Status write_derived(Database& db, const UseCase& u) {
  for (const char* sql : {"DELETE FROM use_case_owners WHERE use_case_id = ?1", "DELETE FROM use_case_terms WHERE use_case_id = ?1",
                          "DELETE FROM use_case_relations WHERE source_id = ?1"}) {
    TRY_ASSIGN(auto statement, db.prepare(sql));
    statement.bind(1, u.id);
    TRY_STATUS(statement.run());
  }
  for (std::size_t i = 0; i < u.owners.size(); ++i) {
    TRY_ASSIGN(auto statement, db.prepare(
        "INSERT INTO use_case_owners (use_case_id, organisation_code, position) VALUES (?1, ?2, ?3)"));
    statement.bind(1, u.id).bind(2, u.owners[i]).bind(3, static_cast<std::int64_t>(i));
    TRY_STATUS(statement.run());
  }
  auto add_terms = [&](std::string_view taxonomy, const std::vector<std::string>& codes) -> Status {
    for (const auto& code : codes) {
      if (code.empty()) continue;
      TRY_ASSIGN(auto statement, db.prepare(
          "INSERT OR IGNORE INTO use_case_terms (use_case_id, taxonomy, code) VALUES (?1, ?2, ?3)"));
      statement.bind(1, u.id).bind(2, taxonomy).bind(3, code);
      TRY_STATUS(statement.run());
    }
    return {};
  };
  std::vector<std::string> job_families;
  for (const auto& job : u.jobs) job_families.push_back(job.family);
  TRY_STATUS(add_terms("domaines", u.domains));
  TRY_STATUS(add_terms("finalites", u.purposes));
  TRY_STATUS(add_terms("techniques", u.techniques));
  TRY_STATUS(add_terms("publics", u.target_users));
  TRY_STATUS(add_terms("statut", {u.status}));
  TRY_STATUS(add_terms("categorieAiAct", {u.ai_act_category}));
  TRY_STATUS(add_terms("fournisseur", {u.provider.type}));
  TRY_STATUS(add_terms("hebergement", {u.hosting}));
  TRY_STATUS(add_terms("donnees", u.data.categories));
  TRY_STATUS(add_terms("metiers", job_families));
  for (const auto& relation : u.relations) {
    TRY_ASSIGN(auto statement, db.prepare(
        "INSERT OR IGNORE INTO use_case_relations (source_id, target_id, type) VALUES (?1, ?2, ?3)"));
    statement.bind(1, u.id).bind(2, relation.target).bind(3, relation.type);
    TRY_STATUS(statement.run());
  }
  return {};
}

}  // namespace

Result<UseCase> SqliteUseCaseStore::get(UseCaseId id) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto found, load(*db, id));
  if (!found) return Error::not_found(fmt::format("Aucune fiche ne porte le numéro {}.", id));
  return std::move(*found);
}

Result<UseCasePage> SqliteUseCaseStore::list(const UseCaseListQuery& query) {
  TRY_ASSIGN(auto db, pool_.acquire());
  UseCasePage page;
  {
    TRY_ASSIGN(auto count, db->prepare(kCount));
    bind_filter(count, query.filter);
    TRY_ASSIGN(bool has_row, count.step());
    page.total = has_row ? count.column_int(0) : 0;
  }
  TRY_ASSIGN(auto statement, db->prepare(query.sort == UseCaseSort::title ? kListTitle : kListRecent));
  bind_filter(statement, query.filter);
  if (query.after.empty()) {
    statement.bind(8, std::nullopt).bind(9, std::nullopt).bind(11, static_cast<std::int64_t>(query.offset));
  } else {
    TRY_ASSIGN(auto cursor, decode_cursor(query.sort, query.after));
    statement.bind(8, cursor.key).bind(9, cursor.id).bind(11, std::int64_t{0});
  }
  // One row more than asked tells whether a next page exists.
  statement.bind(10, static_cast<std::int64_t>(query.limit + 1));
  std::string last_key;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    if (page.items.size() == query.limit) {
      page.next_cursor = encode_cursor(query.sort, last_key, page.items.back().id);
      break;
    }
    TRY_ASSIGN(auto use_case, parse_document(statement.column_text(0)));
    last_key = statement.column_text(1);
    page.items.push_back(std::move(use_case));
  }
  return page;
}

Result<std::vector<Change>> SqliteUseCaseStore::changes_after(std::int64_t sequence, std::size_t limit) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT sequence, entity_id, operation FROM changes WHERE entity = 'fiche' AND sequence > ?1 ORDER BY sequence LIMIT ?2"));
  statement.bind(1, sequence).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Change> changes;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    changes.push_back({statement.column_int(0), std::stoll(statement.column_text(1)), statement.column_text(2)});
  }
  return changes;
}

Result<UseCase> SqliteUseCaseStore::write(Database& db, UseCase u, Operation operation, const Actor& actor, Timestamps timestamps) {
  domain::References references{
      [&](const std::string& code) {
        auto found = exists(db, "SELECT 1 FROM organisations WHERE code = ?1", code);
        return found.ok() && *found;
      },
      [&](UseCaseId id) {
        auto found = exists(db, "SELECT 1 FROM use_cases WHERE id = ?1", id);
        return found.ok() && *found;
      },
  };
  auto errors = domain::validate(u, taxonomies_, references);
  if (!errors.empty()) return Error::invalid("La fiche n'a pas été enregistrée : corrigez les champs signalés.", std::move(errors));

  const std::string now = clock_.now_rfc3339();
  if (u.updated_at.empty() || (operation != Operation::create && timestamps == Timestamps::now)) u.updated_at = now;
  if (u.created_at.empty()) u.created_at = now;
  const std::string title_key = text::fold(u.title);
  const std::string slug = text::slugify(u.title);
  if (operation == Operation::create) {
    TRY_ASSIGN(auto insert, db.prepare(
        "INSERT INTO use_cases (title, title_key, slug, status, publication_state, demo, revision, created_at, updated_at, document)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, '{}')"));
    insert.bind(1, u.title).bind(2, title_key).bind(3, slug).bind(4, u.status).bind(5, u.publication_state)
        .bind(6, std::int64_t{u.demo ? 1 : 0}).bind(7, u.created_at).bind(8, u.updated_at);
    TRY_STATUS(insert.run());
    u.id = db.last_insert_id();
    u.revision = 1;
  } else {
    u.revision += 1;
  }
  const std::string document = domain::to_json(u).dump();
  {
    TRY_ASSIGN(auto update, db.prepare(
        "UPDATE use_cases SET title = ?2, title_key = ?3, slug = ?4, status = ?5, publication_state = ?6, revision = ?7,"
        " updated_at = ?8, document = ?9 WHERE id = ?1"));
    update.bind(1, u.id).bind(2, u.title).bind(3, title_key).bind(4, slug).bind(5, u.status).bind(6, u.publication_state)
        .bind(7, u.revision).bind(8, u.updated_at).bind(9, document);
    TRY_STATUS(update.run());
  }
  TRY_STATUS(write_derived(db, u));
  {
    TRY_ASSIGN(auto revision, db.prepare(
        "INSERT INTO use_case_revisions (use_case_id, revision, document, changed_at, actor) VALUES (?1, ?2, ?3, ?4, ?5)"));
    revision.bind(1, u.id).bind(2, u.revision).bind(3, document).bind(4, now).bind(5, actor.id);
    TRY_STATUS(revision.run());
  }
  const char* operation_name = operation == Operation::create ? "create" : operation == Operation::update ? "update" : "archive";
  TRY_STATUS(append_change(db, u.id, operation_name, now));
  TRY_STATUS(append_audit(db, actor, operation_name, "fiche", std::to_string(u.id), u.revision, now));
  return u;
}

Result<UseCase> SqliteUseCaseStore::create(UseCase use_case, const Actor& actor, Timestamps timestamps) {
  use_case.id = 0;
  use_case.revision = 0;
  if (timestamps == Timestamps::now) use_case.created_at = use_case.updated_at = "";
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  TRY_ASSIGN(auto stored, write(*db, std::move(use_case), Operation::create, actor));
  TRY_STATUS(transaction.commit());
  return stored;
}

namespace {

// The current fiche `id` inside a write transaction, if the caller read revision `expected`.
Result<UseCase> load_for_change(Database& db, UseCaseId id, std::int64_t expected, std::string_view verb) {
  TRY_ASSIGN(auto current, load(db, id));
  if (!current) return Error::not_found(fmt::format("Aucune fiche ne porte le numéro {}.", id));
  if (current->revision != expected) {
    return Error::conflict(fmt::format("La fiche a été modifiée entre-temps (révision {} au lieu de {}) : rechargez-la avant de {}.",
                                       current->revision, expected, verb));
  }
  return std::move(*current);
}

}  // namespace

Result<UseCase> SqliteUseCaseStore::update(UseCase use_case, std::int64_t expected_revision, const Actor& actor) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  TRY_ASSIGN(auto current, load_for_change(*db, use_case.id, expected_revision, "la modifier"));
  use_case.created_at = current.created_at;
  use_case.revision = current.revision;
  use_case.demo = current.demo;
  use_case.assessments = current.assessments;  // read-only: written by record_assessment()
  TRY_ASSIGN(auto stored, write(*db, std::move(use_case), Operation::update, actor));
  TRY_STATUS(transaction.commit());
  return stored;
}

Result<UseCase> SqliteUseCaseStore::record_assessment(Database& db, UseCaseId id, std::string_view tool,
                                                     const std::optional<domain::AssessmentSummary>& summary, const Actor& actor) {
  TRY_ASSIGN(auto current, load(db, id));
  if (!current) return Error::not_found(fmt::format("Aucune fiche ne porte le numéro {}.", id));
  auto& summaries = current->assessments;
  std::erase_if(summaries, [&](const domain::AssessmentSummary& a) { return a.tool == tool; });
  if (summary) summaries.push_back(*summary);
  std::sort(summaries.begin(), summaries.end(), [](const auto& a, const auto& b) { return a.tool < b.tool; });
  return write(db, std::move(*current), Operation::update, actor);
}

Result<UseCase> SqliteUseCaseStore::archive(UseCaseId id, std::int64_t expected_revision, const Actor& actor) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  TRY_ASSIGN(UseCase archived, load_for_change(*db, id, expected_revision, "l'archiver"));
  archived.publication_state = domain::kArchived;
  TRY_ASSIGN(auto stored, write(*db, std::move(archived), Operation::archive, actor));
  TRY_STATUS(transaction.commit());
  return stored;
}

Result<std::vector<UseCaseId>> SqliteUseCaseStore::import_batch(std::vector<ImportItem> items, const Actor& actor,
                                                                Timestamps timestamps, ImportMode mode) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  if (mode == ImportMode::replace_demo) TRY_STATUS(delete_demo(*db, actor));
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
    auto created = write(*db, std::move(u), Operation::create, actor, timestamps);
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
    auto updated = write(*db, std::move(linked), Operation::update, actor, timestamps);
    if (!updated.ok()) return at(i, std::move(updated).error());
  }
  TRY_STATUS(transaction.commit());
  std::vector<UseCaseId> ids;
  for (const auto& u : stored) ids.push_back(u.id);
  return ids;
}

Result<std::vector<UseCase>> SqliteUseCaseStore::similar(UseCaseId id, std::size_t limit) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      // Ranked from the terms index alone (CROSS JOIN keeps the fiche's own few terms as the
      // outer loop); only the best candidates are then read, filtered and ordered.
      "SELECT d.document FROM (SELECT other.use_case_id AS id, count(*) AS shared FROM use_case_terms mine"
      " CROSS JOIN use_case_terms other ON other.taxonomy = mine.taxonomy AND other.code = mine.code"
      "   AND other.use_case_id <> mine.use_case_id"
      " WHERE mine.use_case_id = ?1 AND mine.taxonomy IN ('domaines', 'techniques')"
      " GROUP BY other.use_case_id ORDER BY shared DESC, other.use_case_id DESC LIMIT ?2 * 4) ranked"
      " JOIN use_cases d ON d.id = ranked.id WHERE d.publication_state = 'publiee'"
      " ORDER BY ranked.shared DESC, d.updated_at DESC, d.id DESC LIMIT ?2"));
  statement.bind(1, id).bind(2, static_cast<std::int64_t>(limit));
  return collect_documents(statement);
}

Result<std::vector<Deployment>> SqliteUseCaseStore::deployments(UseCaseId id, std::size_t limit) {
  TRY_ASSIGN(auto db, pool_.acquire());
  // Candidates with the rank of their link (0 strongest); the provider's name is matched
  // through the expression index of migration 0003.
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT d.document, min(c.link) AS link FROM ("
      "  SELECT source_id AS id, CASE type WHEN 'reutilise' THEN 0 ELSE 1 END AS link FROM use_case_relations"
      "   WHERE target_id = ?1 AND type IN ('reutilise', 'inspire-de')"
      "  UNION ALL"
      "  SELECT target_id, CASE type WHEN 'reutilise' THEN 2 ELSE 3 END FROM use_case_relations"
      "   WHERE source_id = ?1 AND type IN ('reutilise', 'inspire-de')"
      "  UNION ALL"
      "  SELECT other.id, 4 FROM use_cases me JOIN use_cases other"
      "    ON json_extract(other.document, '$.fournisseur.nom') = json_extract(me.document, '$.fournisseur.nom') COLLATE NOCASE"
      "   WHERE me.id = ?1 AND other.id <> me.id AND other.publication_state = 'publiee'"
      "     AND json_extract(me.document, '$.fournisseur.nom') <> ''"
      "     AND EXISTS (SELECT 1 FROM use_case_terms mine JOIN use_case_terms theirs"
      "                   ON theirs.taxonomy = mine.taxonomy AND theirs.code = mine.code AND theirs.use_case_id = other.id"
      "                  WHERE mine.use_case_id = me.id AND mine.taxonomy = 'domaines')"
      ") c JOIN use_cases d ON d.id = c.id WHERE d.publication_state = 'publiee' AND d.id <> ?1"
      " GROUP BY d.id ORDER BY link, d.updated_at DESC, d.id DESC LIMIT ?2"));
  statement.bind(1, id).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Deployment> found;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    TRY_ASSIGN(auto use_case, parse_document(statement.column_text(0)));
    found.push_back({std::move(use_case), static_cast<DeploymentLink>(statement.column_int(1))});
  }
  return found;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqliteUseCaseStore::provider_names(std::string_view prefix,
                                                                                              std::size_t limit) {
  std::vector<std::pair<std::string, std::int64_t>> names;
  if (prefix.empty()) return names;
  TRY_ASSIGN(auto db, pool_.acquire());
  // A range of the case-insensitive index of migration 0003: names from `prefix` up to
  // `prefix` followed by the highest code point.
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT min(json_extract(document, '$.fournisseur.nom')), count(*) FROM use_cases"
      " WHERE publication_state = 'publiee'"
      "   AND json_extract(document, '$.fournisseur.nom') >= ?1 COLLATE NOCASE"
      "   AND json_extract(document, '$.fournisseur.nom') < ?2 COLLATE NOCASE"
      " GROUP BY json_extract(document, '$.fournisseur.nom') COLLATE NOCASE"
      " ORDER BY count(*) DESC, 1 LIMIT ?3"));
  std::string upper(prefix);
  upper += "\xF4\x8F\xBF\xBF";  // U+10FFFF
  statement.bind(1, std::string(prefix)).bind(2, upper).bind(3, static_cast<std::int64_t>(limit));
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    names.emplace_back(statement.column_text(0), statement.column_int(1));
  }
  return names;
}

Result<std::vector<UseCase>> SqliteUseCaseStore::by_owners(const std::vector<std::string>& owners, UseCaseId except,
                                                           std::size_t limit) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT u.document FROM use_cases u WHERE u.publication_state = 'publiee' AND u.id <> ?2"
      " AND u.id IN (SELECT use_case_id FROM use_case_owners WHERE organisation_code IN (SELECT value FROM json_each(?1)))"
      " ORDER BY u.updated_at DESC, u.id DESC LIMIT ?3"));
  statement.bind(1, json_text(json(owners))).bind(2, except).bind(3, static_cast<std::int64_t>(limit));
  return collect_documents(statement);
}

Result<KeyFigures> SqliteUseCaseStore::key_figures() {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT count(*), coalesce(sum(status = 'production'), 0), coalesce(max(demo), 0),"
      " (SELECT count(DISTINCT o.organisation_code) FROM use_case_owners o JOIN use_cases p ON p.id = o.use_case_id"
      "  WHERE p.publication_state = 'publiee'),"
      " (SELECT count(DISTINCT t.code) FROM use_case_terms t JOIN use_cases p ON p.id = t.use_case_id"
      "  WHERE t.taxonomy = 'domaines' AND p.publication_state = 'publiee')"
      " FROM use_cases WHERE publication_state = 'publiee'"));
  TRY_ASSIGN(bool has_row, statement.step());
  KeyFigures figures;
  if (has_row) {
    figures.published = statement.column_int(0);
    figures.in_production = statement.column_int(1);
    figures.has_demo = statement.column_int(2) != 0;
    figures.organisations = statement.column_int(3);
    figures.domains = statement.column_int(4);
  }
  return figures;
}

Result<std::vector<UseCase>> SqliteUseCaseStore::cards(const std::vector<domain::UseCaseId>& ids) {
  if (ids.empty()) return std::vector<UseCase>{};
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT id, title, json_extract(document, '$.resume'), status, json_extract(document, '$.domaines'),"
      " json_extract(document, '$.porteurs'), updated_at, demo, publication_state, revision"
      " FROM use_cases WHERE id IN (SELECT value FROM json_each(?1))"));
  statement.bind(1, json_text(json(ids)));
  std::map<domain::UseCaseId, UseCase> found;
  auto codes = [](const std::string& text) {
    std::vector<std::string> out;
    const json parsed = json::parse(text, nullptr, false);
    if (parsed.is_array()) {
      for (const auto& code : parsed) {
        if (code.is_string()) out.push_back(code.get<std::string>());
      }
    }
    return out;
  };
  while (true) {
    TRY_ASSIGN(const bool row, statement.step());
    if (!row) break;
    UseCase u;
    u.id = statement.column_int(0);
    u.title = statement.column_text(1);
    u.summary = statement.column_text(2);
    u.status = statement.column_text(3);
    u.domains = codes(statement.column_text(4));
    u.owners = codes(statement.column_text(5));
    u.updated_at = statement.column_text(6);
    u.demo = statement.column_int(7) != 0;
    u.publication_state = statement.column_text(8);
    u.revision = statement.column_int(9);
    found.emplace(u.id, std::move(u));
  }
  std::vector<UseCase> ordered;
  ordered.reserve(found.size());
  for (const auto id : ids) {
    if (auto it = found.find(id); it != found.end()) ordered.push_back(it->second);
  }
  return ordered;
}

Status SqliteUseCaseStore::add_views(const std::map<domain::UseCaseId, std::int64_t>& views) {
  if (views.empty()) return {};
  json pairs = json::array();
  for (const auto& [id, count] : views) pairs.push_back(json::array({id, count}));
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
  TRY_ASSIGN(auto statement, db->prepare(
      "INSERT INTO use_case_views (use_case_id, views)"
      " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1)"
      " WHERE json_extract(value, '$[0]') IN (SELECT id FROM use_cases) AND json_extract(value, '$[1]') > 0"
      " ON CONFLICT (use_case_id) DO UPDATE SET views = views + excluded.views"));
  statement.bind(1, json_text(pairs));
  TRY_STATUS(statement.run());
  return transaction.commit();
}

Result<std::vector<domain::UseCase>> SqliteUseCaseStore::most_viewed(std::size_t limit) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT u.document FROM use_case_views v JOIN use_cases u ON u.id = v.use_case_id"
      " WHERE u.publication_state = 'publiee' ORDER BY v.views DESC, u.updated_at DESC, u.id DESC LIMIT ?1"));
  statement.bind(1, static_cast<std::int64_t>(limit));
  return collect_documents(statement);
}

Result<std::int64_t> SqliteUseCaseStore::last_change() {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare("SELECT coalesce(max(sequence), 0) FROM changes"));
  TRY_ASSIGN(bool has_row, statement.step());
  return has_row ? statement.column_int(0) : std::int64_t{0};
}

Status SqliteUseCaseStore::delete_demo(Database& db, const Actor& actor) {
  const std::string now = clock_.now_rfc3339();
  {
    TRY_ASSIGN(auto changes, db.prepare(
        "INSERT INTO changes (entity, entity_id, operation, changed_at) SELECT 'fiche', id, 'delete', ?1 FROM use_cases WHERE demo = 1"));
    changes.bind(1, now);
    TRY_STATUS(changes.run());
  }
  TRY_ASSIGN(auto remove, db.prepare("DELETE FROM use_cases WHERE demo = 1"));
  TRY_STATUS(remove.run());
  return append_audit(db, actor, "delete-demo", "fiche", "*", std::nullopt, now);
}

}  // namespace vigie::store::sqlite
