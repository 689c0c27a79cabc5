#include "store/postgres/postgres_use_case_store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "store/use_case_backend.h"

namespace vigie::store::postgres {

using domain::UseCase;
using domain::UseCaseId;

namespace {

// The filters of UseCaseListQuery, shared by the listing and counting statements, as in the
// SQLite store: each list of values is one parameter holding a JSON array (NULL when unused).
//   $1 publication state  $2 domains  $3 techniques  $4 purposes  $5 statuses
//   $6 organisation kinds  $7 owner code  $8 folded text pattern  $9 raw text pattern
// SQLite's LIKE ignores the case of ASCII letters; ILIKE does it for every letter.
#define VIGIE_USE_CASE_FILTER                                                                                      \
  " FROM use_cases u WHERE u.publication_state = $1"                                                              \
  " AND ($2::jsonb IS NULL OR u.id IN (SELECT use_case_id FROM use_case_terms WHERE taxonomy = 'domaines'"        \
  "      AND code IN (SELECT jsonb_array_elements_text($2::jsonb))))"                                             \
  " AND ($3::jsonb IS NULL OR u.id IN (SELECT use_case_id FROM use_case_terms WHERE taxonomy = 'techniques'"      \
  "      AND code IN (SELECT jsonb_array_elements_text($3::jsonb))))"                                             \
  " AND ($4::jsonb IS NULL OR u.id IN (SELECT use_case_id FROM use_case_terms WHERE taxonomy = 'finalites'"       \
  "      AND code IN (SELECT jsonb_array_elements_text($4::jsonb))))"                                             \
  " AND ($5::jsonb IS NULL OR u.status IN (SELECT jsonb_array_elements_text($5::jsonb)))"                         \
  " AND ($6::jsonb IS NULL OR u.id IN (SELECT o.use_case_id FROM use_case_owners o"                               \
  "      JOIN organisations g ON g.code = o.organisation_code WHERE g.kind IN (SELECT jsonb_array_elements_text($6::jsonb))))" \
  " AND ($7::text IS NULL OR u.id IN (SELECT use_case_id FROM use_case_owners WHERE organisation_code = $7))"     \
  " AND ($8::text IS NULL OR u.title_key LIKE $8 ESCAPE '\\' OR u.document ILIKE $9 ESCAPE '\\')"

// Keyset pagination: $10 sort key and $11 id of the last row of the previous page (NULL for the
// first page); $12 limit, $13 offset.
constexpr const char* kListRecent =
    "SELECT d.document, d.updated_at FROM (SELECT u.id" VIGIE_USE_CASE_FILTER
    " AND ($10::text IS NULL OR (u.updated_at, u.id) < ($10::text, $11::bigint))"
    " ORDER BY u.updated_at DESC, u.id DESC LIMIT $12::bigint OFFSET $13::bigint) page"
    " JOIN use_cases d ON d.id = page.id ORDER BY d.updated_at DESC, d.id DESC";
constexpr const char* kListTitle =
    "SELECT d.document, d.title_key FROM (SELECT u.id" VIGIE_USE_CASE_FILTER
    " AND ($10::text IS NULL OR (u.title_key, u.id) > ($10::text, $11::bigint))"
    " ORDER BY u.title_key, u.id LIMIT $12::bigint OFFSET $13::bigint) page"
    " JOIN use_cases d ON d.id = page.id ORDER BY d.title_key, d.id";
// The count takes the filter's parameters, $1 to $9, only.
constexpr const char* kCount = "SELECT count(*)" VIGIE_USE_CASE_FILTER;
#undef VIGIE_USE_CASE_FILTER

Param list_param(const std::vector<std::string>& values) { return values.empty() ? Param{} : text(json_list(values)); }

// $1 to $9 of the list and count statements.
std::vector<Param> filter_params(const UseCaseFilter& filter) {
  std::vector<Param> params(9);
  params[0] = text(filter.publication_state);
  params[1] = list_param(filter.domains);
  params[2] = list_param(filter.techniques);
  params[3] = list_param(filter.purposes);
  params[4] = list_param(filter.statuses);
  params[5] = list_param(filter.organisation_kinds);
  params[6] = text_or_null(filter.owner);
  if (!filter.text.empty()) {
    params[7] = like_pattern(text::fold(filter.text));
    params[8] = like_pattern(filter.text);
  }
  return params;
}

Result<std::vector<UseCase>> documents(const Rows& rows) {
  std::vector<UseCase> items;
  items.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) {
    TRY_ASSIGN(auto use_case, parse_document(rows.text(row, 0)));
    items.push_back(std::move(use_case));
  }
  return items;
}

// The rows of one open write transaction on `connection`.
// Inside a write transaction, a fiche read to be changed is locked until the transaction ends,
// so that two writers holding the same revision cannot both replace it (the second sees the
// first's revision and gets a conflict).
class PostgresUseCaseTables final : public UseCaseTables {
 public:
  enum class Reading { for_change, only };
  explicit PostgresUseCaseTables(Connection& connection, Reading reading = Reading::for_change)
      : connection_(connection), reading_(reading) {}

