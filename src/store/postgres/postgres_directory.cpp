#include "store/postgres/postgres_directory.h"

#include <nlohmann/json.hpp>

#include "store/organisation_backend.h"

namespace vigie::store::postgres {

namespace {

using domain::Organisation;

// The columns read_organisation() expects, in its order. Macros so that every query below stays
// one constant string literal. Codes and keys sort with COLLATE "C", byte by byte, as SQLite's
// do, whatever the database's collation.
#define VIGIE_ORGANISATION_COLUMNS                                                                      \
  "code, siren, kind, insee_code, name, population, department_code, region_code, parent_code, " \
  "epci_code, epci_kind, zone, postal_codes"

Organisation read_organisation(const Rows& rows, int row) {
  Organisation organisation;
  organisation.code = rows.text(row, 0);
  organisation.siren = rows.text(row, 1);
  organisation.kind = rows.text(row, 2);
  organisation.insee_code = rows.text(row, 3);
  organisation.name = rows.text(row, 4);
  if (!rows.is_null(row, 5)) organisation.population = rows.integer(row, 5);
  organisation.department_code = rows.text(row, 6);
  organisation.region_code = rows.text(row, 7);
  organisation.parent_code = rows.text(row, 8);
  organisation.epci_code = rows.text(row, 9);
  organisation.epci_kind = rows.text(row, 10);
  organisation.zone = rows.text(row, 11);
  organisation.postal_codes = split_postal_codes(rows.text(row, 12));
  return organisation;
}

std::vector<Organisation> read_all(const Rows& rows) {
  std::vector<Organisation> organisations;
  organisations.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) organisations.push_back(read_organisation(rows, row));
  return organisations;
}

nlohmann::json json_or_null(const std::string& value) { return value.empty() ? nlohmann::json() : nlohmann::json(value); }

class PostgresOrganisationRows final : public OrganisationRows {
 public:
  explicit PostgresOrganisationRows(Connection& connection) : connection_(connection) {}

  Result<std::optional<Organisation>> by_code(std::string_view code) override {
    TRY_ASSIGN(auto rows, connection_.query("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE code = $1",
                                            {text(code)}));
    if (rows.empty()) return std::optional<Organisation>{};
    return std::optional<Organisation>{read_organisation(rows, 0)};
  }

  Result<std::vector<Organisation>> by_siren(const std::string& siren) override {
    TRY_ASSIGN(auto rows, connection_.query("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE siren = $1",
                                            {text(siren)}));
    return read_all(rows);
  }

