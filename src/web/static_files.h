// Files served under /static/ from one directory: our own CSS and JS, and the vendored assets
// the build copies in. Internal to the web module; the server calls it for /static/ paths.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "web/http.h"

namespace vigie::web {

class StaticFiles {
 public:
  static constexpr std::string_view kCacheControl = "public, no-cache";

  // `root` need not exist yet; files are looked up on each request.
  explicit StaticFiles(std::filesystem::path root);

  // Answers a GET or HEAD request whose decoded path is "/static/<relative path>": 200 with the
  // file, its content type, `Cache-Control: public, no-cache` and an ETag, or 304 / 412 by the
  // conditional request rules (web/conditional.h). Returns nullopt (the caller answers 404) when there is no
  // such regular file, or the path contains "..", a NUL, or a segment starting with '.'
  // (hidden files). The method is not checked here. Thread-safe.
  std::optional<Response> serve(const Request& request) const;

  // Content type for a file name, by extension; application/octet-stream when unknown.
  static std::string_view content_type_for(std::string_view file_name);

 private:
  struct File {
    std::int64_t modified_ns = 0;
    std::uint64_t size = 0;
    std::string etag;
    std::string content;
    // The content compressed with gzip, for text-like files; its own strong ETag (the etag
    // with "-gz"), since the bytes differ.
    std::string gzipped;
    std::string gzipped_etag;
  };

  // The file at `relative`, read now or taken from the cache when its size and modification
  // time are unchanged. nullptr when it is not a readable regular file.
  std::shared_ptr<const File> load(const std::string& relative) const;

  std::filesystem::path root_;
  mutable std::mutex mutex_;  // guards cache_ and cached_bytes_
  mutable std::unordered_map<std::string, std::shared_ptr<const File>> cache_;
  mutable std::size_t cached_bytes_ = 0;
};

}  // namespace vigie::web
