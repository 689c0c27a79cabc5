#include "store/sqlite/sqlite_directory.h"

#include "store/organisation_backend.h"

namespace vigie::store::sqlite {

namespace {

using domain::Organisation;

// The columns read_organisation() expects, in its order. Macros so that every query below stays
// one constant string literal.
#define VIGIE_ORGANISATION_COLUMNS                                                                      \
  "code, siren, kind, insee_code, name, population, department_code, region_code, parent_code, " \
  "epci_code, epci_kind, zone, postal_codes"

Organisation read_organisation(const Statement& row) {
  Organisation organisation;
  organisation.code = row.column_text(0);
  organisation.siren = row.column_text(1);
  organisation.kind = row.column_text(2);
  organisation.insee_code = row.column_text(3);
  organisation.name = row.column_text(4);
  organisation.population = row.column_optional_int(5);
  organisation.department_code = row.column_text(6);
  organisation.region_code = row.column_text(7);
  organisation.parent_code = row.column_text(8);
  organisation.epci_code = row.column_text(9);
  organisation.epci_kind = row.column_text(10);
  organisation.zone = row.column_text(11);
  organisation.postal_codes = split_postal_codes(row.column_text(12));
  return organisation;
}

Result<std::vector<Organisation>> read_all(Statement& statement) {
  std::vector<Organisation> organisations;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    organisations.push_back(read_organisation(statement));
  }
  return organisations;
}

class SqliteOrganisationRows final : public OrganisationRows {
 public:
  explicit SqliteOrganisationRows(Database& db) : db_(db) {}

  Result<std::optional<Organisation>> by_code(std::string_view code) override {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE code = ?1"));
    statement.bind(1, code);
    TRY_ASSIGN(bool found, statement.step());
    if (!found) return std::optional<Organisation>{};
    return std::optional<Organisation>{read_organisation(statement)};
  }

  Result<std::vector<Organisation>> by_siren(const std::string& siren) override {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE siren = ?1"));
    statement.bind(1, siren);
    return read_all(statement);
  }

  Result<std::vector<Organisation>> by_postal_or_insee_code(const std::string& code) override {
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE code IN ("
        "  SELECT organisation_code FROM organisation_postal_codes WHERE postal_code = ?1"
        "  UNION SELECT code FROM organisations WHERE insee_code = ?1)"));
    statement.bind(1, code);
    return read_all(statement);
  }

  Result<std::vector<std::string>> word_matches(const std::string& key, const std::vector<KeyRange>& ranges,
                                                std::size_t fetch) override {
    // Candidates and their order come from organisation_words alone (see
    // migrations/sqlite/0002_organisation_words.sql): one range per prefix.
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT organisation_code FROM ("
        "  SELECT organisation_code, CASE WHEN first_word AND word_key = ?1 THEN exact_rank ELSE rank END AS sort"
        "    FROM organisation_words WHERE word_key >= ?2 AND word_key < ?3"
        "  UNION ALL"
        "  SELECT organisation_code, CASE WHEN first_word AND word_key = ?1 THEN exact_rank ELSE rank END"
        "    FROM organisation_words WHERE word_key >= ?4 AND word_key < ?5"
        "  UNION ALL"
        "  SELECT organisation_code, CASE WHEN first_word AND word_key = ?1 THEN exact_rank ELSE rank END"
        "    FROM organisation_words WHERE word_key >= ?6 AND word_key < ?7)"
        " ORDER BY sort, organisation_code LIMIT ?8"));
    statement.bind(1, key);
    for (std::size_t i = 0; i < 3; ++i) {
      const int parameter = static_cast<int>(2 + 2 * i);
      statement.bind(parameter, ranges.at(i).from).bind(parameter + 1, ranges.at(i).to);
    }
    statement.bind(8, static_cast<std::int64_t>(fetch));
    std::vector<std::string> codes;
    while (true) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      codes.push_back(statement.column_text(0));
    }
    return codes;
  }

  Result<std::vector<NameCandidate>> first_words(const KeyRange& range, std::size_t min_length,
                                                 std::size_t max_length) override {
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT word_key, organisation_code, rank FROM organisation_words"
        " WHERE first_word = 1 AND word_key >= ?1 AND word_key < ?2 AND length(word_key) BETWEEN ?3 AND ?4"));
    statement.bind(1, range.from).bind(2, range.to);
    statement.bind(3, static_cast<std::int64_t>(min_length)).bind(4, static_cast<std::int64_t>(max_length));
    std::vector<NameCandidate> candidates;
    while (true) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      candidates.push_back({statement.column_text(0), statement.column_text(1), statement.column_int(2)});
    }
    return candidates;
  }

  Result<std::vector<Organisation>> epci_communes(const std::string& epci_code) override {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations "
                                           "WHERE epci_code = ?1 AND kind = 'commune' ORDER BY search_key, name, code"));
    statement.bind(1, epci_code);
    return read_all(statement);
  }

  Result<std::vector<Organisation>> attached_to(const std::string& code) override {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations "
                                           "WHERE parent_code = ?1 ORDER BY insee_code, search_key, code"));
    statement.bind(1, code);
    return read_all(statement);
  }

  Result<std::map<std::string, std::int64_t>> count_by_kind() override {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT kind, count(*) FROM organisations GROUP BY kind"));
    std::map<std::string, std::int64_t> counts;
    while (true) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      counts.emplace(statement.column_text(0), statement.column_int(1));
    }
    return counts;
  }

  Result<std::vector<OrganisationPeer>> with_published_fiches(const std::string& kind,
                                                              const std::string& excluded_code) override {
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT " VIGIE_ORGANISATION_COLUMNS ", counts.fiches FROM organisations"
        " JOIN (SELECT w.organisation_code AS owner, count(*) AS fiches FROM use_case_owners w"
        "       JOIN use_cases u ON u.id = w.use_case_id WHERE u.publication_state = 'publiee'"
        "       GROUP BY w.organisation_code) counts ON counts.owner = organisations.code"
        " WHERE kind = ?1 AND code <> ?2"));
    statement.bind(1, kind).bind(2, excluded_code);
    std::vector<OrganisationPeer> peers;
    while (true) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      peers.push_back({read_organisation(statement), statement.column_int(13)});
    }
    return peers;
  }

 private:
  Database& db_;
};