  Result<std::vector<Organisation>> by_postal_or_insee_code(const std::string& code) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE code IN ("
        "  SELECT organisation_code FROM organisation_postal_codes WHERE postal_code = $1"
        "  UNION SELECT code FROM organisations WHERE insee_code = $1)",
        {text(code)}));
    return read_all(rows);
  }

  Result<std::vector<std::string>> word_matches(const std::string& key, const std::vector<KeyRange>& ranges,
                                                std::size_t fetch) override {
    // See migrations/sqlite/0002_organisation_words.sql; word_key is COLLATE "C", so each range
    // is a range of its primary key's index.
    std::vector<Param> params{text(key)};
    for (std::size_t i = 0; i < 3; ++i) {
      params.push_back(text(ranges.at(i).from));
      params.push_back(text(ranges.at(i).to));
    }
    params.push_back(integer(static_cast<std::int64_t>(fetch)));
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT organisation_code FROM ("
        "  SELECT organisation_code, CASE WHEN first_word = 1 AND word_key = $1 THEN exact_rank ELSE rank END AS sort"
        "    FROM organisation_words WHERE word_key >= $2 AND word_key < $3"
        "  UNION ALL"
        "  SELECT organisation_code, CASE WHEN first_word = 1 AND word_key = $1 THEN exact_rank ELSE rank END"
        "    FROM organisation_words WHERE word_key >= $4 AND word_key < $5"
        "  UNION ALL"
        "  SELECT organisation_code, CASE WHEN first_word = 1 AND word_key = $1 THEN exact_rank ELSE rank END"
        "    FROM organisation_words WHERE word_key >= $6 AND word_key < $7) matches"
        " ORDER BY sort, organisation_code COLLATE \"C\" LIMIT $8::bigint",
        params));
    std::vector<std::string> codes;
    codes.reserve(static_cast<std::size_t>(rows.size()));
    for (int row = 0; row < rows.size(); ++row) codes.push_back(rows.text(row, 0));
    return codes;
  }

  Result<std::vector<NameCandidate>> first_words(const KeyRange& range, std::size_t min_length,
                                                 std::size_t max_length) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT word_key, organisation_code, rank FROM organisation_words"
        " WHERE first_word = 1 AND word_key >= $1 AND word_key < $2 AND length(word_key) BETWEEN $3::bigint AND $4::bigint",
        {text(range.from), text(range.to), integer(static_cast<std::int64_t>(min_length)),
         integer(static_cast<std::int64_t>(max_length))}));
    std::vector<NameCandidate> candidates;
    candidates.reserve(static_cast<std::size_t>(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
      candidates.push_back({rows.text(row, 0), rows.text(row, 1), rows.integer(row, 2)});
    }
    return candidates;
  }

  Result<std::vector<Organisation>> epci_communes(const std::string& epci_code) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE epci_code = $1 AND kind = 'commune'"
        " ORDER BY search_key COLLATE \"C\", name COLLATE \"C\", code COLLATE \"C\"",
        {text(epci_code)}));
    return read_all(rows);
  }

  Result<std::vector<Organisation>> attached_to(const std::string& code) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE parent_code = $1"
        " ORDER BY insee_code COLLATE \"C\", search_key COLLATE \"C\", code COLLATE \"C\"",
        {text(code)}));
    return read_all(rows);
  }

  Result<std::map<std::string, std::int64_t>> count_by_kind() override {
    TRY_ASSIGN(auto rows, connection_.query("SELECT kind, count(*) FROM organisations GROUP BY kind"));
    std::map<std::string, std::int64_t> counts;
    for (int row = 0; row < rows.size(); ++row) counts.emplace(rows.text(row, 0), rows.integer(row, 1));
    return counts;
  }

  Result<std::vector<OrganisationPeer>> with_published_fiches(const std::string& kind,
                                                              const std::string& excluded_code) override {
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT " VIGIE_ORGANISATION_COLUMNS ", counts.fiches FROM organisations"
        " JOIN (SELECT w.organisation_code AS owner, count(*) AS fiches FROM use_case_owners w"
        "       JOIN use_cases u ON u.id = w.use_case_id WHERE u.publication_state = 'publiee'"
        "       GROUP BY w.organisation_code) counts ON counts.owner = organisations.code"
        " WHERE kind = $1 AND code <> $2",
        {text(kind), text(excluded_code)}));
    std::vector<OrganisationPeer> peers;
    for (int row = 0; row < rows.size(); ++row) peers.push_back({read_organisation(rows, row), rows.integer(row, 13)});
    return peers;
  }

 private:
  Connection& connection_;
};

// Each batch in a few statements whatever its size: the rows go as one JSON array parameter.
class PostgresReferentialTables final : public ReferentialTables {
 public:
  explicit PostgresReferentialTables(Connection& connection) : connection_(connection) {}

  Result<std::unordered_map<std::string, StoredOrganisationKeys>> stored_keys() override {
    TRY_ASSIGN(auto rows, connection_.query(
        "SELECT code, search_key, kind, population, postal_codes,"
        " CASE WHEN EXISTS (SELECT 1 FROM organisation_words w WHERE w.organisation_code = o.code) THEN 1 ELSE 0 END"
        " FROM organisations o"));
    std::unordered_map<std::string, StoredOrganisationKeys> stored;
    for (int row = 0; row < rows.size(); ++row) {
      StoredOrganisationKeys keys{rows.text(row, 1), rows.text(row, 2), std::nullopt, rows.text(row, 4),
                                  rows.integer(row, 5) != 0};
      if (!rows.is_null(row, 3)) keys.population = rows.integer(row, 3);
      stored.emplace(rows.text(row, 0), std::move(keys));
    }
    return stored;
  }

