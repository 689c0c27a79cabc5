// vigie_search_compare: Vigie's search beside the two engines a peer would use instead, SQLite
// FTS5 and PostgreSQL full-text search, on the same fiches and the same queries, in one run
// (issue 3). Each engine answers what the library page needs: the top 20 by relevance and the
// counts of every facet over the whole match.
//
//   vigie_search_compare DATA_DIR DEMO_DIR QUERIES_FILE JUDGED_FILE [POSTGRES_CONNINFO]
//                        [--relaxed-queries=FILE] [--engines=vigie,sqlite_fts5,postgresql] [--benchmark_…]
//
// DATA_DIR and DEMO_DIR are Vigie data directories whose search index is built (`vigie index`):
// the large corpus, timed with QUERIES_FILE (one query a line), and the demonstration library,
// on which JUDGED_FILE (tests/search/judged_queries.json) gives each engine's relevance. The
// peers' databases are built here, from the same store, with the same facet values (read from
// Vigie's index) and the same field weights (title 3, summary 2, the rest 1). Without a
// connection string, or in a build without libpq, PostgreSQL is left out; --engines leaves out
// the peers not named (building them takes most of the run).
//
// Vigie's index is opened as the server opens it: the vocabulary of data/vocabulaire and the
// French lexicon (Hunspell, /usr/share/hunspell), which the spelling corrections need.
// --relaxed-queries times Vigie alone on a second list (issue 8, bench/queries-relaxed.txt):
// queries that the strict search (every word required) answers with fewer than 3 fiches, so
// that it goes on to a spelling correction and the closest fiches. For both lists, the run
// reports how each query was answered (search::MatchKind) and the latency of each kind.
//
// Per-query latencies are recorded (Google Benchmark with manual timing, one iteration per
// query) and reported as p50 / p99 counters, then as summary tables.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#ifdef VIGIE_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#include "core/clock.h"
#include "core/file.h"
#include "domain/taxonomy.h"
#include "search/analysis.h"
#include "search/french_lexicon.h"
#include "search/search_index.h"
#include "search/vocabulary.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/database.h"
#include "store/sqlite/sqlite_use_case_store.h"
#include "store/sqlite/sqlite_directory.h"

