#include "app/index_keeper.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "app/page_cache.h"
#include "core/clock.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_use_case_store.h"
#include "store/sqlite/sqlite_directory.h"
#include "tests/support/fixtures.h"

namespace vigie::app {
namespace {

using namespace std::chrono_literals;

// Waits for `condition`, at most 20 s.
template <typename Fn>
bool eventually(Fn condition) {
  for (int i = 0; i < 2000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

class IndexKeeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = store::sqlite::ConnectionPool::open(dir_.file("vigie.db"));
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = std::move(pool).value();
    {
      auto db = pool_->acquire();
      ASSERT_TRUE(db.ok());
      test::insert_organisations(**db);
    }
    store_ = std::make_unique<store::sqlite::SqliteUseCaseStore>(*pool_, test::taxonomies(), clock_);
    ASSERT_TRUE(store_->create(test::minimal_use_case(), {"test"}).ok());
    auto index = search::SearchIndex::open(index_dir(), search::Vocabulary{}, test::taxonomies());
    ASSERT_TRUE(index.ok()) << index.error().message;
    index_ = std::move(index).value();
    follower_ = std::make_unique<search::IndexFollower>(*index_, *store_, [this](const std::string& code) -> std::optional<domain::Organisation> {
      auto found = store::sqlite::SqliteDirectory(*pool_).find(code);
      if (!found.ok()) return std::nullopt;
      return std::move(found).value();
    });
    keeper_ = std::make_unique<IndexKeeper>(*index_, *follower_, index_dir(), [this] { ++rebuilt_; },
                                            IndexKeeper::Options{10ms, 20ms, 200ms});
  }
  void TearDown() override { keeper_->stop(); }

  std::filesystem::path index_dir() const { return dir_.path() / "index"; }

  std::int64_t found(const std::string& words) {
    search::SearchRequest request;
    request.text = words;
    auto results = index_->search(request);
    return results.ok() ? results->total : -1;
  }

  // Overwrites every file of every generation in place, as a crash or a disk fault could.
  void corrupt_index() {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(index_dir())) {
      if (entry.path().extension() != ".glass") continue;
      const auto size = std::filesystem::file_size(entry.path());
      std::ofstream out(entry.path(), std::ios::binary | std::ios::in);
      out << std::string(size, 'Z');
    }
  }

  test::TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<store::sqlite::ConnectionPool> pool_;
  std::unique_ptr<store::sqlite::SqliteUseCaseStore> store_;
  std::unique_ptr<search::SearchIndex> index_;
  std::unique_ptr<search::IndexFollower> follower_;
  std::unique_ptr<IndexKeeper> keeper_;
  std::atomic<int> rebuilt_{0};
};

TEST_F(IndexKeeperTest, BuildsAtStartThenTellsThePageCacheToForgetWhatWasRenderedMeanwhile) {
  EXPECT_EQ(keeper_->state(), IndexKeeper::State::building);
  keeper_->start();
  ASSERT_TRUE(eventually([&] { return keeper_->state() == IndexKeeper::State::ready; }));
  EXPECT_EQ(rebuilt_.load(), 1);
  EXPECT_EQ(found("dépôts sauvages"), 1);
}

TEST_F(IndexKeeperTest, RebuildsWhenVigieIndexAsksAndRemovesTheRequest) {
  keeper_->start();
  ASSERT_TRUE(eventually([&] { return rebuilt_.load() == 1; }));
  ASSERT_TRUE(IndexKeeper::request_rebuild(index_dir()).ok());
  ASSERT_TRUE(eventually([&] { return rebuilt_.load() == 2; }));
  EXPECT_FALSE(std::filesystem::exists(IndexKeeper::request_file(index_dir())));
  EXPECT_EQ(found("dépôts sauvages"), 1);
}

TEST_F(IndexKeeperTest, ACorruptIndexIsReportedThenRebuiltBesideTheLiveOne) {
  keeper_->start();
  ASSERT_TRUE(eventually([&] { return rebuilt_.load() == 1; }));
  corrupt_index();
  // A search meets the corruption: the index says so, the keeper rebuilds.
  EXPECT_EQ(found("dépôts sauvages"), -1);
  ASSERT_TRUE(eventually([&] { return rebuilt_.load() == 2; }));
  EXPECT_EQ(keeper_->state(), IndexKeeper::State::ready);
  EXPECT_FALSE(index_->problem().has_value());
  EXPECT_EQ(found("dépôts sauvages"), 1);
  // And writes reach it again.
  domain::UseCase another = test::minimal_use_case();
  another.title = "Tri des courriers entrants";
  ASSERT_TRUE(store_->create(another, {"test"}).ok());
  ASSERT_TRUE(follower_->catch_up().ok());
  EXPECT_EQ(found("courriers entrants"), 1);
}

TEST_F(IndexKeeperTest, AFailedWriteIsReportedAndRepairedWithTheChangesMadeMeanwhile) {
  keeper_->start();
  ASSERT_TRUE(eventually([&] { return rebuilt_.load() == 1; }));
  corrupt_index();
  domain::UseCase another = test::minimal_use_case();
  another.title = "Tri des courriers entrants";
  ASSERT_TRUE(store_->create(another, {"test"}).ok());
  EXPECT_FALSE(follower_->catch_up().ok());  // the write to the index fails
  ASSERT_TRUE(eventually([&] { return rebuilt_.load() == 2; }));
  EXPECT_EQ(found("courriers entrants"), 1);
}

TEST_F(IndexKeeperTest, PageCacheForgetsItsPagesWhenInvalidated) {
  PageCache cache([this] { return store_->last_change(); }, nullptr, PageCacheOptions{});
  int rendered = 0;
  const web::Handler page = cache.decorator()(web::ReadParams{{"q"}}, [&](const web::Request&) {
    ++rendered;
    return web::Response::text("page");
  });
  web::Request request;
  request.target = "/bibliotheque?q=eau";
  page(request);
  page(request);
  EXPECT_EQ(rendered, 1);
  cache.invalidate();
  page(request);
  EXPECT_EQ(rendered, 2);
}

}  // namespace
}  // namespace vigie::app
