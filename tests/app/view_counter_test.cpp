#include "app/view_counter.h"

#include <gtest/gtest.h>

#include <thread>

#include "store/sqlite/sqlite_use_case_store.h"
#include "tests/support/fixtures.h"

namespace vigie::app {
namespace {

class ViewCounterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = store::sqlite::ConnectionPool::open(dir_.file("vigie.db")).value();
    auto db = pool_->acquire();
    ASSERT_TRUE(db.ok());
    test::insert_organisations(**db);
    store_ = std::make_unique<store::sqlite::SqliteUseCaseStore>(*pool_, test::taxonomies(), clock_);
    for (int i = 0; i < 2; ++i) {
      auto u = test::minimal_use_case();
      u.title = "Fiche " + std::to_string(i);
      ids_.push_back(store_->create(u, store::Actor{"test"}).value().id);
    }
  }

  test::TempDir dir_;
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}};
  std::unique_ptr<store::sqlite::ConnectionPool> pool_;
  std::unique_ptr<store::sqlite::SqliteUseCaseStore> store_;
  std::vector<domain::UseCaseId> ids_;
};

TEST_F(ViewCounterTest, CountsFromManyThreadsReachTheStoreOnFlush) {
  ViewCounter counter(*store_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) counter.record(ids_[1]);
      counter.record(ids_[0]);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(store_->most_viewed(5).value().empty());  // nothing written before a flush
  ASSERT_TRUE(counter.flush().ok());
  const auto most = store_->most_viewed(5).value();
  ASSERT_EQ(most.size(), 2u);
  EXPECT_EQ(most[0].id, ids_[1]);
  ASSERT_TRUE(counter.flush().ok());  // nothing pending: nothing added
}

TEST_F(ViewCounterTest, TheFlushingThreadAndTheDestructorWriteTheCounts) {
  {
    ViewCounter counter(*store_);
    counter.start(std::chrono::milliseconds(20));
    counter.record(ids_[0]);
    for (int i = 0; i < 100 && store_->most_viewed(5).value().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(store_->most_viewed(5).value().size(), 1u);
    counter.record(ids_[1]);
    counter.record(ids_[1]);
  }  // the destructor flushes what is left
  const auto most = store_->most_viewed(5).value();
  ASSERT_EQ(most.size(), 2u);
  EXPECT_EQ(most[0].id, ids_[1]);
}

}  // namespace
}  // namespace vigie::app
