// store::Store: the configuration's address opens either backend behind the same interfaces.
#include "store/store.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "tests/support/backends.h"
#include "tests/support/fixtures.h"

namespace vigie::store {
namespace {

TEST(StoreLocationTest, ReadsPostgresqlUrlsKeyValuePairsAndSqlitePaths) {
  auto url = parse_store_location("postgresql://vigie:s3cret@db.example:5433/vigie?sslmode=require");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->backend, StoreLocation::Backend::postgres);
  EXPECT_EQ(url->target, "postgresql://vigie:s3cret@db.example:5433/vigie?sslmode=require");
  EXPECT_EQ(url->display, "postgresql://vigie@db.example:5433/vigie");
  auto pairs = parse_store_location("host=/run/postgresql dbname=vigie password=s3cret");
  ASSERT_TRUE(pairs.ok());
  EXPECT_EQ(pairs->backend, StoreLocation::Backend::postgres);
  EXPECT_EQ(pairs->display, "host=/run/postgresql dbname=vigie");
  EXPECT_EQ(parse_store_location("postgres://localhost/vigie")->backend, StoreLocation::Backend::postgres);
  auto file = parse_store_location("sqlite:/var/lib/vigie/vigie.db");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->backend, StoreLocation::Backend::sqlite);
  EXPECT_EQ(file->target, "/var/lib/vigie/vigie.db");
  EXPECT_EQ(parse_store_location("sqlite:///var/lib/vigie/vigie.db")->target, "/var/lib/vigie/vigie.db");
}

TEST(StoreLocationTest, AnythingElseIsRefusedNamingWhatIsExpected) {
  for (const char* address : {"mysql://root:pw@localhost/vigie", "vigie.db", "sqlite:", ""}) {
    auto location = parse_store_location(address);
    ASSERT_FALSE(location.ok()) << address;
    EXPECT_EQ(location.error().kind, ErrorKind::invalid);
    EXPECT_NE(location.error().message.find("postgresql://"), std::string::npos) << location.error().message;
    EXPECT_EQ(location.error().message.find(":pw@"), std::string::npos) << location.error().message;
  }
}

TEST(StoreTest, AServerThatDoesNotAnswerIsUnavailableNamedWithoutItsPassword) {
  SystemClock clock;
  // Port 1 of the loopback: nothing listens there.
  auto opened = Store::open(parse_store_location("postgresql://vigie:s3cret@127.0.0.1:1/vigie?connect_timeout=2").value(),
                            test::taxonomies(), clock);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind, ErrorKind::unavailable);
  EXPECT_NE(opened.error().message.find("postgresql://vigie@127.0.0.1:1/vigie"), std::string::npos) << opened.error().message;
  EXPECT_EQ(opened.error().message.find("s3cret"), std::string::npos) << opened.error().message;
}

class OpenedStoreTest : public ::testing::TestWithParam<test::Backend> {};

INSTANTIATE_TEST_SUITE_P(Backends, OpenedStoreTest, ::testing::Values(test::Backend::sqlite, test::Backend::postgres),
                         test::backend_name);

// Store::open migrates and wires every interface to the same database: organisations written
// through one are the owners another accepts.
TEST_P(OpenedStoreTest, EveryInterfaceWorksOnTheSameDatabase) {
  test::TempDir dir;
  std::unique_ptr<test::PostgresDatabase> postgres;
  StoreLocation location = sqlite_location(dir.file("vigie.db"));
  if (GetParam() == test::Backend::postgres) {
    postgres = std::make_unique<test::PostgresDatabase>();
    ASSERT_TRUE(postgres->ok());
    location = parse_store_location(postgres->conninfo()).value();
  }
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}};
  auto opened = Store::open(location, test::taxonomies(), clock);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;
  ASSERT_TRUE(store.instance().ping().ok());

  domain::Organisation rennes;
  rennes.code = "213502388";
  rennes.siren = "213502388";
  rennes.kind = "commune";
  rennes.name = "Rennes";
  rennes.population = 230890;
  rennes.postal_codes = {"35000", "35200"};
  auto written = store.organisations().write_referential("test", "1", {rennes}, "2026-03-01T00:00:00Z");
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(*written, 1);
  EXPECT_EQ(store.organisations().search("35200", 5)->size(), 1u);

  auto created = store.use_cases().create(test::minimal_use_case(), Actor{"test"});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(store.use_cases().get(created->id)->title, test::minimal_use_case().title);
  auto entries = store.audit_log().entries({});
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 1u);
  EXPECT_TRUE(store.analyze().ok());
  EXPECT_EQ(store.instance().source_version("test").value(), "1");
}

}  // namespace
}  // namespace vigie::store
