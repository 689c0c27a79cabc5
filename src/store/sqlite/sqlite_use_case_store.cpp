#include "store/sqlite/sqlite_use_case_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "domain/use_case_json.h"
#include "store/sqlite/audit.h"
#include "store/use_case_backend.h"

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

void bind_list(Statement& statement, const std::vector<std::string>& values, int index) {
  if (values.empty()) statement.bind(index, std::nullopt);
  else statement.bind(index, json_list(values));
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

// The rows of one open write transaction on `db`.
class SqliteUseCaseTables final : public UseCaseTables {
 public:
  explicit SqliteUseCaseTables(Database& db) : db_(db) {}

  Result<std::optional<UseCase>> load(UseCaseId id) override { return sqlite::load(db_, id); }
  Result<bool> organisation_exists(const std::string& code) override {
    return exists(db_, "SELECT 1 FROM organisations WHERE code = ?1", code);
  }
  Result<bool> use_case_exists(UseCaseId id) override { return exists(db_, "SELECT 1 FROM use_cases WHERE id = ?1", id); }

  Result<UseCaseId> insert(const UseCase& u, const UseCaseRow& row) override {
    TRY_ASSIGN(auto insert, db_.prepare(
        "INSERT INTO use_cases (title, title_key, slug, status, publication_state, demo, revision, created_at, updated_at, document)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, '{}')"));
    insert.bind(1, u.title).bind(2, row.title_key).bind(3, row.slug).bind(4, u.status).bind(5, u.publication_state)
        .bind(6, std::int64_t{u.demo ? 1 : 0}).bind(7, u.created_at).bind(8, u.updated_at);
    TRY_STATUS(insert.run());
    return db_.last_insert_id();
  }

  Status save(const UseCase& u, const UseCaseRow& row, WriteOperation operation, const Actor& actor,
              const std::string& now) override {
    {
      TRY_ASSIGN(auto update, db_.prepare(
          "UPDATE use_cases SET title = ?2, title_key = ?3, slug = ?4, status = ?5, publication_state = ?6, revision = ?7,"
          " updated_at = ?8, document = ?9 WHERE id = ?1"));
      update.bind(1, u.id).bind(2, u.title).bind(3, row.title_key).bind(4, row.slug).bind(5, u.status)
          .bind(6, u.publication_state).bind(7, u.revision).bind(8, u.updated_at).bind(9, row.document);
      TRY_STATUS(update.run());
    }
    TRY_STATUS(write_derived(u));
    {
      TRY_ASSIGN(auto revision, db_.prepare(
          "INSERT INTO use_case_revisions (use_case_id, revision, document, changed_at, actor) VALUES (?1, ?2, ?3, ?4, ?5)"));
      revision.bind(1, u.id).bind(2, u.revision).bind(3, row.document).bind(4, now).bind(5, actor.id);
      TRY_STATUS(revision.run());
    }
    TRY_STATUS(append_change(db_, u.id, operation_name(operation), now));
    return append_audit(db_, actor, operation_name(operation), "fiche", std::to_string(u.id), u.revision, now);
  }

  Status delete_demo(const Actor& actor, const std::string& now) override {
    {
      TRY_ASSIGN(auto changes, db_.prepare(
          "INSERT INTO changes (entity, entity_id, operation, changed_at)"
          " SELECT 'fiche', id, 'delete', ?1 FROM use_cases WHERE demo = 1"));
      changes.bind(1, now);
      TRY_STATUS(changes.run());
    }
    TRY_ASSIGN(auto remove, db_.prepare("DELETE FROM use_cases WHERE demo = 1"));
    TRY_STATUS(remove.run());
    return append_audit(db_, actor, "delete-demo", "fiche", "*", std::nullopt, now);
  }

 private:
  // Rewrites the tables derived from the document: owners, taxonomy terms, relations.
  Status write_derived(const UseCase& u) {
    for (const char* sql : {"DELETE FROM use_case_owners WHERE use_case_id = ?1", "DELETE FROM use_case_terms WHERE use_case_id = ?1",
                            "DELETE FROM use_case_relations WHERE source_id = ?1"}) {
      TRY_ASSIGN(auto statement, db_.prepare(sql));
      statement.bind(1, u.id);
      TRY_STATUS(statement.run());
    }
    for (std::size_t i = 0; i < u.owners.size(); ++i) {
      TRY_ASSIGN(auto statement, db_.prepare(
          "INSERT INTO use_case_owners (use_case_id, organisation_code, position) VALUES (?1, ?2, ?3)"));
      statement.bind(1, u.id).bind(2, u.owners[i]).bind(3, static_cast<std::int64_t>(i));
      TRY_STATUS(statement.run());
    }
    for (const auto& [taxonomy, code] : derived_terms(u)) {
      TRY_ASSIGN(auto statement, db_.prepare(
          "INSERT OR IGNORE INTO use_case_terms (use_case_id, taxonomy, code) VALUES (?1, ?2, ?3)"));
      statement.bind(1, u.id).bind(2, taxonomy).bind(3, code);
      TRY_STATUS(statement.run());
    }
    for (const auto& relation : u.relations) {
      TRY_ASSIGN(auto statement, db_.prepare(
          "INSERT OR IGNORE INTO use_case_relations (source_id, target_id, type) VALUES (?1, ?2, ?3)"));
      statement.bind(1, u.id).bind(2, relation.target).bind(3, relation.type);
      TRY_STATUS(statement.run());
    }
    return {};
  }

  Database& db_;
};

}  // namespace

