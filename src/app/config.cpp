#include "app/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cstdlib>

#include "core/file.h"
#include "core/text.h"

namespace vigie::app {

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

Result<bool> parse_bool(const std::string& name, const std::string& value) {
  if (value == "1" || value == "true" || value == "on" || value == "oui") return true;
  if (value == "0" || value == "false" || value == "off" || value == "non") return false;
  return Error::invalid(fmt::format("{} : « {} » n'est pas un booléen (true/false, on/off, 1/0)", name, value));
}

Result<unsigned long long> parse_unsigned(const std::string& name, const std::string& value) {
  try {
    std::size_t end = 0;
    const auto parsed = std::stoull(value, &end);
    if (end == value.size()) return parsed;
  } catch (const std::exception&) {
  }
  return Error::invalid(fmt::format("{} : « {} » n'est pas un entier positif", name, value));
}

bool holds_resources(const std::filesystem::path& dir) {
  return std::filesystem::exists(dir / "templates" / "layout.mustache") && std::filesystem::exists(dir / "data" / "taxonomies");
}

// The directory holding data/ and templates/: next to the build directory of the binary
// (build/vigie -> the source tree), else where the Debian package installs them beside the
// binary (/usr/bin/vigie -> /usr/share/vigie; relative, so a package unpacked into another
// root finds its own), else the current directory.
std::filesystem::path default_resources(const std::filesystem::path& executable) {
  std::error_code ignored;
  const auto absolute = std::filesystem::weakly_canonical(executable, ignored);
  for (auto dir = absolute.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    if (holds_resources(dir)) return dir;
  }
  const auto installed = absolute.parent_path().parent_path() / "share" / "vigie";
  if (holds_resources(installed)) return installed;
  return std::filesystem::current_path(ignored);
}

// An unsigned key from the TOML table; `invalid` for a negative or non-integer value.
template <typename Unsigned>
Status read_unsigned(const toml::table& table, const char* key, Unsigned& target) {
  const auto node = table[key];
  if (!node) return {};
  const auto value = node.value<std::int64_t>();
  if (!value || *value < 0) return Error::invalid(fmt::format("{} : un entier positif est attendu", key));
  target = static_cast<Unsigned>(*value);
  return {};
}

// An unsigned environment variable, when set.
template <typename Unsigned>
Status read_unsigned_env(const char* name, Unsigned& target) {
  if (auto v = env(name)) {
    TRY_ASSIGN(const auto parsed, parse_unsigned(name, *v));
    target = static_cast<Unsigned>(parsed);
  }
  return {};
}

}  // namespace