namespace vigie::bench {
namespace {

namespace tx = domain::taxonomy;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message) { throw std::runtime_error(message); }

template <typename T>
T must(Result<T> result) {
  if (!result.ok()) die(result.error().message);
  return std::move(result).value();
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A fiche as the peers index it: three weighted texts and its facet values.
struct Fiche {
  std::int64_t id = 0;
  std::string title, summary, body;
  std::vector<std::pair<std::string, std::string>> facets;  // (facet parameter, value)
};

// Vigie's facet prefixes and the library's parameter names (search_index.cpp, kFacets).
const std::vector<std::pair<std::string, std::string>>& facet_prefixes() {
  namespace p = search::prefix;
  static const std::vector<std::pair<std::string, std::string>> prefixes = {
      {p::kDomain, "domaine"},   {p::kTechnique, "technique"}, {p::kPurpose, "finalite"},    {p::kStatus, "statut"},
      {p::kOrganisationKind, "type"}, {p::kSizeBand, "taille"}, {p::kRegion, "region"},     {p::kDepartment, "departement"},
      {p::kAiAct, "categorie-ai-act"}, {p::kProvider, "fournisseur"}, {p::kOpenSource, "libre"}};
  return prefixes;
}

// Every published fiche of `data_dir`, a page at a time: texts from the store and the
// referential, facet values from Vigie's index, so that every engine counts the same facets.
void for_each_fiche(const std::filesystem::path& data_dir, const domain::Taxonomies& taxonomies,
                    const std::function<void(const Fiche&)>& visit) {
  auto pool = must(store::sqlite::ConnectionPool::open((data_dir / "vigie.db").string()));
  SystemClock clock;
  store::sqlite::SqliteUseCaseStore store(*pool, taxonomies, clock);
  store::sqlite::SqliteDirectory directory(*pool);
  std::unordered_map<std::string, std::string> owner_names;
  Xapian::Database index((data_dir / "index").string());
  store::UseCaseListQuery query;
  query.limit = 1000;
  while (true) {
    auto page = must(store.list(query));
    for (const auto& u : page.items) {
      Fiche fiche;
      fiche.id = u.id;
      fiche.title = u.title;
      fiche.summary = u.summary;
      std::string& body = fiche.body;
      auto add = [&body](std::string_view text) {
        if (text.empty()) return;
        if (!body.empty()) body += '\n';
        body += text;
      };
      add(u.description);
      for (const auto& code : u.owners) {
        auto [found, inserted] = owner_names.try_emplace(code);
        if (inserted) {
          auto owner = directory.find(code);
          if (owner.ok()) found->second = owner->name;
        }
        add(found->second);
      }
      for (const auto& partner : u.partners) add(partner);
      add(u.provider.name);
      for (const auto& code : u.domains) add(taxonomies.get(tx::kDomains).label(code));
      for (const auto& code : u.techniques) add(taxonomies.get(tx::kTechniques).label(code));
      add(u.lessons_learned);
      add(u.results.evaluation_summary);
      std::string id_term = search::prefix::kId;
      id_term += std::to_string(u.id);
      auto posting = index.postlist_begin(id_term);
      if (posting == index.postlist_end(id_term)) continue;  // not published
      const Xapian::Document document = index.get_document(*posting);
      for (auto it = document.termlist_begin(); it != document.termlist_end(); ++it) {
        const std::string& name = *it;
        for (const auto& [term_prefix, param] : facet_prefixes()) {
          if (name.size() > term_prefix.size() && name.compare(0, term_prefix.size(), term_prefix) == 0 &&
              std::isupper(static_cast<unsigned char>(name[term_prefix.size()])) == 0) {
            fiche.facets.emplace_back(param, name.substr(term_prefix.size()));
          }
        }
      }
      visit(fiche);
    }
    if (page.next_cursor.empty() || page.items.empty()) break;
    query.after = page.next_cursor;
  }
}

struct Outcome {
  std::vector<std::int64_t> ids;  // the top, best first
  std::int64_t total = 0;         // fiches matched
  std::size_t facet_values = 0;   // facet values counted
  // Vigie only: how the results answer the words, and how many fiches hold every word.
  std::optional<search::MatchKind> match;
  std::int64_t all_words_total = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Top `limit` and the counts of every facet over the whole match.
  virtual Outcome search(const std::string& text, std::size_t limit) = 0;
};

// --- Vigie -------------------------------------------------------------------------------

class VigieEngine final : public Engine {
 public:
  // As the server opens it (app/commands.cpp): the vocabulary and the French lexicon.
  VigieEngine(const std::filesystem::path& data_dir, const std::filesystem::path& resources, const domain::Taxonomies& taxonomies,
              const search::FrenchLexicon& lexicon)
      : index_(must(search::SearchIndex::open(data_dir / "index", must(search::Vocabulary::load(resources / "data" / "vocabulaire")),
                                              taxonomies, &lexicon))) {}
  // The library page's call (pages/library_page.cpp): relevance, 20 a page, every facet.
  Outcome search(const std::string& text, std::size_t limit) override {
    search::SearchRequest request;
    request.text = text;
    request.limit = limit;
    request.percentages = false;  // the page shows none
    const auto results = must(index_->search(request));
    Outcome outcome;
    for (const auto& hit : results.hits) outcome.ids.push_back(hit.id);
    outcome.total = results.total;
    for (const auto& [param, counts] : results.facets) outcome.facet_values += counts.size();
    outcome.match = results.match;
    outcome.all_words_total = results.all_words_total;
    return outcome;
  }

 private:
  std::unique_ptr<search::SearchIndex> index_;
};

// --- SQLite FTS5 --------------------------------------------------------------------------

// The user's words as an FTS5 query: each word quoted (FTS5's tokenizer then splits elisions
// as it did the text), "phrases" kept, -words excluded; all other words required.
std::string fts5_query(const std::string& text) {
  std::vector<std::string> required, excluded;
  std::size_t i = 0;
  auto quoted = [](std::string_view words) {
    std::string out = "\"";
    for (const char c : words) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    const bool minus = text[i] == '-';
    if (minus) ++i;
    std::size_t end;
    std::string words;
    if (i < text.size() && text[i] == '"' && text.find('"', i + 1) != std::string::npos) {
      end = text.find('"', i + 1);
      words = text.substr(i + 1, end - i - 1);
      ++end;
    } else {
      end = std::min(text.find(' ', i), text.size());
      words = text.substr(i, end - i);
      words.erase(std::remove(words.begin(), words.end(), '"'), words.end());
    }
    i = end;
    if (words.find_first_not_of(" -*") == std::string::npos) continue;
    (minus ? excluded : required).push_back(quoted(words));
  }
  std::string query;
  for (const auto& word : required) query += (query.empty() ? "" : " ") + word;
  if (query.empty()) return query;
  for (const auto& word : excluded) query += " NOT " + word;
  return query;
}

class Fts5Engine final : public Engine {
 public:
  explicit Fts5Engine(const std::filesystem::path& file) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix, ignored);
    db_ = must(store::sqlite::Database::open(file.string()));
    check(db_->execute(
        "CREATE VIRTUAL TABLE fiches USING fts5(title, summary, body, tokenize = 'unicode61 remove_diacritics 2');"
        "CREATE TABLE fiche_facets (fiche_id INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,"
        " PRIMARY KEY (fiche_id, facet, value)) WITHOUT ROWID;"
        "BEGIN"));
  }
  void add(const Fiche& fiche) {
    auto insert = must(db_->prepare("INSERT INTO fiches (rowid, title, summary, body) VALUES (?1, ?2, ?3, ?4)"));
    insert.bind(1, fiche.id).bind(2, fiche.title).bind(3, fiche.summary).bind(4, fiche.body);
    check(insert.run());
    for (const auto& [facet, value] : fiche.facets) {
      auto statement = must(db_->prepare("INSERT OR IGNORE INTO fiche_facets (fiche_id, facet, value) VALUES (?1, ?2, ?3)"));
      statement.bind(1, fiche.id).bind(2, facet).bind(3, value);
      check(statement.run());
    }
  }
  void finish() {
    check(db_->execute("COMMIT; INSERT INTO fiches (fiches) VALUES ('optimize'); ANALYZE"));
  }
  Outcome search(const std::string& text, std::size_t limit) override {
    Outcome outcome;
    const std::string match = fts5_query(text);
    if (match.empty()) return outcome;
    {
      auto top = must(db_->prepare("SELECT rowid FROM fiches WHERE fiches MATCH ?1 ORDER BY bm25(fiches, 3.0, 2.0, 1.0) LIMIT ?2"));
      top.bind(1, match).bind(2, static_cast<std::int64_t>(limit));
      while (must(top.step())) outcome.ids.push_back(top.column_int(0));
    }
    auto facets = must(db_->prepare(
        "SELECT f.facet, f.value, count(*) FROM fiches JOIN fiche_facets f ON f.fiche_id = fiches.rowid"
        " WHERE fiches MATCH ?1 GROUP BY f.facet, f.value"));
    facets.bind(1, match);
    while (must(facets.step())) {
      ++outcome.facet_values;
      if (facets.column_text(0) == "libre") outcome.total += facets.column_int(2);  // one value per fiche
    }
    return outcome;
  }