class SqliteReferentialTables final : public ReferentialTables {
 public:
  explicit SqliteReferentialTables(Database& db) : db_(db) {}

  Result<std::unordered_map<std::string, StoredOrganisationKeys>> stored_keys() override {
    std::unordered_map<std::string, StoredOrganisationKeys> stored;
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT code, search_key, kind, population, postal_codes, "
        "EXISTS (SELECT 1 FROM organisation_words w WHERE w.organisation_code = o.code) FROM organisations o"));
    while (true) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      stored.emplace(statement.column_text(0),
                     StoredOrganisationKeys{statement.column_text(1), statement.column_text(2),
                                            statement.column_optional_int(3), statement.column_text(4),
                                            statement.column_int(5) != 0});
    }
    return stored;
  }

  Result<std::unordered_set<std::string>> upsert(const std::vector<OrganisationRow>& rows, std::string_view version,
                                                 std::string_view now) override {
    std::unordered_set<std::string> written;
    for (const OrganisationRow& row : rows) {
      const Organisation& organisation = *row.organisation;
      // The WHERE clause keeps an unchanged row (and its updated_at) untouched.
      TRY_ASSIGN(auto statement, db_.prepare(R"sql(
        INSERT INTO organisations (code, siren, kind, insee_code, name, search_key, population, department_code,
                                   region_code, parent_code, epci_code, epci_kind, zone, postal_codes,
                                   source_version, updated_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
        ON CONFLICT (code) DO UPDATE SET
          siren = excluded.siren, kind = excluded.kind, insee_code = excluded.insee_code, name = excluded.name,
          search_key = excluded.search_key, population = excluded.population,
          department_code = excluded.department_code, region_code = excluded.region_code,
          parent_code = excluded.parent_code, epci_code = excluded.epci_code, epci_kind = excluded.epci_kind,
          zone = excluded.zone, postal_codes = excluded.postal_codes, source_version = excluded.source_version,
          updated_at = excluded.updated_at
        WHERE (siren, kind, insee_code, name, search_key, population, department_code, region_code, parent_code,
               epci_code, epci_kind, zone, postal_codes, source_version)
              IS NOT
              (excluded.siren, excluded.kind, excluded.insee_code, excluded.name, excluded.search_key,
               excluded.population, excluded.department_code, excluded.region_code, excluded.parent_code,
               excluded.epci_code, excluded.epci_kind, excluded.zone, excluded.postal_codes, excluded.source_version)
      )sql"));
      statement.bind(1, organisation.code)
          .bind_text_or_null(2, organisation.siren)
          .bind(3, organisation.kind)
          .bind_text_or_null(4, organisation.insee_code)
          .bind(5, organisation.name)
          .bind(6, row.search_key)
          .bind(7, organisation.population)
          .bind_text_or_null(8, organisation.department_code)
          .bind_text_or_null(9, organisation.region_code)
          .bind_text_or_null(10, organisation.parent_code)
          .bind_text_or_null(11, organisation.epci_code)
          .bind_text_or_null(12, organisation.epci_kind)
          .bind_text_or_null(13, organisation.zone)
          .bind(14, row.postal_codes)
          .bind(15, version)
          .bind(16, now);
      TRY_STATUS(statement.run());
      if (db_.changes() > 0) written.insert(organisation.code);
    }
    return written;
  }

  Status replace_postal_codes(const std::vector<const OrganisationRow*>& rows) override {
    for (const OrganisationRow* row : rows) {
      const Organisation& organisation = *row->organisation;
      if (row->stored_before) {
        TRY_ASSIGN(auto remove, db_.prepare("DELETE FROM organisation_postal_codes WHERE organisation_code = ?1"));
        TRY_STATUS(remove.bind(1, organisation.code).run());
      }
      for (const std::string& postal_code : organisation.postal_codes) {
        TRY_ASSIGN(auto insert, db_.prepare("INSERT OR IGNORE INTO organisation_postal_codes (postal_code, organisation_code) "
                                            "VALUES (?1, ?2)"));
        TRY_STATUS(insert.bind(1, postal_code).bind(2, organisation.code).run());
      }
    }
    return {};
  }

  Status replace_words(const std::vector<const OrganisationRow*>& rows) override {
    for (const OrganisationRow* row : rows) {
      if (row->stored_before) {
        TRY_ASSIGN(auto remove, db_.prepare("DELETE FROM organisation_words WHERE organisation_code = ?1"));
        TRY_STATUS(remove.bind(1, row->organisation->code).run());
      }
      for (const WordKey& word : word_keys(row->search_key)) {
        TRY_ASSIGN(auto insert, db_.prepare("INSERT OR IGNORE INTO organisation_words "
                                            "(word_key, organisation_code, first_word, rank, exact_rank) "
                                            "VALUES (?1, ?2, ?3, ?4, ?5)"));
        TRY_STATUS(insert.bind(1, word.key)
                       .bind(2, row->organisation->code)
                       .bind(3, word.first_word ? 1 : 0)
                       .bind(4, row->rank.rank)
                       .bind(5, row->rank.exact_rank)
                       .run());
      }
    }
    return {};
  }

  Status record_source(std::string_view source, std::string_view version, std::string_view now) override {
    TRY_ASSIGN(auto statement, db_.prepare(R"sql(
      INSERT INTO referential_sources (source, version, loaded_at) VALUES (?1, ?2, ?3)
      ON CONFLICT (source) DO UPDATE SET version = excluded.version, loaded_at = excluded.loaded_at
      WHERE version IS NOT excluded.version
    )sql"));
    return statement.bind(1, source).bind(2, version).bind(3, now).run();
  }

 private:
  Database& db_;
};

#undef VIGIE_ORGANISATION_COLUMNS

// Runs `read` on the rows of a borrowed connection; the pool's error (unavailable) when no
// connection can be had.
template <typename Read>
auto on_rows(ConnectionPool& pool, Read&& read) -> decltype(read(std::declval<OrganisationRows&>())) {
  auto db = pool.acquire();
  if (!db.ok()) return db.error();
  SqliteOrganisationRows rows(**db);
  return read(rows);
}

}  // namespace

Result<Organisation> SqliteDirectory::find(std::string_view code) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return find_organisation(rows, code); });
}