  Result<std::unordered_set<std::string>> upsert(const std::vector<OrganisationRow>& rows, std::string_view version,
                                                 std::string_view now) override {
    nlohmann::json batch = nlohmann::json::array();
    for (const OrganisationRow& row : rows) {
      const Organisation& o = *row.organisation;
      batch.push_back({{"code", o.code},
                       {"siren", json_or_null(o.siren)},
                       {"kind", o.kind},
                       {"insee_code", json_or_null(o.insee_code)},
                       {"name", o.name},
                       {"search_key", row.search_key},
                       {"population", o.population ? nlohmann::json(*o.population) : nlohmann::json()},
                       {"department_code", json_or_null(o.department_code)},
                       {"region_code", json_or_null(o.region_code)},
                       {"parent_code", json_or_null(o.parent_code)},
                       {"epci_code", json_or_null(o.epci_code)},
                       {"epci_kind", json_or_null(o.epci_kind)},
                       {"zone", json_or_null(o.zone)},
                       {"postal_codes", row.postal_codes}});
    }
    // The WHERE clause keeps an unchanged row (and its updated_at) untouched; RETURNING names
    // the rows inserted or updated.
    TRY_ASSIGN(auto written_rows, connection_.query(R"sql(
      INSERT INTO organisations (code, siren, kind, insee_code, name, search_key, population, department_code,
                                 region_code, parent_code, epci_code, epci_kind, zone, postal_codes,
                                 source_version, updated_at)
      SELECT r.code, r.siren, r.kind, r.insee_code, r.name, r.search_key, r.population, r.department_code,
             r.region_code, r.parent_code, r.epci_code, r.epci_kind, r.zone, r.postal_codes, $2, $3
        FROM jsonb_to_recordset($1::jsonb) AS r(code text, siren text, kind text, insee_code text, name text,
             search_key text, population bigint, department_code text, region_code text, parent_code text,
             epci_code text, epci_kind text, zone text, postal_codes text)
      ON CONFLICT (code) DO UPDATE SET
        siren = excluded.siren, kind = excluded.kind, insee_code = excluded.insee_code, name = excluded.name,
        search_key = excluded.search_key, population = excluded.population,
        department_code = excluded.department_code, region_code = excluded.region_code,
        parent_code = excluded.parent_code, epci_code = excluded.epci_code, epci_kind = excluded.epci_kind,
        zone = excluded.zone, postal_codes = excluded.postal_codes, source_version = excluded.source_version,
        updated_at = excluded.updated_at
      WHERE (organisations.siren, organisations.kind, organisations.insee_code, organisations.name,
             organisations.search_key, organisations.population, organisations.department_code,
             organisations.region_code, organisations.parent_code, organisations.epci_code,
             organisations.epci_kind, organisations.zone, organisations.postal_codes, organisations.source_version)
            IS DISTINCT FROM
            (excluded.siren, excluded.kind, excluded.insee_code, excluded.name, excluded.search_key,
             excluded.population, excluded.department_code, excluded.region_code, excluded.parent_code,
             excluded.epci_code, excluded.epci_kind, excluded.zone, excluded.postal_codes, excluded.source_version)
      RETURNING code
    )sql", {json(batch), text(version), text(now)}));
    std::unordered_set<std::string> written;
    for (int row = 0; row < written_rows.size(); ++row) written.insert(written_rows.text(row, 0));
    return written;
  }

  Status replace_postal_codes(const std::vector<const OrganisationRow*>& rows) override {
    nlohmann::json replaced = nlohmann::json::array();
    nlohmann::json pairs = nlohmann::json::array();
    for (const OrganisationRow* row : rows) {
      if (row->stored_before) replaced.push_back(row->organisation->code);
      for (const std::string& postal_code : row->organisation->postal_codes) {
        pairs.push_back(nlohmann::json::array({postal_code, row->organisation->code}));
      }
    }
    if (!replaced.empty()) {
      TRY_STATUS(connection_.execute(
          "DELETE FROM organisation_postal_codes WHERE organisation_code IN (SELECT jsonb_array_elements_text($1::jsonb))",
          {json(replaced)}));
    }
    if (pairs.empty()) return {};
    return connection_.execute(
        "INSERT INTO organisation_postal_codes (postal_code, organisation_code)"
        " SELECT pair ->> 0, pair ->> 1 FROM jsonb_array_elements($1::jsonb) AS pair ON CONFLICT DO NOTHING",
        {json(pairs)});
  }

  Status replace_words(const std::vector<const OrganisationRow*>& rows) override {
    nlohmann::json replaced = nlohmann::json::array();
    nlohmann::json words = nlohmann::json::array();
    for (const OrganisationRow* row : rows) {
      if (row->stored_before) replaced.push_back(row->organisation->code);
      for (const WordKey& word : word_keys(row->search_key)) {
        words.push_back(nlohmann::json::array(
            {word.key, row->organisation->code, word.first_word ? 1 : 0, row->rank.rank, row->rank.exact_rank}));
      }
    }
    if (!replaced.empty()) {
      TRY_STATUS(connection_.execute(
          "DELETE FROM organisation_words WHERE organisation_code IN (SELECT jsonb_array_elements_text($1::jsonb))",
          {json(replaced)}));
    }
    if (words.empty()) return {};
    return connection_.execute(
        "INSERT INTO organisation_words (word_key, organisation_code, first_word, rank, exact_rank)"
        " SELECT word ->> 0, word ->> 1, (word ->> 2)::integer, (word ->> 3)::bigint, (word ->> 4)::bigint"
        " FROM jsonb_array_elements($1::jsonb) AS word ON CONFLICT DO NOTHING",
        {json(words)});
  }

  Status record_source(std::string_view source, std::string_view version, std::string_view now) override {
    return connection_.execute(
        "INSERT INTO referential_sources (source, version, loaded_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (source) DO UPDATE SET version = excluded.version, loaded_at = excluded.loaded_at"
        " WHERE referential_sources.version IS DISTINCT FROM excluded.version",
        {text(source), text(version), text(now)});
  }

 private:
  Connection& connection_;
};

#undef VIGIE_ORGANISATION_COLUMNS

// Runs `read` on the rows of a borrowed connection; the pool's error (unavailable) when no
// connection can be had.
template <typename Read>
auto on_rows(ConnectionPool& pool, Read&& read) -> decltype(read(std::declval<OrganisationRows&>())) {
  auto connection = pool.acquire();
  if (!connection.ok()) return connection.error();
  PostgresOrganisationRows rows(**connection);
  return read(rows);
}

}  // namespace