 private:
  static void check(const Status& status) {
    if (!status.ok()) die(status.error().message);
  }
  std::unique_ptr<store::sqlite::Database> db_;
};

// --- PostgreSQL ---------------------------------------------------------------------------

#ifdef VIGIE_WITH_POSTGRES
// One schema per corpus; the `french` configuration with unaccent before the stemmer.
class PostgresEngine final : public Engine {
 public:
  PostgresEngine(const std::string& conninfo, const std::string& schema) : connection_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(connection_) != CONNECTION_OK) die("PostgreSQL : " + std::string(PQerrorMessage(connection_)));
    exec("SET client_min_messages = warning");
    exec("CREATE EXTENSION IF NOT EXISTS unaccent");
    exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN"
         " CREATE TEXT SEARCH CONFIGURATION public.fr_unaccent (COPY = french);"
         " ALTER TEXT SEARCH CONFIGURATION public.fr_unaccent ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;"
         " END IF; END $$");
    exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    exec("CREATE SCHEMA " + schema);
    exec("SET search_path = " + schema + ", public");
    exec("CREATE TABLE fiches (id bigint PRIMARY KEY, title text, summary text, body text, tsv tsvector)");
    exec("CREATE TABLE fiche_facets (fiche_id bigint NOT NULL, facet text NOT NULL, value text NOT NULL,"
         " PRIMARY KEY (fiche_id, facet, value))");
    exec("COPY fiches (id, title, summary, body) FROM STDIN");
  }
  ~PostgresEngine() override { PQfinish(connection_); }
  PostgresEngine(const PostgresEngine&) = delete;
  PostgresEngine& operator=(const PostgresEngine&) = delete;

  void add(const Fiche& fiche) {
    std::string line = std::to_string(fiche.id);
    for (const std::string* field : {&fiche.title, &fiche.summary, &fiche.body}) {
      line += '\t';
      line += copy_escaped(*field);
    }
    line += '\n';
    put(line);
    for (const auto& [facet, value] : fiche.facets) {
      std::string row = std::to_string(fiche.id);
      row += '\t';
      row += copy_escaped(facet);
      row += '\t';
      row += copy_escaped(value);
      row += '\n';
      facet_rows_ += row;
    }
  }
  void finish() {
    end_copy();
    exec("COPY fiche_facets (fiche_id, facet, value) FROM STDIN");
    put(facet_rows_);
    facet_rows_.clear();
    facet_rows_.shrink_to_fit();
    end_copy();
    exec("UPDATE fiches SET tsv = setweight(to_tsvector('fr_unaccent', title), 'A') || setweight(to_tsvector('fr_unaccent', summary), 'B')"
         " || setweight(to_tsvector('fr_unaccent', body), 'C')");
    exec("CREATE INDEX fiches_tsv ON fiches USING gin (tsv)");
    exec("VACUUM ANALYZE fiches");
    exec("VACUUM ANALYZE fiche_facets");
    prepare("top", "SELECT id FROM fiches, websearch_to_tsquery('fr_unaccent', $1) q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, id LIMIT $2");
    prepare("facets", "SELECT f.facet, f.value, count(*) FROM fiches JOIN fiche_facets f ON f.fiche_id = fiches.id"
                      " WHERE tsv @@ websearch_to_tsquery('fr_unaccent', $1) GROUP BY f.facet, f.value");
  }
  Outcome search(const std::string& text, std::size_t limit) override {
    Outcome outcome;
    const std::string limit_text = std::to_string(limit);
    {
      const char* values[] = {text.c_str(), limit_text.c_str()};
      PGresult* result = PQexecPrepared(connection_, "top", 2, values, nullptr, nullptr, 0);
      check(result, PGRES_TUPLES_OK);
      for (int row = 0; row < PQntuples(result); ++row) outcome.ids.push_back(std::stoll(PQgetvalue(result, row, 0)));
      PQclear(result);
    }
    const char* values[] = {text.c_str()};
    PGresult* result = PQexecPrepared(connection_, "facets", 1, values, nullptr, nullptr, 0);
    check(result, PGRES_TUPLES_OK);
    for (int row = 0; row < PQntuples(result); ++row) {
      ++outcome.facet_values;
      if (std::string_view(PQgetvalue(result, row, 0)) == "libre") outcome.total += std::stoll(PQgetvalue(result, row, 2));
    }
    PQclear(result);
    return outcome;
  }

 private:
  static std::string copy_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
      }
    }
    return out;
  }
  void check(PGresult* result, ExecStatusType expected) {
    if (PQresultStatus(result) != expected) {
      const std::string message = PQresultErrorMessage(result);
      PQclear(result);
      die("PostgreSQL : " + message);
    }
  }
  void exec(const std::string& sql) {
    PGresult* result = PQexec(connection_, sql.c_str());
    const auto status = PQresultStatus(result);
    check(result, status == PGRES_COPY_IN ? PGRES_COPY_IN : PGRES_COMMAND_OK);
    PQclear(result);
  }
  void prepare(const char* name, const char* sql) {
    PGresult* result = PQprepare(connection_, name, sql, 0, nullptr);
    check(result, PGRES_COMMAND_OK);
    PQclear(result);
  }
  void put(const std::string& data) {
    if (PQputCopyData(connection_, data.data(), static_cast<int>(data.size())) != 1) die("PostgreSQL COPY : " + std::string(PQerrorMessage(connection_)));
  }
  void end_copy() {
    if (PQputCopyEnd(connection_, nullptr) != 1) die("PostgreSQL COPY : " + std::string(PQerrorMessage(connection_)));
    PGresult* result = PQgetResult(connection_);
    check(result, PGRES_COMMAND_OK);
    PQclear(result);
    while ((result = PQgetResult(connection_)) != nullptr) PQclear(result);
  }

  PGconn* connection_;
  std::string facet_rows_;  // COPY of the facets follows that of the fiches
};
#endif

