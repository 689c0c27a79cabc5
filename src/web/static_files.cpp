#include "web/static_files.h"

#include "web/compression.h"
#include "web/conditional.h"

#include <sys/stat.h>

#include <array>
#include <fstream>
#include <utility>

namespace vigie::web {

namespace {

constexpr std::string_view kPrefix = "/static/";
// Files up to this size stay in memory (checked against their mtime on every request); larger
// ones are read for each request. The total bound keeps a big asset tree from filling memory.
constexpr std::uint64_t kMaxCachedFileBytes = 1024 * 1024;
constexpr std::size_t kMaxCachedTotalBytes = 64 * 1024 * 1024;

bool is_safe_relative_path(std::string_view relative) {
  if (relative.empty() || relative.find('\0') != std::string_view::npos ||
      relative.find("..") != std::string_view::npos || relative.find('\\') != std::string_view::npos) {
    return false;
  }
  // No hidden files or directories, no empty segment ("a//b", leading or trailing '/').
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = relative.find('/', start);
    const std::string_view segment = relative.substr(start, slash - start);
    if (segment.empty() || segment.front() == '.') return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::string to_hex(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[value & 0xF]);
    value >>= 4;
  } while (value != 0);
  return out;
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

std::string_view StaticFiles::content_type_for(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes = {{
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"json", "application/json; charset=utf-8"},
      {"txt", "text/plain; charset=utf-8"},
      {"webmanifest", "application/manifest+json"},
      {"map", "application/json; charset=utf-8"},
  }};
  const std::size_t dot = file_name.rfind('.');
  const std::size_t slash = file_name.rfind('/');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
    const std::string_view extension = file_name.substr(dot + 1);
    for (const auto& [known, type] : kTypes) {
      if (extension == known) return type;
    }
  }
  return "application/octet-stream";
}

std::shared_ptr<const StaticFiles::File> StaticFiles::load(const std::string& relative) const {
  const std::filesystem::path full = root_ / relative;
  struct stat info {};
  if (::stat(full.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return nullptr;
  const std::int64_t modified_ns =
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + static_cast<std::int64_t>(info.st_mtim.tv_nsec);
  const auto size = static_cast<std::uint64_t>(info.st_size);

  {
    const std::lock_guard lock(mutex_);
    const auto cached = cache_.find(relative);
    if (cached != cache_.end() && cached->second->modified_ns == modified_ns && cached->second->size == size) {
      return cached->second;
    }
  }

  auto file = std::make_shared<File>();
  file->modified_ns = modified_ns;
  file->size = size;
  file->etag = '"' + to_hex(size) + '-' + to_hex(static_cast<std::uint64_t>(modified_ns)) + '"';
  std::ifstream stream(full, std::ios::binary);
  if (!stream) return nullptr;
  file->content.resize(static_cast<std::size_t>(size));
  stream.read(file->content.data(), static_cast<std::streamsize>(size));
  // A file shrunk or replaced between stat and read: serve what was read, do not cache it.
  file->content.resize(static_cast<std::size_t>(stream.gcount()));
  if (file->content.size() != size) return file;
  if (file->content.size() >= kMinCompressedBytes && is_compressible_type(content_type_for(relative))) {
    file->gzipped = gzip(file->content);
    file->gzipped_etag = file->etag.substr(0, file->etag.size() - 1) + "-gz\"";
  }

  if (size <= kMaxCachedFileBytes) {
    const std::lock_guard lock(mutex_);
    auto& slot = cache_[relative];
    if (slot) cached_bytes_ -= slot->content.size();
    if (cached_bytes_ + file->content.size() <= kMaxCachedTotalBytes) {
      slot = file;
      cached_bytes_ += file->content.size();
    } else {
      cache_.erase(relative);
    }
  }
  return file;
}

std::optional<Response> StaticFiles::serve(const Request& request) const {
  std::string_view path = request.path;
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  path.remove_prefix(kPrefix.size());
  if (!is_safe_relative_path(path)) return std::nullopt;

  const std::shared_ptr<const File> file = load(std::string(path));
  if (file == nullptr) return std::nullopt;

  // Text files go compressed to clients that accept gzip, under the compressed bytes' ETag.
  const bool compressed = !file->gzipped.empty() && accepts_gzip(request.header("accept-encoding"));
  const std::string& etag = compressed ? file->gzipped_etag : file->etag;
  Response response;
  // File names carry no version: a long max-age would keep an old stylesheet after a
  // deployment. Browsers revalidate each time, a 304 without body.
  response.headers.emplace_back("Cache-Control", std::string(kCacheControl));
  response.headers.emplace_back("ETag", etag);
  if (!file->gzipped.empty()) response.headers.emplace_back("Vary", "Accept-Encoding");
  if (std::optional<Response> conditional = evaluate_preconditions(request, response)) return std::move(*conditional);
  response.content_type = std::string(content_type_for(path));
  if (compressed) response.headers.emplace_back("Content-Encoding", "gzip");
  response.body = compressed ? file->gzipped : file->content;
  return response;
}

}  // namespace vigie::web
