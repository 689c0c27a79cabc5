#include "app/config.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/support/temp_dir.h"

namespace vigie::app {
namespace {

// Sets environment variables for one test and restores them after.
class ScopedEnv {
 public:
  // Sets `name` to `value`, or unsets it when `value` is nullptr.
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// The configuration tests see no VIGIE_ variable but their own (make exports VIGIE_DATA_DIR).
class ConfigTest : public ::testing::Test {
 private:
  ScopedEnv data_dir_{"VIGIE_DATA_DIR", nullptr};
  ScopedEnv listen_{"VIGIE_LISTEN", nullptr};
  ScopedEnv token_{"VIGIE_ADMIN_TOKEN", nullptr};
  ScopedEnv token_file_{"VIGIE_ADMIN_TOKEN_FILE", nullptr};
  ScopedEnv demo_{"VIGIE_DEMO", nullptr};
  ScopedEnv resources_{"VIGIE_RESOURCES_DIR", nullptr};
  ScopedEnv metrics_allow_{"VIGIE_METRICS_ALLOW", nullptr};
  ScopedEnv max_connections_{"VIGIE_MAX_CONNECTIONS", nullptr};
  ScopedEnv hsts_{"VIGIE_HSTS", nullptr};
  ScopedEnv database_url_{"VIGIE_DATABASE_URL", nullptr};
};

TEST_F(ConfigTest, DefaultsServeANewcomer) {
  auto config = load_config("", "/nonexistent/vigie");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->listen, "127.0.0.1:8080");
  EXPECT_TRUE(config->admin_token.empty());
  EXPECT_FALSE(config->demo.has_value());
}

TEST_F(ConfigTest, HardeningDefaultsAreSafe) {
  auto config = load_config("", "/nonexistent/vigie");
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->hsts);
  EXPECT_EQ(config->metrics_allow, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_TRUE(config->metrics_token.empty());
  EXPECT_GT(config->max_connections, 0u);
  EXPECT_GT(config->max_connections_per_address, 0u);
}

TEST_F(ConfigTest, TheStoreIsSqliteInTheDataDirectoryUnlessADatabaseUrlIsGiven) {
  auto config = load_config("", "/nonexistent/vigie");
  ASSERT_TRUE(config.ok());
  auto location = config->store_location();
  ASSERT_TRUE(location.ok());
  EXPECT_EQ(location->backend, store::StoreLocation::Backend::sqlite);
  EXPECT_EQ(location->target, (config->data_dir / "vigie.db").string());

  test::TempDir dir;
  dir.write("vigie.toml", "[database]\nurl = \"postgresql://vigie:secret@db.example:5433/vigie\"\n");
  config = load_config(dir.file("vigie.toml"), "/nonexistent/vigie");
  ASSERT_TRUE(config.ok()) << config.error().message;
  location = config->store_location();
  ASSERT_TRUE(location.ok());
  EXPECT_EQ(location->backend, store::StoreLocation::Backend::postgres);
  EXPECT_EQ(location->target, "postgresql://vigie:secret@db.example:5433/vigie");
  EXPECT_EQ(location->display, "postgresql://vigie@db.example:5433/vigie");  // never the password

  // The environment wins over the file.
  ScopedEnv url("VIGIE_DATABASE_URL", "sqlite:/srv/vigie/autre.db");
  config = load_config(dir.file("vigie.toml"), "/nonexistent/vigie");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->store_location()->target, "/srv/vigie/autre.db");
}

TEST_F(ConfigTest, AnUnknownDatabaseAddressIsRefusedInFrenchWithoutItsPassword) {
  ScopedEnv url("VIGIE_DATABASE_URL", "mysql://root:hunter2@localhost/vigie");
  auto config = load_config("", "/nonexistent/vigie");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().kind, ErrorKind::invalid);
  EXPECT_NE(config.error().message.find("database_url"), std::string::npos) << config.error().message;
  EXPECT_NE(config.error().message.find("postgresql://"), std::string::npos) << config.error().message;
  EXPECT_EQ(config.error().message.find("hunter2"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, HardeningKeysAreReadFromTheFileThenTheEnvironment) {
  test::TempDir dir;
  dir.write("vigie.toml",
            "hsts = true\nhsts_max_age = 600\nmetrics_allow = [\"10.0.0.5\"]\nmax_connections = 50\n"
            "max_connections_per_address = 5\nmax_concurrent_renders = 3\nrender_wait_ms = 200\n");
  ScopedEnv allow("VIGIE_METRICS_ALLOW", "192.0.2.1, ::1");
  ScopedEnv max("VIGIE_MAX_CONNECTIONS", "60");
  auto config = load_config(dir.file("vigie.toml"), "/nonexistent/vigie");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->hsts);
  EXPECT_EQ(config->hsts_max_age, 600u);
  EXPECT_EQ(config->metrics_allow, (std::vector<std::string>{"192.0.2.1", "::1"}));
  EXPECT_EQ(config->max_connections, 60u);
  EXPECT_EQ(config->max_connections_per_address, 5u);
  EXPECT_EQ(config->max_concurrent_renders, 3u);
  EXPECT_EQ(config->render_wait_ms, 200u);
  ScopedEnv hsts("VIGIE_HSTS", "peut-être");
  EXPECT_FALSE(load_config(dir.file("vigie.toml"), "/nonexistent/vigie").ok());
}

TEST_F(ConfigTest, FileThenEnvironmentOverride) {
  test::TempDir dir;
  dir.write("vigie.toml", "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/vigie\"\ndemo = false\n");
  ScopedEnv listen("VIGIE_LISTEN", "127.0.0.1:9100");
  auto config = load_config(dir.file("vigie.toml"), "/nonexistent/vigie");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->listen, "127.0.0.1:9100");
  EXPECT_EQ(config->data_dir, "/srv/vigie");
  EXPECT_EQ(config->demo, false);
}