// --- the run ------------------------------------------------------------------------------

const char* match_name(search::MatchKind match) {
  switch (match) {
    case search::MatchKind::all_words: return "all_words";
    case search::MatchKind::corrected: return "corrected";
    case search::MatchKind::closest: return "closest";
    case search::MatchKind::none: return "none";
  }
  return "?";
}

struct Figures {
  double p50_ms = 0, p99_ms = 0, mean_ms = 0, mean_matches = 0;
  // The same on the thread's CPU clock: what a query costs whatever else the machine runs.
  double cpu_p50_ms = 0, cpu_p99_ms = 0;
  std::size_t queries = 0;
  // Vigie: latencies by how the query was answered (match_name), and the queries whose strict
  // search found fewer than search::kFewResults fiches (the search then looked further).
  std::map<std::string, std::vector<double>> by_match;
  std::size_t looked_further = 0;
  // The slowest queries: latency, query, how it was answered.
  std::vector<std::tuple<double, std::string, std::string>> slowest;
};
std::map<std::string, Figures> measured;  // filled by the benchmarks, printed at the end

double percentile(std::vector<double> sorted_values, double fraction) {
  std::sort(sorted_values.begin(), sorted_values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted_values.size())));
  return sorted_values[std::clamp<std::size_t>(rank, 1, sorted_values.size()) - 1];
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (const double value : values) sum += value;
  return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