  Result<std::optional<UseCase>> load(UseCaseId id) override {
    TRY_ASSIGN(auto rows, connection_.query(reading_ == Reading::for_change
                                                ? "SELECT document FROM use_cases WHERE id = $1::bigint FOR UPDATE"
                                                : "SELECT document FROM use_cases WHERE id = $1::bigint",
                                            {integer(id)}));
    if (rows.empty()) return std::optional<UseCase>{};
    TRY_ASSIGN(auto use_case, parse_document(rows.text(0, 0)));
    return std::optional<UseCase>(std::move(use_case));
  }
  Result<bool> organisation_exists(const std::string& code) override {
    TRY_ASSIGN(auto rows, connection_.query("SELECT 1 FROM organisations WHERE code = $1", {text(code)}));
    return !rows.empty();
  }
  Result<bool> use_case_exists(UseCaseId id) override {
    TRY_ASSIGN(auto rows, connection_.query("SELECT 1 FROM use_cases WHERE id = $1::bigint", {integer(id)}));
    return !rows.empty();
  }

  Result<UseCaseId> insert(const UseCase& u, const UseCaseRow& row) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "INSERT INTO use_cases (title, title_key, slug, status, publication_state, demo, revision, created_at, updated_at, document)"
        " VALUES ($1, $2, $3, $4, $5, $6::integer, 1, $7, $8, '{}') RETURNING id",
        {text(u.title), text(row.title_key), text(row.slug), text(u.status), text(u.publication_state),
         integer(u.demo ? 1 : 0), text(u.created_at), text(u.updated_at)}));
    return rows.integer(0, 0);
  }

  Status save(const UseCase& u, const UseCaseRow& row, WriteOperation operation, const Actor& actor,
              const std::string& now) override {
    TRY_STATUS(connection_.execute(
        "UPDATE use_cases SET title = $2, title_key = $3, slug = $4, status = $5, publication_state = $6,"
        " revision = $7::bigint, updated_at = $8, document = $9 WHERE id = $1::bigint",
        {integer(u.id), text(u.title), text(row.title_key), text(row.slug), text(u.status), text(u.publication_state),
         integer(u.revision), text(u.updated_at), text(row.document)}));
    TRY_STATUS(write_derived(u));
    TRY_STATUS(connection_.execute(
        "INSERT INTO use_case_revisions (use_case_id, revision, document, changed_at, actor)"
        " VALUES ($1::bigint, $2::bigint, $3, $4, $5)",
        {integer(u.id), integer(u.revision), text(row.document), text(now), text(actor.id)}));
    TRY_STATUS(append_change(std::to_string(u.id), operation_name(operation), now));
    return append_audit(actor, operation_name(operation), std::to_string(u.id), integer(u.revision), now);
  }

  Status delete_demo(const Actor& actor, const std::string& now) override {
    TRY_STATUS(lock_changes());
    TRY_STATUS(connection_.execute(
        "INSERT INTO changes (entity, entity_id, operation, changed_at)"
        " SELECT 'fiche', id::text, 'delete', $1 FROM use_cases WHERE demo = 1 ORDER BY id",
        {text(now)}));
    TRY_STATUS(connection_.execute("DELETE FROM use_cases WHERE demo = 1"));
    return append_audit(actor, "delete-demo", "*", std::nullopt, now);
  }

 private:
  // Change sequences must become visible in their order (migration 0001, table changes): the
  // lock, held until the transaction ends, makes the writers that append commit one after the
  // other. Readers are not blocked.
  Status lock_changes() { return connection_.execute("LOCK TABLE changes IN EXCLUSIVE MODE"); }

  Status append_change(const std::string& id, std::string_view operation, const std::string& now) {
    TRY_STATUS(lock_changes());
    return connection_.execute("INSERT INTO changes (entity, entity_id, operation, changed_at) VALUES ('fiche', $1, $2, $3)",
                               {text(id), text(operation), text(now)});
  }

  Status append_audit(const Actor& actor, std::string_view action, const std::string& id, Param revision,
                      const std::string& now) {
    return connection_.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, revision) VALUES ($1, $2, $3, 'fiche', $4, $5::bigint)",
        {text(now), text(actor.id), text(action), text(id), std::move(revision)});
  }

  // Rewrites the tables derived from the document: owners, taxonomy terms, relations. Each
  // table in one statement whatever the number of rows (a JSON array parameter): a fiche is
  // written in a dozen round trips to the server rather than thirty.
  Status write_derived(const UseCase& u) {
    TRY_STATUS(connection_.execute(
        "WITH owners AS (DELETE FROM use_case_owners WHERE use_case_id = $1::bigint),"
        " terms AS (DELETE FROM use_case_terms WHERE use_case_id = $1::bigint)"
        " DELETE FROM use_case_relations WHERE source_id = $1::bigint",
        {integer(u.id)}));
    nlohmann::json owners = nlohmann::json::array();
    for (std::size_t i = 0; i < u.owners.size(); ++i) owners.push_back(nlohmann::json::array({u.owners[i], i}));
    nlohmann::json terms = nlohmann::json::array();
    for (const auto& [taxonomy, code] : derived_terms(u)) terms.push_back(nlohmann::json::array({taxonomy, code}));
    nlohmann::json relations = nlohmann::json::array();
    for (const auto& relation : u.relations) relations.push_back(nlohmann::json::array({relation.target, relation.type}));
    if (!owners.empty()) {
      TRY_STATUS(connection_.execute(
          "INSERT INTO use_case_owners (use_case_id, organisation_code, position)"
          " SELECT $1::bigint, row ->> 0, (row ->> 1)::integer FROM jsonb_array_elements($2::jsonb) AS row",
          {integer(u.id), json(owners)}));
    }
    if (!terms.empty()) {
      TRY_STATUS(connection_.execute(
          "INSERT INTO use_case_terms (use_case_id, taxonomy, code)"
          " SELECT $1::bigint, row ->> 0, row ->> 1 FROM jsonb_array_elements($2::jsonb) AS row ON CONFLICT DO NOTHING",
          {integer(u.id), json(terms)}));
    }
    if (!relations.empty()) {
      TRY_STATUS(connection_.execute(
          "INSERT INTO use_case_relations (source_id, target_id, type)"
          " SELECT $1::bigint, (row ->> 0)::bigint, row ->> 1 FROM jsonb_array_elements($2::jsonb) AS row ON CONFLICT DO NOTHING",
          {integer(u.id), json(relations)}));
    }
    return {};
  }

  Connection& connection_;
  const Reading reading_;
};