TEST_F(ConfigTest, InstalledBinaryFindsItsResourcesUnderShare) {
  test::TempDir root;
  root.write("usr/share/vigie/templates/layout.mustache", "");
  root.write("usr/share/vigie/data/taxonomies/domaines.csv", "");
  auto config = load_config("", root.path() / "usr" / "bin" / "vigie");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->resources_dir, root.path() / "usr" / "share" / "vigie");
}

TEST_F(ConfigTest, TokenIsReadFromItsFileAndTrimmed) {
  test::TempDir dir;
  dir.write("token", "  0123456789abcdef0123456789abcdef\n");
  ScopedEnv file("VIGIE_ADMIN_TOKEN_FILE", dir.file("token").c_str());
  auto config = load_config("", "/nonexistent/vigie");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->admin_token, "0123456789abcdef0123456789abcdef");
  EXPECT_TRUE(check_serving_config(*config).ok());
}

TEST_F(ConfigTest, MissingTokenFileIsAnError) {
  ScopedEnv file("VIGIE_ADMIN_TOKEN_FILE", "/nonexistent/token");
  auto config = load_config("", "/nonexistent/vigie");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("/nonexistent/token"), std::string::npos);
}

TEST_F(ConfigTest, ShortTokenIsRefusedForServing) {
  ScopedEnv token("VIGIE_ADMIN_TOKEN", "secret");
  auto config = load_config("", "/nonexistent/vigie");
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(check_serving_config(*config).ok());
}

TEST_F(ConfigTest, MalformedValuesNameTheirKey) {
  {
    ScopedEnv demo("VIGIE_DEMO", "peut-être");
    auto config = load_config("", "/nonexistent/vigie");
    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.error().message.find("VIGIE_DEMO"), std::string::npos);
  }
  test::TempDir dir;
  dir.write("vigie.toml", "listen = \n");
  auto config = load_config(dir.file("vigie.toml"), "/nonexistent/vigie");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("ligne 1"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, AnonymousWriteLimitsComeFromTheFileThenTheEnvironment) {
  test::TempDir dir;
  dir.write("vigie.toml", "anonymous_writes_per_address = 5\nassessment_storage_bytes = 1000000\nassessment_versions_kept = 4\n");
  ScopedEnv per_address("VIGIE_ANONYMOUS_WRITES_PER_ADDRESS", "7");
  ScopedEnv max_bytes("VIGIE_ASSESSMENT_MAX_BYTES", "2048");
  auto config = load_config(dir.file("vigie.toml"), "/nonexistent/vigie");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->anonymous_writes_per_address, 7u);
  EXPECT_EQ(config->anonymous_writes_global, 600u);
  EXPECT_EQ(config->assessment_max_bytes, 2048u);
  EXPECT_EQ(config->assessment_storage_bytes, 1000000u);
  EXPECT_EQ(config->assessment_versions_kept, 4u);
}

TEST_F(ConfigTest, ANegativeLimitOrAnEmptyWindowIsRefused) {
  test::TempDir dir;
  dir.write("vigie.toml", "anonymous_writes_global = -1\n");
  auto negative = load_config(dir.file("vigie.toml"), "/nonexistent/vigie");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().message.find("anonymous_writes_global"), std::string::npos);
  ScopedEnv window("VIGIE_ANONYMOUS_WRITES_WINDOW", "0");
  auto empty = load_config("", "/nonexistent/vigie");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("anonymous_writes_window"), std::string::npos);
}

}  // namespace
}  // namespace vigie::app