double thread_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

void register_engine(const std::string& name, Engine& engine, const std::vector<std::string>& queries) {
  benchmark::RegisterBenchmark(name.c_str(), [&engine, &queries, name](benchmark::State& state) {
    // Warm-up, untimed: caches of every engine see the first queries once.
    for (std::size_t i = 0; i < std::min<std::size_t>(100, queries.size()); ++i) benchmark::DoNotOptimize(engine.search(queries[i], 20));
    std::vector<double> latencies, cpu_latencies;
    latencies.reserve(queries.size());
    cpu_latencies.reserve(queries.size());
    double matches = 0;
    std::size_t next = 0;
    Figures figures;
    std::vector<std::string> answers;  // how each query was answered (Vigie)
    for (auto _ : state) {
      const double cpu_start = thread_cpu_ms();
      const auto start = Clock::now();
      const Outcome outcome = engine.search(queries[next++ % queries.size()], 20);
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      cpu_latencies.push_back(thread_cpu_ms() - cpu_start);
      benchmark::DoNotOptimize(outcome);
      state.SetIterationTime(seconds);
      latencies.push_back(seconds * 1e3);
      matches += static_cast<double>(outcome.total);
      answers.emplace_back(outcome.match ? match_name(*outcome.match) : "");
      if (outcome.match) {
        figures.by_match[match_name(*outcome.match)].push_back(seconds * 1e3);
        // A corrected, closest or empty answer, or too few fiches for every word typed.
        if (*outcome.match != search::MatchKind::all_words || outcome.all_words_total < search::kFewResults) ++figures.looked_further;
      }
    }
    figures.queries = latencies.size();
    for (std::size_t i = 0; i < latencies.size(); ++i) {
      figures.slowest.emplace_back(latencies[i], queries[i % queries.size()], answers[i]);
    }
    std::sort(figures.slowest.begin(), figures.slowest.end(), std::greater<>());
    figures.slowest.resize(std::min<std::size_t>(figures.slowest.size(), 10));
    figures.p50_ms = percentile(latencies, 0.50);
    figures.p99_ms = percentile(latencies, 0.99);
    figures.mean_ms = mean(latencies);
    figures.cpu_p50_ms = percentile(cpu_latencies, 0.50);
    figures.cpu_p99_ms = percentile(cpu_latencies, 0.99);
    figures.mean_matches = matches / static_cast<double>(latencies.size());
    state.counters["p50_ms"] = figures.p50_ms;
    state.counters["p99_ms"] = figures.p99_ms;
    state.counters["matches"] = figures.mean_matches;
    measured[name] = std::move(figures);
  })
      ->Iterations(static_cast<benchmark::IterationCount>(queries.size()))
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
}