// Runs `write` on the tables of a new transaction, committed when it succeeds.
template <typename Write>
auto in_transaction(ConnectionPool& pool, Write&& write) -> decltype(write(std::declval<UseCaseTables&>())) {
  TRY_ASSIGN(auto connection, pool.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*connection));
  PostgresUseCaseTables tables(*connection);
  TRY_ASSIGN(auto written, write(tables));
  TRY_STATUS(transaction.commit());
  return written;
}

}  // namespace

std::unique_ptr<UseCaseTables> use_case_tables(Connection& connection) {
  return std::make_unique<PostgresUseCaseTables>(connection);
}

Result<UseCase> PostgresUseCaseStore::get(UseCaseId id) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  PostgresUseCaseTables tables(*connection, PostgresUseCaseTables::Reading::only);
  TRY_ASSIGN(auto found, tables.load(id));
  if (!found) return Error::not_found(fmt::format("Aucune fiche ne porte le numéro {}.", id));
  return std::move(*found);
}

Result<UseCasePage> PostgresUseCaseStore::list(const UseCaseListQuery& query) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  std::vector<Param> params = filter_params(query.filter);
  UseCasePage page;
  {
    TRY_ASSIGN(auto rows, connection->query(kCount, params));
    page.total = rows.empty() ? 0 : rows.integer(0, 0);
  }
  params.resize(13);
  if (query.after.empty()) {
    params[12] = integer(static_cast<std::int64_t>(query.offset));
  } else {
    TRY_ASSIGN(auto cursor, decode_cursor(query.sort, query.after));
    params[9] = text(cursor.key);
    params[10] = integer(cursor.id);
    params[12] = integer(0);
  }
  // One row more than asked tells whether a next page exists.
  params[11] = integer(static_cast<std::int64_t>(query.limit + 1));
  TRY_ASSIGN(auto rows, connection->query(query.sort == UseCaseSort::title ? kListTitle : kListRecent, params));
  std::string last_key;
  for (int row = 0; row < rows.size(); ++row) {
    if (page.items.size() == query.limit) {
      page.next_cursor = encode_cursor(query.sort, last_key, page.items.back().id);
      break;
    }
    TRY_ASSIGN(auto use_case, parse_document(rows.text(row, 0)));
    last_key = rows.text(row, 1);
    page.items.push_back(std::move(use_case));
  }
  return page;
}

