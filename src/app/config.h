// Configuration: defaults that serve a newcomer, overridden by vigie.toml, then environment
// variables, then command-line flags (DESIGN.md, "Configuration").
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace vigie::app {

struct Config {
  std::filesystem::path data_dir = "var";               // VIGIE_DATA_DIR: vigie.db and index/
  // VIGIE_DATABASE_URL, or `url` in the [database] table: postgresql://… for a PostgreSQL store
  // (store/store.h), sqlite:PATH for another SQLite file; empty = SQLite data_dir/vigie.db.
  std::string database_url;
  std::string listen = "127.0.0.1:8080";                // VIGIE_LISTEN
  std::filesystem::path admin_token_file;               // VIGIE_ADMIN_TOKEN_FILE
  std::string admin_token;                              // VIGIE_ADMIN_TOKEN (or read from the file)
  std::string base_url = "http://127.0.0.1:8080";       // VIGIE_BASE_URL
  std::optional<bool> demo;                             // VIGIE_DEMO: unset = on when demo fiches are loaded
  std::filesystem::path resources_dir;                  // VIGIE_RESOURCES_DIR: data/, templates/, static/, node_modules/
  unsigned threads = 0;                                 // VIGIE_THREADS: 0 = one per core
  std::size_t max_body_bytes = 2 * 1024 * 1024;         // VIGIE_MAX_BODY_BYTES
  std::string contact_email = "observatoire@vigie.example";
  bool page_cache = true;                               // VIGIE_PAGE_CACHE: off to measure rendering
  // Anonymous writes (saved assessments): token buckets per client address and for the site,
  // `requests` per window each (0: no limit), and the storage quota of saved assessments
  // (README, "Anonymous writes").
  unsigned anonymous_writes_per_address = 30;           // VIGIE_ANONYMOUS_WRITES_PER_ADDRESS
  unsigned anonymous_writes_global = 600;               // VIGIE_ANONYMOUS_WRITES_GLOBAL
  unsigned anonymous_writes_window = 600;               // VIGIE_ANONYMOUS_WRITES_WINDOW, seconds
  std::size_t assessment_max_bytes = 128 * 1024;        // VIGIE_ASSESSMENT_MAX_BYTES: answers of one save
  std::size_t assessment_storage_bytes = 64 * 1024 * 1024;  // VIGIE_ASSESSMENT_STORAGE_BYTES: every saved version
  unsigned assessment_versions_kept = 20;               // VIGIE_ASSESSMENT_VERSIONS_KEPT: per unattached assessment
  unsigned max_concurrent_renders = 0;                  // VIGIE_MAX_CONCURRENT_RENDERS: 0 = threads - 1 (at least 1)
  unsigned render_wait_ms = 5000;                       // VIGIE_RENDER_WAIT_MS: then 503 + Retry-After
  std::size_t max_connections = 10'000;                 // VIGIE_MAX_CONNECTIONS: 0 = no limit
  std::size_t max_connections_per_address = 1'000;      // VIGIE_MAX_CONNECTIONS_PER_ADDRESS: 0 = no limit
  bool hsts = false;                                    // VIGIE_HSTS: Strict-Transport-Security (HTTPS only)
  unsigned hsts_max_age = 31'536'000;                   // VIGIE_HSTS_MAX_AGE, seconds
  std::vector<std::string> metrics_allow = {"127.0.0.1", "::1"};  // VIGIE_METRICS_ALLOW (comma-separated)
  std::string metrics_token;                            // VIGIE_METRICS_TOKEN: bearer token for /metrics

  std::filesystem::path database_path() const { return data_dir / "vigie.db"; }
  // Where the store lives: database_url when set, else database_path(). `invalid` for an
  // address of no known backend.
  Result<store::StoreLocation> store_location() const;
};

// Reads `config_file` when it exists (TOML, keys named as in the comments above without the
// VIGIE_ prefix, lower-case: data_dir, listen, admin_token_file, base_url, demo, resources_dir,
// threads, max_body_bytes, contact_email, page_cache, anonymous_writes_per_address,
// anonymous_writes_global, anonymous_writes_window, assessment_max_bytes,
// assessment_storage_bytes, assessment_versions_kept, max_concurrent_renders, render_wait_ms,
// max_connections, max_connections_per_address, hsts, hsts_max_age, metrics_allow (an array of
// strings), metrics_token; and `url` in a [database] table), then the environment. Reads the token file. Fails with `invalid`
// naming the key or file. `executable` locates the resources by default.
Result<Config> load_config(const std::filesystem::path& config_file, const std::filesystem::path& executable);

// Checks what only `serve` needs: a token, when given, is long enough.
Status check_serving_config(const Config& config);

}  // namespace vigie::app