// How many judged queries find all their expected fiches in the engine's top 5.
int judged_passes(Engine& engine, const std::filesystem::path& demo_dir, const domain::Taxonomies& taxonomies,
                  const nlohmann::json& judged, const nlohmann::json& demo_fiches) {
  auto pool = must(store::sqlite::ConnectionPool::open((demo_dir / "vigie.db").string()));
  SystemClock clock;
  store::sqlite::SqliteUseCaseStore store(*pool, taxonomies, clock);
  std::map<std::string, std::string> title_of_key;
  for (const auto& fiche : demo_fiches) title_of_key[fiche["cle"].get<std::string>()] = fiche["titre"].get<std::string>();
  int passed = 0;
  for (const auto& entry : judged["queries"]) {
    std::set<std::string> top_titles;
    for (const auto id : engine.search(entry["q"].get<std::string>(), 5).ids) top_titles.insert(must(store.get(id)).title);
    bool all_found = true;
    for (const auto& key : entry["expected"]) all_found = all_found && top_titles.count(title_of_key[key.get<std::string>()]) > 0;
    passed += all_found ? 1 : 0;
  }
  return passed;
}

std::vector<std::string> read_queries(const std::string& file) {
  std::vector<std::string> queries;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) queries.push_back(line);
  }
  if (queries.empty()) die("aucune requête dans " + file);
  return queries;
}

// How each list's queries were answered, and the latency of each kind (Vigie).
void print_match_table(const std::vector<std::pair<std::string, std::string>>& lists) {
  fmt::print("\nVigie, by how the query was answered (search::MatchKind): queries, share, p50 / p99 / mean\n\n");
  fmt::print("| list | answered | queries | share | p50 | p99 | mean |\n|---|---|---|---|---|---|---|\n");
  for (const auto& [name, label] : lists) {
    const Figures& figures = measured[name];
    if (figures.queries == 0) continue;
    const auto share = [&](std::size_t n) { return 100.0 * static_cast<double>(n) / static_cast<double>(figures.queries); };
    std::size_t relaxed = 0;
    std::vector<double> relaxed_latencies;
    for (const auto& [kind, latencies] : figures.by_match) {
      fmt::print("| {} | {} | {} | {:.1f} % | {:.2f} ms | {:.2f} ms | {:.2f} ms |\n", label, kind, latencies.size(), share(latencies.size()),
                 percentile(latencies, 0.50), percentile(latencies, 0.99), mean(latencies));
      if (kind == "closest" || kind == "corrected") {
        relaxed += latencies.size();
        relaxed_latencies.insert(relaxed_latencies.end(), latencies.begin(), latencies.end());
      }
    }
    if (!relaxed_latencies.empty()) {
      fmt::print("| {} | **corrected or closest** | {} | {:.1f} % | {:.2f} ms | {:.2f} ms | {:.2f} ms |\n", label, relaxed, share(relaxed),
                 percentile(relaxed_latencies, 0.50), percentile(relaxed_latencies, 0.99), mean(relaxed_latencies));
    }
    fmt::print("| {} | strict search found < {} fiches (looked further) | {} | {:.1f} % | | | |\n", label, search::kFewResults,
               figures.looked_further, share(figures.looked_further));
  }
}