Result<UseCase> PostgresUseCaseStore::create(UseCase use_case, const Actor& actor, Timestamps timestamps) {
  return in_transaction(pool_, [&](UseCaseTables& tables) {
    return create_use_case(tables, taxonomies_, clock_, std::move(use_case), actor, timestamps);
  });
}

Result<UseCase> PostgresUseCaseStore::update(UseCase use_case, std::int64_t expected_revision, const Actor& actor) {
  return in_transaction(pool_, [&](UseCaseTables& tables) {
    return update_use_case(tables, taxonomies_, clock_, std::move(use_case), expected_revision, actor);
  });
}

Result<UseCase> PostgresUseCaseStore::archive(UseCaseId id, std::int64_t expected_revision, const Actor& actor) {
  return in_transaction(pool_, [&](UseCaseTables& tables) {
    return archive_use_case(tables, taxonomies_, clock_, id, expected_revision, actor);
  });
}

Result<std::vector<UseCaseId>> PostgresUseCaseStore::import_batch(std::vector<ImportItem> items, const Actor& actor,
                                                                  Timestamps timestamps, ImportMode mode) {
  return in_transaction(pool_, [&](UseCaseTables& tables) {
    return import_use_cases(tables, taxonomies_, clock_, std::move(items), actor, timestamps, mode);
  });
}

Result<std::vector<UseCase>> PostgresUseCaseStore::similar(UseCaseId id, std::size_t limit) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT d.document FROM (SELECT other.use_case_id AS id, count(*) AS shared FROM use_case_terms mine"
      " JOIN use_case_terms other ON other.taxonomy = mine.taxonomy AND other.code = mine.code"
      "   AND other.use_case_id <> mine.use_case_id"
      " WHERE mine.use_case_id = $1::bigint AND mine.taxonomy IN ('domaines', 'techniques')"
      " GROUP BY other.use_case_id ORDER BY shared DESC, other.use_case_id DESC LIMIT $2::bigint * 4) ranked"
      " JOIN use_cases d ON d.id = ranked.id WHERE d.publication_state = 'publiee'"
      " ORDER BY ranked.shared DESC, d.updated_at DESC, d.id DESC LIMIT $2::bigint",
      {integer(id), integer(static_cast<std::int64_t>(limit))}));
  return documents(rows);
}

