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
};

TEST_F(ConfigTest, DefaultsServeANewcomer) {
  auto config = load_config("", "/nonexistent/vigie");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->listen, "127.0.0.1:8080");
  EXPECT_TRUE(config->admin_token.empty());
  EXPECT_FALSE(config->demo.has_value());
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

}  // namespace
}  // namespace vigie::app