int run(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // Our own options (--name=value), wherever they are; the rest is positional.
  std::string relaxed_file;
  std::set<std::string> engines = {"vigie", "sqlite_fts5", "postgresql"};
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument.rfind("--relaxed-queries=", 0) == 0) {
      relaxed_file = argument.substr(std::string_view("--relaxed-queries=").size());
    } else if (argument.rfind("--engines=", 0) == 0) {
      engines.clear();
      std::string list(argument.substr(std::string_view("--engines=").size()));
      for (std::size_t at = 0; at <= list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        if (comma > at) engines.insert(list.substr(at, comma - at));
        at = comma + 1;
      }
      engines.insert("vigie");
    } else {
      positional.emplace_back(argument);
    }
  }
  if (positional.size() < 4) {
    fmt::print(stderr,
               "usage: vigie_search_compare DATA_DIR DEMO_DIR QUERIES_FILE JUDGED_FILE [POSTGRES_CONNINFO] [--relaxed-queries=FILE]"
               " [--engines=vigie,sqlite_fts5,postgresql]\n");
    return 2;
  }
  const std::filesystem::path data_dir = positional[0], demo_dir = positional[1];
  const std::string conninfo = positional.size() > 4 ? positional[4] : "";
  const char* resources_variable = std::getenv("VIGIE_RESOURCES_DIR");
  const std::filesystem::path resources = resources_variable ? resources_variable : ".";
  const auto taxonomies = must(domain::Taxonomies::load(resources / "data" / "taxonomies"));
  const std::vector<std::string> queries = read_queries(positional[2]);
  const std::vector<std::string> relaxed_queries = relaxed_file.empty() ? std::vector<std::string>{} : read_queries(relaxed_file);
  const auto judged = nlohmann::json::parse(must(read_file(positional[3])));
  const auto demo_fiches = nlohmann::json::parse(must(read_file(resources / "data" / "demo" / "fiches.json")));
  const auto lexicon = must(search::FrenchLexicon::open(search::FrenchLexicon::default_directory()));

  struct Contender {
    std::string name;
    std::unique_ptr<Engine> corpus, demo;
    double build_seconds = -1;  // for the large corpus; Vigie's is measured by `vigie index`
  };
  std::vector<Contender> contenders;
  contenders.push_back({"vigie", std::make_unique<VigieEngine>(data_dir, resources, taxonomies, *lexicon),
                        std::make_unique<VigieEngine>(demo_dir, resources, taxonomies, *lexicon), -1});

  auto build_fts5 = [&](const std::filesystem::path& dir, double* seconds) {
    const auto start = Clock::now();
    auto engine = std::make_unique<Fts5Engine>(dir / "fts5.db");
    for_each_fiche(dir, taxonomies, [&engine](const Fiche& fiche) { engine->add(fiche); });
    engine->finish();
    if (seconds) *seconds = seconds_since(start);
    return engine;
  };
  if (engines.count("sqlite_fts5") > 0) {
    Contender fts5{"sqlite_fts5", nullptr, build_fts5(demo_dir, nullptr), 0};
    fts5.corpus = build_fts5(data_dir, &fts5.build_seconds);
    fmt::print(stderr, "SQLite FTS5 built in {:.1f} s\n", fts5.build_seconds);
    contenders.push_back(std::move(fts5));
  }