Result<std::vector<Deployment>> PostgresUseCaseStore::deployments(UseCaseId id, std::size_t limit) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  // Candidates with the rank of their link (0 strongest); the provider's name is matched
  // through the expression index of migration 0003.
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT d.document, min(c.link) AS link FROM ("
      "  SELECT source_id AS id, CASE type WHEN 'reutilise' THEN 0 ELSE 1 END AS link FROM use_case_relations"
      "   WHERE target_id = $1::bigint AND type IN ('reutilise', 'inspire-de')"
      "  UNION ALL"
      "  SELECT target_id, CASE type WHEN 'reutilise' THEN 2 ELSE 3 END FROM use_case_relations"
      "   WHERE source_id = $1::bigint AND type IN ('reutilise', 'inspire-de')"
      "  UNION ALL"
      "  SELECT other.id, 4 FROM use_cases me JOIN use_cases other"
      "    ON lower((other.document::jsonb) -> 'fournisseur' ->> 'nom') = lower((me.document::jsonb) -> 'fournisseur' ->> 'nom')"
      "   WHERE me.id = $1::bigint AND other.id <> me.id AND other.publication_state = 'publiee'"
      "     AND (me.document::jsonb) -> 'fournisseur' ->> 'nom' <> ''"
      "     AND EXISTS (SELECT 1 FROM use_case_terms mine JOIN use_case_terms theirs"
      "                   ON theirs.taxonomy = mine.taxonomy AND theirs.code = mine.code AND theirs.use_case_id = other.id"
      "                  WHERE mine.use_case_id = me.id AND mine.taxonomy = 'domaines')"
      ") c JOIN use_cases d ON d.id = c.id WHERE d.publication_state = 'publiee' AND d.id <> $1::bigint"
      " GROUP BY d.id ORDER BY link, d.updated_at DESC, d.id DESC LIMIT $2::bigint",
      {integer(id), integer(static_cast<std::int64_t>(limit))}));
  std::vector<Deployment> found;
  for (int row = 0; row < rows.size(); ++row) {
    TRY_ASSIGN(auto use_case, parse_document(rows.text(row, 0)));
    found.push_back({std::move(use_case), static_cast<DeploymentLink>(rows.integer(row, 1))});
  }
  return found;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> PostgresUseCaseStore::provider_names(std::string_view prefix,
                                                                                                std::size_t limit) {
  std::vector<std::pair<std::string, std::int64_t>> names;
  if (prefix.empty()) return names;
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT min(name), count(*) FROM (SELECT (document::jsonb) -> 'fournisseur' ->> 'nom' AS name FROM use_cases"
      "  WHERE publication_state = 'publiee') p"
      " WHERE starts_with(lower(name), lower($1))"
      " GROUP BY lower(name) ORDER BY count(*) DESC, 1 LIMIT $2::bigint",
      {text(prefix), integer(static_cast<std::int64_t>(limit))}));
  for (int row = 0; row < rows.size(); ++row) names.emplace_back(rows.text(row, 0), rows.integer(row, 1));
  return names;
}

Result<std::vector<UseCase>> PostgresUseCaseStore::by_owners(const std::vector<std::string>& owners, UseCaseId except,
                                                             std::size_t limit) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT u.document FROM use_cases u WHERE u.publication_state = 'publiee' AND u.id <> $2::bigint"
      " AND u.id IN (SELECT use_case_id FROM use_case_owners"
      "              WHERE organisation_code IN (SELECT jsonb_array_elements_text($1::jsonb)))"
      " ORDER BY u.updated_at DESC, u.id DESC LIMIT $3::bigint",
      {text(json_list(owners)), integer(except), integer(static_cast<std::int64_t>(limit))}));
  return documents(rows);
}

Result<KeyFigures> PostgresUseCaseStore::key_figures() {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT count(*), count(*) FILTER (WHERE status = 'production'), coalesce(max(demo), 0),"
      " (SELECT count(DISTINCT o.organisation_code) FROM use_case_owners o JOIN use_cases p ON p.id = o.use_case_id"
      "  WHERE p.publication_state = 'publiee'),"
      " (SELECT count(DISTINCT t.code) FROM use_case_terms t JOIN use_cases p ON p.id = t.use_case_id"
      "  WHERE t.taxonomy = 'domaines' AND p.publication_state = 'publiee')"
      " FROM use_cases WHERE publication_state = 'publiee'"));
  KeyFigures figures;
  if (!rows.empty()) {
    figures.published = rows.integer(0, 0);
    figures.in_production = rows.integer(0, 1);
    figures.has_demo = rows.integer(0, 2) != 0;
    figures.organisations = rows.integer(0, 3);
    figures.domains = rows.integer(0, 4);
  }
  return figures;
}

