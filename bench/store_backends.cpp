// vigie_store_compare [FICHES] [WRITERS] [WRITES_EACH]: the fiches' store on SQLite and on
// PostgreSQL, side by side, through the same interface (store/use_case_store.h). For each
// backend: a fresh database, FICHES synthetic fiches loaded in one import batch, then
//  - reads on one thread: a fiche by id, a page of 20 cards (the library's read), a page of the
//    list (the API's), each a few thousand times, with p50 and p99;
//  - WRITERS threads creating WRITES_EACH fiches each at once, then a check that nothing was
//    lost or written twice (one revision per fiche, one change per fiche, every change seen by
//    a follower reading the sequence during the writes, in order).
// PostgreSQL is measured when VIGIE_BENCH_POSTGRES holds a libpq connection string to a server
// where the bench may create and drop the database vigie_store_bench (bench/run.sh starts a
// throw-away one with scripts/postgres.sh).
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "corpus_generator.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_use_case_store.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_use_case_store.h"

namespace {

using namespace vigie;
using Clock = std::chrono::steady_clock;

constexpr const char* kOwnerSql =
    "INSERT INTO organisations (code, siren, kind, insee_code, name, search_key, population, department_code, region_code, updated_at)"
    " VALUES ('213502388', '213502388', 'commune', '35238', 'Rennes', 'rennes', 227830, '35', '53', '2026-01-01T00:00:00Z')";

struct Timings {
  double p50_ms = 0;
  double p99_ms = 0;
  double per_second = 0;
};

template <typename Call>
Timings measure(std::size_t rounds, Call&& call) {
  std::vector<double> ms;
  ms.reserve(rounds);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < rounds; ++i) {
    const auto before = Clock::now();
    call(i);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - before).count());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], static_cast<double>(rounds) / seconds};
}

void report(const std::string& backend, const std::string& what, const Timings& t) {
  fmt::print("{:<11} {:<28} p50 {:7.3f} ms  p99 {:7.3f} ms  {:9.0f} /s\n", backend, what, t.p50_ms, t.p99_ms, t.per_second);
}

// Fails loudly: a benchmark that measures a failing store measures nothing.
template <typename T>
T must(Result<T> result, const char* what) {
  if (!result.ok()) {
    fmt::print(stderr, "{}: {}\n", what, result.error().message);
    std::exit(1);
  }
  return std::move(result).value();
}
void must(Status status, const char* what) {
  if (!status.ok()) {
    fmt::print(stderr, "{}: {}\n", what, status.error().message);
    std::exit(1);
  }
}

