// vigie_corpus DATA_DIR COUNT [SEED]: adds COUNT synthetic fiches (flagged as demonstration
// data) to the database of DATA_DIR, which `vigie setup` must have prepared.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "corpus_generator.h"
#include "core/clock.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_use_case_store.h"

int main(int argc, char** argv) {
  using namespace vigie;
  if (argc < 3) {
    fmt::print(stderr, "usage: vigie_corpus DATA_DIR COUNT [SEED]\n");
    return 2;
  }
  const std::string data_dir = argv[1];
  const auto count = static_cast<std::size_t>(std::strtoull(argv[2], nullptr, 10));
  const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 42;
  const char* resources = std::getenv("VIGIE_RESOURCES_DIR");
  auto taxonomies = domain::Taxonomies::load(std::string(resources ? resources : ".") + "/data/taxonomies");
  if (!taxonomies.ok()) return fmt::print(stderr, "{}\n", taxonomies.error().message), 1;
  auto pool = store::sqlite::ConnectionPool::open(data_dir + "/vigie.db");
  if (!pool.ok()) return fmt::print(stderr, "{}\n", pool.error().message), 1;
  std::vector<std::string> owners;
  {
    auto db = (*pool)->acquire();
    auto statement = (*db)->prepare("SELECT code FROM organisations WHERE kind IN ('commune', 'epci', 'departement', 'region') ORDER BY code");
    while (statement.ok() && statement->step().value()) owners.push_back(statement->column_text(0));
  }
  if (owners.empty()) return fmt::print(stderr, "référentiel absent : lancez vigie setup\n"), 1;
  SystemClock clock;
  store::sqlite::SqliteUseCaseStore store(**pool, *taxonomies, clock);
  const auto start = std::chrono::steady_clock::now();
  std::vector<store::ImportItem> items;
  for (auto& u : bench::generate_corpus(count, *taxonomies, owners, seed)) items.push_back({std::move(u), {}, {}});
  auto imported = store.import_batch(std::move(items), store::Actor{"bench:corpus"}, store::Timestamps::keep, store::ImportMode::append);
  if (!imported.ok()) return fmt::print(stderr, "{}\n", imported.error().message), 1;
  if (auto analyzed = (*pool)->analyze(); !analyzed.ok()) return fmt::print(stderr, "{}\n", analyzed.error().message), 1;
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("{} fiches synthétiques chargées en {:.1f} s\n", imported->size(), seconds);
  return 0;
}
