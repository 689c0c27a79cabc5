#include "territory/pooled_directory.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "territory/referential_loader.h"
#include "tests/territory/referential_support.h"

namespace vigie::territory {
namespace {

constexpr const char* kRennes = "213502388";

// The directory the site uses, on a pool over a database holding the real referential.
class PooledDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(database_.db);
    auto report = load_referential(*database_.db, test_support::package_dir());
    ASSERT_TRUE(report.ok()) << report.error().message;
    auto pool = store::sqlite::ConnectionPool::open(database_.dir.file("vigie.db"));
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = std::move(pool).value();
    directory_ = std::make_unique<PooledDirectory>(*pool_);
  }

  test_support::TestDatabase database_;
  std::unique_ptr<store::sqlite::ConnectionPool> pool_;
  std::unique_ptr<PooledDirectory> directory_;
};

TEST_F(PooledDirectoryTest, AnswersThroughTheInterfaceAsTheDirectoryOnOneConnectionDoes) {
  store::OrganisationDirectory& organisations = *directory_;
  auto rennes = organisations.find(kRennes);
  ASSERT_TRUE(rennes.ok()) << rennes.error().message;
  EXPECT_EQ(rennes->name, "Rennes");
  auto found = organisations.search("rennes", 5);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().code, kRennes);
  auto parents = organisations.parents(*rennes);
  ASSERT_TRUE(parents.ok());
  EXPECT_FALSE(parents->empty());
  auto closest = organisations.closest_names("Renness", 3);
  ASSERT_TRUE(closest.ok());
  auto by_kind = organisations.count_by_kind();
  ASSERT_TRUE(by_kind.ok());
  EXPECT_EQ(by_kind->at("region"), 18);
}

TEST_F(PooledDirectoryTest, AnUnknownCodeIsNotFoundNotAnotherError) {
  auto missing = directory_->find("999999999");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_F(PooledDirectoryTest, ManyThreadsMayAskAtOnce) {
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (auto found = directory_->find(kRennes); found.ok() && found->name == "Rennes") ++answered;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered.load(), 100);
}

}  // namespace
}  // namespace vigie::territory