#ifdef VIGIE_WITH_POSTGRES
  if (!conninfo.empty() && engines.count("postgresql") > 0) {
    auto build_postgres = [&](const std::filesystem::path& dir, const std::string& schema, double* seconds) {
      const auto start = Clock::now();
      auto engine = std::make_unique<PostgresEngine>(conninfo, schema);
      for_each_fiche(dir, taxonomies, [&engine](const Fiche& fiche) { engine->add(fiche); });
      engine->finish();
      if (seconds) *seconds = seconds_since(start);
      return engine;
    };
    Contender postgres{"postgresql", nullptr, build_postgres(demo_dir, "vigie_demo", nullptr), 0};
    postgres.corpus = build_postgres(data_dir, "vigie_corpus", &postgres.build_seconds);
    fmt::print(stderr, "PostgreSQL built in {:.1f} s\n", postgres.build_seconds);
    contenders.push_back(std::move(postgres));
  }
#else
  if (!conninfo.empty()) fmt::print(stderr, "built without libpq: PostgreSQL left out\n");
#endif

  std::map<std::string, int> relevance;
  for (auto& contender : contenders) relevance[contender.name] = judged_passes(*contender.demo, demo_dir, taxonomies, judged, demo_fiches);
  // Vigie's two lists one after the other, then the peers on the first list.
  register_engine("vigie", *contenders.front().corpus, queries);
  if (!relaxed_queries.empty()) register_engine("vigie_relaxed", *contenders.front().corpus, relaxed_queries);
  for (std::size_t c = 1; c < contenders.size(); ++c) register_engine(contenders[c].name, *contenders[c].corpus, queries);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  const auto judged_total = judged["queries"].size();
  fmt::print("\n{} queries ({}), top 20 + every facet count; judged set: queries with all expected fiches in the top 5 "
             "(demo library)\n\n",
             queries.size(), positional[2]);
  fmt::print("| engine | p50 | p99 | mean | CPU p50 / p99 | mean matches | judged top 5 | build (large corpus) |\n"
             "|---|---|---|---|---|---|---|---|\n");
  for (const auto& contender : contenders) {
    const Figures& figures = measured[contender.name];
    fmt::print("| {} | {:.2f} ms | {:.2f} ms | {:.2f} ms | {:.2f} / {:.2f} ms | {:.0f} | {} / {} | {} |\n", contender.name, figures.p50_ms,
               figures.p99_ms, figures.mean_ms, figures.cpu_p50_ms, figures.cpu_p99_ms, figures.mean_matches, relevance[contender.name], judged_total,
               contender.build_seconds < 0 ? std::string("`vigie index`") : fmt::format("{:.1f} s", contender.build_seconds));
  }
  std::vector<std::pair<std::string, std::string>> lists = {{"vigie", positional[2]}};
  if (!relaxed_queries.empty()) {
    const Figures& strict = measured["vigie"];
    const Figures& relaxed = measured["vigie_relaxed"];
    fmt::print("| vigie, {} queries ({}) | {:.2f} ms | {:.2f} ms | {:.2f} ms | {:.2f} / {:.2f} ms | {:.0f} | | ratio to the first list: p50 {:.2f}×, p99 {:.2f}× |\n",
               relaxed_queries.size(), relaxed_file, relaxed.p50_ms, relaxed.p99_ms, relaxed.mean_ms, relaxed.cpu_p50_ms, relaxed.cpu_p99_ms,
               relaxed.mean_matches,
               relaxed.p50_ms / strict.p50_ms, relaxed.p99_ms / strict.p99_ms);
    lists.emplace_back("vigie_relaxed", relaxed_file);
  }
  print_match_table(lists);
  for (const auto& [name, label] : lists) {
    fmt::print("\nThe 10 slowest queries of {}:\n\n| ms | answered | query |\n|---|---|---|\n", label);
    for (const auto& [latency, query, answered] : measured[name].slowest) fmt::print("| {:.1f} | {} | {} |\n", latency, answered, query);
  }
  return 0;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) {
  try {
    return vigie::bench::run(argc, argv);
  } catch (const std::exception& error) {
    fmt::print(stderr, "vigie_search_compare: {}\n", error.what());
    return 1;
  } catch (const Xapian::Error& error) {
    fmt::print(stderr, "vigie_search_compare: {}\n", error.get_description());
    return 1;
  }
}
