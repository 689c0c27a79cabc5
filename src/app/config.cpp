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
  }
  if (auto v = env("VIGIE_DATA_DIR")) config.data_dir = *v;
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
  if (auto v = env("VIGIE_MAX_BODY_BYTES")) {
    TRY_ASSIGN(auto bytes, parse_unsigned("VIGIE_MAX_BODY_BYTES", *v));
    config.max_body_bytes = static_cast<std::size_t>(bytes);
  }
  if (config.admin_token.empty() && !config.admin_token_file.empty()) {
    auto token = read_file(config.admin_token_file);
    if (!token.ok()) return Error::invalid(fmt::format("jeton d'administration : {}", token.error().message));
    config.admin_token = std::string(text::trim(*token));
  }
  return config;
}

Status check_serving_config(const Config& config) {
  if (!config.admin_token.empty() && config.admin_token.size() < 24) {
    return Error::invalid("le jeton d'administration doit compter au moins 24 caractères (par exemple : openssl rand -hex 32)");
  }
  return {};
}

}  // namespace vigie::app