std::unique_ptr<UseCaseTables> use_case_tables(Database& db) { return std::make_unique<SqliteUseCaseTables>(db); }

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

Result<UseCase> SqliteUseCaseStore::create(UseCase use_case, const Actor& actor, Timestamps timestamps) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  SqliteUseCaseTables tables(*db);
  TRY_ASSIGN(auto stored, create_use_case(tables, taxonomies_, clock_, std::move(use_case), actor, timestamps));
  TRY_STATUS(transaction.commit());
  return stored;
}

Result<UseCase> SqliteUseCaseStore::update(UseCase use_case, std::int64_t expected_revision, const Actor& actor) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  SqliteUseCaseTables tables(*db);
  TRY_ASSIGN(auto stored, update_use_case(tables, taxonomies_, clock_, std::move(use_case), expected_revision, actor));
  TRY_STATUS(transaction.commit());
  return stored;
}

Result<UseCase> SqliteUseCaseStore::archive(UseCaseId id, std::int64_t expected_revision, const Actor& actor) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  SqliteUseCaseTables tables(*db);
  TRY_ASSIGN(auto stored, archive_use_case(tables, taxonomies_, clock_, id, expected_revision, actor));
  TRY_STATUS(transaction.commit());
  return stored;
}

Result<std::vector<UseCaseId>> SqliteUseCaseStore::import_batch(std::vector<ImportItem> items, const Actor& actor,
                                                                Timestamps timestamps, ImportMode mode) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  SqliteUseCaseTables tables(*db);
  TRY_ASSIGN(auto ids, import_use_cases(tables, taxonomies_, clock_, std::move(items), actor, timestamps, mode));
  TRY_STATUS(transaction.commit());
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
  statement.bind(1, json_list(owners)).bind(2, except).bind(3, static_cast<std::int64_t>(limit));
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
  statement.bind(1, json_list(ids));
  std::map<domain::UseCaseId, UseCase> found;
  while (true) {
    TRY_ASSIGN(const bool row, statement.step());
    if (!row) break;
    UseCase u;
    u.id = statement.column_int(0);
    u.title = statement.column_text(1);
    u.summary = statement.column_text(2);
    u.status = statement.column_text(3);
    u.domains = json_codes(statement.column_text(4));
    u.owners = json_codes(statement.column_text(5));
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
  statement.bind(1, pairs.dump());
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

Result<std::vector<Revision>> SqliteUseCaseStore::revisions(UseCaseId id) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT revision, changed_at, actor FROM use_case_revisions WHERE use_case_id = ?1 ORDER BY revision"));
  statement.bind(1, id);
  std::vector<Revision> found;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    found.push_back({statement.column_int(0), statement.column_text(1), statement.column_text(2)});
  }
  return found;
}

Result<std::int64_t> SqliteUseCaseStore::last_change() {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare("SELECT coalesce(max(sequence), 0) FROM changes"));
  TRY_ASSIGN(bool has_row, statement.step());
  return has_row ? statement.column_int(0) : std::int64_t{0};
}

}  // namespace vigie::store::sqlite