Result<std::vector<Organisation>> SqliteDirectory::search(std::string_view query, std::size_t limit) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return search_organisations(rows, query, limit); });
}

Result<std::vector<Organisation>> SqliteDirectory::closest_names(std::string_view query, std::size_t limit) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return closest_organisation_names(rows, query, limit); });
}

Result<std::vector<Organisation>> SqliteDirectory::parents(const Organisation& organisation) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return organisation_parents(rows, organisation); });
}

Result<std::vector<Organisation>> SqliteDirectory::members(const Organisation& organisation) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return organisation_members(rows, organisation); });
}

Result<std::map<std::string, std::int64_t>> SqliteDirectory::count_by_kind() {
  return on_rows(pool_, [&](OrganisationRows& rows) { return rows.count_by_kind(); });
}

Result<std::vector<OrganisationPeer>> SqliteDirectory::peers_with_fiches(const Organisation& organisation, std::size_t limit) {
  return on_rows(pool_, [&](OrganisationRows& rows) { return organisation_peers(rows, organisation, limit); });
}

Result<std::int64_t> SqliteDirectory::write_referential(std::string_view source, std::string_view version,
                                                        const std::vector<Organisation>& organisations,
                                                        std::string_view now) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  SqliteReferentialTables tables(*db);
  TRY_ASSIGN(const std::int64_t written, store::write_referential(tables, source, version, organisations, now));
  TRY_STATUS(transaction.commit());
  return written;
}

}  // namespace vigie::store::sqlite