Result<Organisation> PostgresDirectory::find(std::string_view code) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return find_organisation(rows, code); });
}

Result<std::vector<Organisation>> PostgresDirectory::search(std::string_view query, std::size_t limit) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return search_organisations(rows, query, limit); });
}

Result<std::vector<Organisation>> PostgresDirectory::closest_names(std::string_view query, std::size_t limit) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return closest_organisation_names(rows, query, limit); });
}

Result<std::vector<Organisation>> PostgresDirectory::parents(const Organisation& organisation) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return organisation_parents(rows, organisation); });
}

Result<std::vector<Organisation>> PostgresDirectory::members(const Organisation& organisation) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return organisation_members(rows, organisation); });
}

Result<std::map<std::string, std::int64_t>> PostgresDirectory::count_by_kind() {
  return on_rows(pool_, [&](OrganisationRows& rows) { return rows.count_by_kind(); });
}

Result<std::vector<OrganisationPeer>> PostgresDirectory::peers_with_fiches(const Organisation& organisation,
                                                                           std::size_t limit) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return organisation_peers(rows, organisation, limit); });
}

Result<std::int64_t> PostgresDirectory::write_referential(std::string_view source, std::string_view version,
                                                          const std::vector<Organisation>& organisations,
                                                          std::string_view now) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*connection));
  PostgresReferentialTables tables(*connection);
  TRY_ASSIGN(const std::int64_t written, store::write_referential(tables, source, version, organisations, now));
  TRY_STATUS(transaction.commit());
  return written;
}

}  // namespace vigie::store::postgres