void run(const std::string& backend, store::UseCaseStore& store, const domain::Taxonomies& taxonomies, std::size_t fiches,
         std::size_t writers, std::size_t writes_each) {
  std::vector<store::ImportItem> items;
  for (auto& u : bench::generate_corpus(fiches, taxonomies, {"213502388"}, 42)) items.push_back({std::move(u), {}, {}});
  auto start = Clock::now();
  const auto ids = must(store.import_batch(std::move(items), store::Actor{"bench"}, store::Timestamps::keep, store::ImportMode::append),
                        "import");
  fmt::print("{:<11} {:<28} {:.1f} s for {} fiches\n", backend, "load (one import batch)",
             std::chrono::duration<double>(Clock::now() - start).count(), ids.size());

  std::mt19937_64 random(7);
  auto any_id = [&] { return ids[random() % ids.size()]; };
  report(backend, "get (one fiche)", measure(5000, [&](std::size_t) { must(store.get(any_id()), "get"); }));
  report(backend, "cards (20 fiches)", measure(2000, [&](std::size_t) {
           std::vector<domain::UseCaseId> page;
           for (int i = 0; i < 20; ++i) page.push_back(any_id());
           must(store.cards(page), "cards");
         }));
  report(backend, "list (20, by date, page n)", measure(1000, [&](std::size_t i) {
           store::UseCaseListQuery query;
           query.offset = (i % 50) * 20;
           must(store.list(query), "list");
         }));

  // Concurrent writers, and a follower of the change sequence.
  const std::int64_t before = must(store.last_change(), "last_change");
  std::atomic<bool> done{false};
  std::vector<store::Change> followed;
  std::thread follower([&] {
    std::int64_t seen = before;
    while (true) {
      const bool last_round = done.load();
      const auto changes = must(store.changes_after(seen, 1000), "changes_after");
      for (const auto& change : changes) {
        if (change.sequence <= seen) fmt::print(stderr, "change sequence out of order\n"), std::exit(1);
        seen = change.sequence;
        followed.push_back(change);
      }
      if (last_round && changes.empty()) break;
    }
  });
  const auto sample = bench::generate_corpus(writes_each, taxonomies, {"213502388"}, 99);
  std::atomic<std::size_t> failed{0};
  std::vector<std::thread> threads;
  start = Clock::now();
  for (std::size_t w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (std::size_t i = 0; i < writes_each; ++i) {
        if (!store.create(sample[i], store::Actor{fmt::format("writer-{}", w)}).ok()) ++failed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  done = true;
  follower.join();
  std::set<domain::UseCaseId> distinct;
  for (const auto& change : followed) distinct.insert(change.id);
  const std::size_t expected = writers * writes_each;
  fmt::print("{:<11} {:<28} {:9.0f} /s  ({} writers x {}; failed {}; changes seen {} of {}, distinct {})\n", backend,
             "create, concurrent writers", static_cast<double>(expected) / seconds, writers, writes_each, failed.load(),
             followed.size(), expected, distinct.size());
  if (failed.load() != 0 || followed.size() != expected || distinct.size() != expected) {
    fmt::print(stderr, "{}: writes lost or duplicated\n", backend);
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t fiches = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000;
  const std::size_t writers = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 16;
  const std::size_t writes_each = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 100;
  const char* resources = std::getenv("VIGIE_RESOURCES_DIR");
  const auto taxonomies = must(domain::Taxonomies::load(std::string(resources ? resources : ".") + "/data/taxonomies"), "taxonomies");
  SystemClock clock;

  {
    std::string dir = (std::filesystem::temp_directory_path() / "vigie-store-bench-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) return 1;
    auto pool = must(store::sqlite::ConnectionPool::open(dir + "/vigie.db"), "SQLite");
    {
      auto db = must(pool->acquire(), "SQLite");
      must(db->execute(kOwnerSql), "organisation");
    }
    store::sqlite::SqliteUseCaseStore store(*pool, taxonomies, clock);
    run("SQLite", store, taxonomies, fiches, writers, writes_each);
    pool.reset();
    std::filesystem::remove_all(dir);
  }

  const char* server = std::getenv("VIGIE_BENCH_POSTGRES");
  if (server == nullptr || *server == '\0') {
    fmt::print("PostgreSQL  not measured: VIGIE_BENCH_POSTGRES is not set\n");
    return 0;
  }
  {
    auto admin = must(store::postgres::Connection::open(server), "PostgreSQL");
    must(admin->execute("DROP DATABASE IF EXISTS vigie_store_bench WITH (FORCE)"), "drop");
    must(admin->execute("CREATE DATABASE vigie_store_bench"), "create");
  }
  {
    auto pool = must(store::postgres::ConnectionPool::open(std::string(server) + " dbname=vigie_store_bench"), "PostgreSQL");
    {
      auto connection = must(pool->acquire(), "PostgreSQL");
      must(connection->execute(kOwnerSql), "organisation");
    }
    store::postgres::PostgresUseCaseStore store(*pool, taxonomies, clock);
    run("PostgreSQL", store, taxonomies, fiches, writers, writes_each);
  }
  auto admin = must(store::postgres::Connection::open(server), "PostgreSQL");
  must(admin->execute("DROP DATABASE IF EXISTS vigie_store_bench WITH (FORCE)"), "drop");
  return 0;
}