Result<Config> load_config(const std::filesystem::path& config_file, const std::filesystem::path& executable) {
  Config config;
  config.resources_dir = default_resources(executable);
  if (!config_file.empty() && std::filesystem::exists(config_file)) {
    toml::table table;
    try {
      table = toml::parse_file(config_file.string());
    } catch (const toml::parse_error& error) {
      return Error::invalid(fmt::format("{}, ligne {} : {}", config_file.string(), error.source().begin.line, error.description()));
    }
    if (auto v = table["data_dir"].value<std::string>()) config.data_dir = *v;
    if (auto v = table["listen"].value<std::string>()) config.listen = *v;
    if (auto v = table["admin_token_file"].value<std::string>()) config.admin_token_file = *v;
    if (auto v = table["base_url"].value<std::string>()) config.base_url = *v;
    if (auto v = table["demo"].value<bool>()) config.demo = *v;
    if (auto v = table["resources_dir"].value<std::string>()) config.resources_dir = *v;
    if (auto v = table["threads"].value<std::int64_t>()) config.threads = static_cast<unsigned>(*v);
    if (auto v = table["max_body_bytes"].value<std::int64_t>()) config.max_body_bytes = static_cast<std::size_t>(*v);
    if (auto v = table["contact_email"].value<std::string>()) config.contact_email = *v;
    if (auto v = table["page_cache"].value<bool>()) config.page_cache = *v;
    TRY_STATUS(read_unsigned(table, "anonymous_writes_per_address", config.anonymous_writes_per_address));
    TRY_STATUS(read_unsigned(table, "anonymous_writes_global", config.anonymous_writes_global));
    TRY_STATUS(read_unsigned(table, "anonymous_writes_window", config.anonymous_writes_window));
    TRY_STATUS(read_unsigned(table, "assessment_max_bytes", config.assessment_max_bytes));
    TRY_STATUS(read_unsigned(table, "assessment_storage_bytes", config.assessment_storage_bytes));
    TRY_STATUS(read_unsigned(table, "assessment_versions_kept", config.assessment_versions_kept));
    if (auto v = table["max_concurrent_renders"].value<std::int64_t>()) config.max_concurrent_renders = static_cast<unsigned>(*v);
    if (auto v = table["render_wait_ms"].value<std::int64_t>()) config.render_wait_ms = static_cast<unsigned>(*v);
    if (auto v = table["max_connections"].value<std::int64_t>()) config.max_connections = static_cast<std::size_t>(*v);
    if (auto v = table["max_connections_per_address"].value<std::int64_t>()) {
      config.max_connections_per_address = static_cast<std::size_t>(*v);
    }
    if (auto v = table["hsts"].value<bool>()) config.hsts = *v;
    if (auto v = table["hsts_max_age"].value<std::int64_t>()) config.hsts_max_age = static_cast<unsigned>(*v);
    if (const toml::array* list = table["metrics_allow"].as_array()) {
      config.metrics_allow.clear();
      for (const auto& item : *list) {
        const auto address = item.value<std::string>();
        if (!address) return Error::invalid(fmt::format("{} : metrics_allow doit être une liste d'adresses IP", config_file.string()));
        config.metrics_allow.push_back(*address);
      }
    }
    if (auto v = table["metrics_token"].value<std::string>()) config.metrics_token = *v;
    if (auto v = table["database"]["url"].value<std::string>()) config.database_url = *v;
  }
  if (auto v = env("VIGIE_DATA_DIR")) config.data_dir = *v;
  if (auto v = env("VIGIE_DATABASE_URL")) config.database_url = *v;
  if (auto v = env("VIGIE_LISTEN")) config.listen = *v;
  if (auto v = env("VIGIE_ADMIN_TOKEN_FILE")) config.admin_token_file = *v;
  if (auto v = env("VIGIE_ADMIN_TOKEN")) config.admin_token = *v;
  if (auto v = env("VIGIE_BASE_URL")) config.base_url = *v;
  if (auto v = env("VIGIE_RESOURCES_DIR")) config.resources_dir = *v;
  if (auto v = env("VIGIE_DEMO")) {
    TRY_ASSIGN(config.demo, parse_bool("VIGIE_DEMO", *v));
  }
  if (auto v = env("VIGIE_PAGE_CACHE")) {
    TRY_ASSIGN(config.page_cache, parse_bool("VIGIE_PAGE_CACHE", *v));
  }
  if (auto v = env("VIGIE_THREADS")) {
    TRY_ASSIGN(auto threads, parse_unsigned("VIGIE_THREADS", *v));
    config.threads = static_cast<unsigned>(threads);
  }
  for (const auto& [name, target] : {std::pair<const char*, unsigned*>{"VIGIE_MAX_CONCURRENT_RENDERS", &config.max_concurrent_renders},
                                     {"VIGIE_RENDER_WAIT_MS", &config.render_wait_ms},
                                     {"VIGIE_HSTS_MAX_AGE", &config.hsts_max_age}}) {
    if (auto v = env(name)) {
      TRY_ASSIGN(auto parsed, parse_unsigned(name, *v));
      *target = static_cast<unsigned>(parsed);
    }
  }
  for (const auto& [name, target] : {std::pair<const char*, std::size_t*>{"VIGIE_MAX_CONNECTIONS", &config.max_connections},
                                     {"VIGIE_MAX_CONNECTIONS_PER_ADDRESS", &config.max_connections_per_address}}) {
    if (auto v = env(name)) {
      TRY_ASSIGN(auto parsed, parse_unsigned(name, *v));
      *target = static_cast<std::size_t>(parsed);
    }
  }
  if (auto v = env("VIGIE_HSTS")) {
    TRY_ASSIGN(config.hsts, parse_bool("VIGIE_HSTS", *v));
  }
  if (auto v = env("VIGIE_METRICS_ALLOW")) {
    config.metrics_allow.clear();
    for (std::string_view rest = *v; !rest.empty();) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = text::trim(rest.substr(0, comma));
      if (!item.empty()) config.metrics_allow.emplace_back(item);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (auto v = env("VIGIE_METRICS_TOKEN")) config.metrics_token = *v;
  if (auto v = env("VIGIE_MAX_BODY_BYTES")) {
    TRY_ASSIGN(auto bytes, parse_unsigned("VIGIE_MAX_BODY_BYTES", *v));
    config.max_body_bytes = static_cast<std::size_t>(bytes);
  }
  TRY_STATUS(read_unsigned_env("VIGIE_ANONYMOUS_WRITES_PER_ADDRESS", config.anonymous_writes_per_address));
  TRY_STATUS(read_unsigned_env("VIGIE_ANONYMOUS_WRITES_GLOBAL", config.anonymous_writes_global));
  TRY_STATUS(read_unsigned_env("VIGIE_ANONYMOUS_WRITES_WINDOW", config.anonymous_writes_window));
  TRY_STATUS(read_unsigned_env("VIGIE_ASSESSMENT_MAX_BYTES", config.assessment_max_bytes));
  TRY_STATUS(read_unsigned_env("VIGIE_ASSESSMENT_STORAGE_BYTES", config.assessment_storage_bytes));
  TRY_STATUS(read_unsigned_env("VIGIE_ASSESSMENT_VERSIONS_KEPT", config.assessment_versions_kept));
  if (!config.database_url.empty()) {
    if (auto location = config.store_location(); !location.ok()) return Error::invalid("database_url : " + location.error().message);
  }
  if (config.anonymous_writes_window == 0) return Error::invalid("anonymous_writes_window : la fenêtre doit durer au moins une seconde");
  if (config.assessment_versions_kept == 0) return Error::invalid("assessment_versions_kept : au moins une version doit être gardée");
  if (config.admin_token.empty() && !config.admin_token_file.empty()) {
    auto token = read_file(config.admin_token_file);
    if (!token.ok()) return Error::invalid(fmt::format("jeton d'administration : {}", token.error().message));
    config.admin_token = std::string(text::trim(*token));
  }
  return config;
}

Result<store::StoreLocation> Config::store_location() const {
  if (database_url.empty()) return store::sqlite_location(database_path().string());
  return store::parse_store_location(database_url);
}

Status check_serving_config(const Config& config) {
  if (!config.admin_token.empty() && config.admin_token.size() < 24) {
    return Error::invalid("le jeton d'administration doit compter au moins 24 caractères (par exemple : openssl rand -hex 32)");
  }
  if (!config.metrics_token.empty() && config.metrics_token.size() < 24) {
    return Error::invalid("le jeton de /metrics doit compter au moins 24 caractères (par exemple : openssl rand -hex 32)");
  }
  return {};
}

}  // namespace vigie::app