Result<std::vector<UseCase>> PostgresUseCaseStore::cards(const std::vector<UseCaseId>& ids) {
  if (ids.empty()) return std::vector<UseCase>{};
  TRY_ASSIGN(auto connection, pool_.acquire());
  // WITH ORDINALITY keeps the order of `ids`.
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT u.id, u.title, d.doc ->> 'resume', u.status, (d.doc -> 'domaines')::text, (d.doc -> 'porteurs')::text,"
      " u.updated_at, u.demo, u.publication_state, u.revision"
      " FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS asked(id, position)"
      " JOIN use_cases u ON u.id = asked.id::bigint CROSS JOIN LATERAL (SELECT u.document::jsonb AS doc) d"
      " ORDER BY asked.position",
      {text(json_list(ids))}));
  std::vector<UseCase> ordered;
  ordered.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) {
    UseCase u;
    u.id = rows.integer(row, 0);
    u.title = rows.text(row, 1);
    u.summary = rows.text(row, 2);
    u.status = rows.text(row, 3);
    u.domains = json_codes(rows.text(row, 4));
    u.owners = json_codes(rows.text(row, 5));
    u.updated_at = rows.text(row, 6);
    u.demo = rows.integer(row, 7) != 0;
    u.publication_state = rows.text(row, 8);
    u.revision = rows.integer(row, 9);
    ordered.push_back(std::move(u));
  }
  return ordered;
}

Status PostgresUseCaseStore::add_views(const std::map<UseCaseId, std::int64_t>& views) {
  if (views.empty()) return {};
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& [id, count] : views) pairs.push_back(nlohmann::json::array({id, count}));
  TRY_ASSIGN(auto connection, pool_.acquire());
  return connection->execute(
      "INSERT INTO use_case_views (use_case_id, views)"
      " SELECT (pair ->> 0)::bigint, (pair ->> 1)::bigint FROM jsonb_array_elements($1::jsonb) AS pair"
      " WHERE (pair ->> 0)::bigint IN (SELECT id FROM use_cases) AND (pair ->> 1)::bigint > 0"
      " ON CONFLICT (use_case_id) DO UPDATE SET views = use_case_views.views + excluded.views",
      {json(pairs)});
}

Result<std::vector<UseCase>> PostgresUseCaseStore::most_viewed(std::size_t limit) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT u.document FROM use_case_views v JOIN use_cases u ON u.id = v.use_case_id"
      " WHERE u.publication_state = 'publiee' ORDER BY v.views DESC, u.updated_at DESC, u.id DESC LIMIT $1::bigint",
      {integer(static_cast<std::int64_t>(limit))}));
  return documents(rows);
}

Result<std::vector<Revision>> PostgresUseCaseStore::revisions(UseCaseId id) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT revision, changed_at, actor FROM use_case_revisions WHERE use_case_id = $1::bigint ORDER BY revision",
      {integer(id)}));
  std::vector<Revision> found;
  for (int row = 0; row < rows.size(); ++row) found.push_back({rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2)});
  return found;
}

Result<std::int64_t> PostgresUseCaseStore::last_change() {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query("SELECT coalesce(max(sequence), 0) FROM changes"));
  return rows.integer(0, 0);
}

Result<std::vector<Change>> PostgresUseCaseStore::changes_after(std::int64_t sequence, std::size_t limit) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT sequence, entity_id::bigint, operation FROM changes WHERE entity = 'fiche' AND sequence > $1::bigint"
      " ORDER BY sequence LIMIT $2::bigint",
      {integer(sequence), integer(static_cast<std::int64_t>(limit))}));
  std::vector<Change> changes;
  for (int row = 0; row < rows.size(); ++row) {
    changes.push_back({rows.integer(row, 0), rows.integer(row, 1), rows.text(row, 2)});
  }
  return changes;
}

}  // namespace vigie::store::postgres
