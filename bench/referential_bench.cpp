// Loading the territorial referential and searching it.
//
// Reads the package from $VIGIE_SOURCE_DIR/node_modules/@etalab/decoupage-administratif
// (VIGIE_SOURCE_DIR defaults to the current directory): run from the source tree.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_directory.h"
#include "territory/referential_loader.h"

namespace {

namespace fs = std::filesystem;
using vigie::store::sqlite::ConnectionPool;
using vigie::store::sqlite::SqliteDirectory;

fs::path package_dir() {
  const char* source = std::getenv("VIGIE_SOURCE_DIR");
  return fs::path(source ? source : ".") / "node_modules" / "@etalab" / "decoupage-administratif";
}

// A migrated database in a temporary directory removed with it, and its directory.
class ScratchDatabase {
 public:
  ScratchDatabase() {
    std::string pattern = (fs::temp_directory_path() / "vigie-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return;
    dir_ = pattern;
    auto opened = ConnectionPool::open((dir_ / "vigie.db").string());
    if (!opened.ok()) return;
    pool_ = std::move(opened).value();
    directory_ = std::make_unique<SqliteDirectory>(*pool_);
  }
  ~ScratchDatabase() {
    directory_.reset();
    pool_.reset();
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  SqliteDirectory* directory() { return directory_.get(); }

 private:
  fs::path dir_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<SqliteDirectory> directory_;
};

void BM_LoadReferential(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    auto scratch = std::make_unique<ScratchDatabase>();
    state.ResumeTiming();
    if (!scratch->directory()) {
      state.SkipWithError("cannot create the database");
      break;
    }
    auto report = vigie::territory::load_referential(*scratch->directory(), package_dir());
    if (!report.ok()) {
      state.SkipWithError(report.error().message.c_str());
      break;
    }
    state.PauseTiming();
    scratch.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_LoadReferential)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ReloadSameVersion(benchmark::State& state) {
  ScratchDatabase scratch;
  if (!scratch.directory() || !vigie::territory::load_referential(*scratch.directory(), package_dir()).ok()) {
    state.SkipWithError("cannot load the referential");
    return;
  }
  for (auto _ : state) {
    auto report = vigie::territory::load_referential(*scratch.directory(), package_dir());
    if (!report.ok()) state.SkipWithError(report.error().message.c_str());
  }
}
BENCHMARK(BM_ReloadSameVersion)->Unit(benchmark::kMillisecond)->Iterations(3);

// One loaded database shared by the search benchmarks (loading takes about a second).
ScratchDatabase* loaded_database() {
  static ScratchDatabase* scratch = [] {
    auto* created = new ScratchDatabase;
    if (created->directory() && !vigie::territory::load_referential(*created->directory(), package_dir()).ok()) {
      delete created;
      return static_cast<ScratchDatabase*>(nullptr);
    }
    return created;
  }();
  return scratch;
}

void BM_Search(benchmark::State& state, const char* query) {
  ScratchDatabase* scratch = loaded_database();
  if (!scratch || !scratch->directory()) {
    state.SkipWithError("cannot load the referential");
    return;
  }
  for (auto _ : state) {
    auto found = scratch->directory()->search(query, 10);
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK_CAPTURE(BM_Search, sai, "sai")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, s, "s")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, la, "la")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, mar, "mar")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, st_etienne, "st etienne")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, postal_code, "35000")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, siren, "213502388")->Unit(benchmark::kMicrosecond);

}  // namespace
