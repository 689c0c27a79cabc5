#include "territory/referential_loader.h"

#include <ctime>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text.h"
#include "territory/referential_reader.h"
#include "territory/search_rank.h"

namespace vigie::territory {

namespace {

using store::sqlite::Database;
using store::sqlite::Transaction;

std::string rfc3339_utc(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer, length);
}

std::string join_postal_codes(const std::vector<std::string>& postal_codes) {
  std::string joined;
  for (const std::string& postal_code : postal_codes) {
    if (!joined.empty()) joined += ' ';
    joined += postal_code;
  }
  return joined;
}

// What the database already holds of each organisation, to rewrite the postal codes and word
// keys only of those whose values changed.
struct StoredKeys {
  std::string search_key;
  std::string kind;
  std::optional<std::int64_t> population;
  std::string postal_codes;
  bool has_words = false;  // false for organisations loaded before organisation_words existed
};

Result<std::unordered_map<std::string, StoredKeys>> read_stored_keys(Database& db) {
  std::unordered_map<std::string, StoredKeys> stored;
  TRY_ASSIGN(auto statement, db.prepare(
      "SELECT code, search_key, kind, population, postal_codes, "
      "EXISTS (SELECT 1 FROM organisation_words w WHERE w.organisation_code = o.code) FROM organisations o"));
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    stored.emplace(statement.column_text(0),
                   StoredKeys{statement.column_text(1), statement.column_text(2), statement.column_optional_int(3),
                              statement.column_text(4), statement.column_int(5) != 0});
  }
  return stored;
}

// Inserts the organisation, or updates it when a value or the source version differs; the
// WHERE clause keeps an unchanged row (and its updated_at) untouched.
Result<bool> upsert_organisation(Database& db, const domain::Organisation& organisation, std::string_view search_key,
                                 std::string_view postal_codes, std::string_view version, std::string_view now) {
  TRY_ASSIGN(auto statement, db.prepare(R"sql(
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
      .bind(6, search_key)
      .bind(7, organisation.population)
      .bind_text_or_null(8, organisation.department_code)
      .bind_text_or_null(9, organisation.region_code)
      .bind_text_or_null(10, organisation.parent_code)
      .bind_text_or_null(11, organisation.epci_code)
      .bind_text_or_null(12, organisation.epci_kind)
      .bind_text_or_null(13, organisation.zone)
      .bind(14, postal_codes)
      .bind(15, version)
      .bind(16, now);
  TRY_STATUS(statement.run());
  return db.changes() > 0;
}

// Whether the organisation existed before this load; a new one has no postal codes or words
// to remove.
enum class RowBefore { absent, present };

Status replace_postal_codes(Database& db, const domain::Organisation& organisation, RowBefore before_load) {
  if (before_load == RowBefore::present) {
    TRY_ASSIGN(auto remove, db.prepare("DELETE FROM organisation_postal_codes WHERE organisation_code = ?1"));
    TRY_STATUS(remove.bind(1, organisation.code).run());
  }
  for (const std::string& postal_code : organisation.postal_codes) {
    TRY_ASSIGN(auto insert, db.prepare("INSERT OR IGNORE INTO organisation_postal_codes (postal_code, organisation_code) "
                                       "VALUES (?1, ?2)"));
    TRY_STATUS(insert.bind(1, postal_code).bind(2, organisation.code).run());
  }
  return {};
}

// See src/store/migrations/sqlite/0002_organisation_words.sql: one row per word of the key, holding
// the key from that word on, with the organisation's search ranks.
Status replace_words(Database& db, const domain::Organisation& organisation, std::string_view search_key,
                     RowBefore before_load) {
  if (before_load == RowBefore::present) {
    TRY_ASSIGN(auto remove, db.prepare("DELETE FROM organisation_words WHERE organisation_code = ?1"));
    TRY_STATUS(remove.bind(1, organisation.code).run());
  }
  const SearchRank rank = search_rank(organisation.kind, organisation.population);
  for (std::size_t start = 0; start < search_key.size();) {
    TRY_ASSIGN(auto insert, db.prepare("INSERT OR IGNORE INTO organisation_words "
                                       "(word_key, organisation_code, first_word, rank, exact_rank) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5)"));
    TRY_STATUS(insert.bind(1, search_key.substr(start))
                   .bind(2, organisation.code)
                   .bind(3, start == 0 ? 1 : 0)
                   .bind(4, rank.rank)
                   .bind(5, rank.exact_rank)
                   .run());
    const std::size_t space = search_key.find(' ', start);
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return {};
}

Status record_source(Database& db, std::string_view version, std::string_view now) {
  TRY_ASSIGN(auto statement, db.prepare(R"sql(
    INSERT INTO referential_sources (source, version, loaded_at) VALUES (?1, ?2, ?3)
    ON CONFLICT (source) DO UPDATE SET version = excluded.version, loaded_at = excluded.loaded_at
    WHERE version IS NOT excluded.version
  )sql"));
  return statement.bind(1, kReferentialSource).bind(2, version).bind(3, now).run();
}

}  // namespace

Result<LoadReport> load_referential(Database& db, const std::filesystem::path& package_dir,
                                    std::chrono::system_clock::time_point now) {
  const auto started = std::chrono::steady_clock::now();
  // Everything is read and checked before the transaction: a bad file never reaches the database.
  TRY_ASSIGN(Referential referential, read_referential(package_dir));
  const std::string updated_at = rfc3339_utc(now);

  LoadReport report;
  report.version = referential.version;
  TRY_ASSIGN(auto transaction, Transaction::begin(db));
  TRY_ASSIGN(auto stored, read_stored_keys(db));
  for (const domain::Organisation& organisation : referential.organisations) {
    ++report.counts_by_kind[organisation.kind];
    const std::string search_key = text::place_key(organisation.name);
    const std::string postal_codes = join_postal_codes(organisation.postal_codes);
    TRY_ASSIGN(bool written, upsert_organisation(db, organisation, search_key, postal_codes, referential.version, updated_at));
    auto before = stored.find(organisation.code);
    const RowBefore before_load = before == stored.end() ? RowBefore::absent : RowBefore::present;
    if (written) {
      ++report.organisations_written;
      if (before_load == RowBefore::absent || before->second.postal_codes != postal_codes) {
        TRY_STATUS(replace_postal_codes(db, organisation, before_load));
      }
    }
    if (before_load == RowBefore::absent || !before->second.has_words || before->second.search_key != search_key ||
        before->second.kind != organisation.kind || before->second.population != organisation.population) {
      TRY_STATUS(replace_words(db, organisation, search_key, before_load));
    }
  }
  TRY_STATUS(record_source(db, referential.version, updated_at));
  TRY_STATUS(transaction.commit());
  report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return report;
}

}  // namespace vigie::territory
