#include "web/compression.h"

#include <zlib.h>

#include <cctype>
#include <stdexcept>

#include "core/text.h"

namespace vigie::web {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  bool accepted = false;
  while (!accept_encoding.empty()) {
    const std::size_t comma = accept_encoding.find(',');
    std::string_view item = trim(accept_encoding.substr(0, comma));
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    std::string_view coding = item;
    bool refused = false;
    if (const std::size_t semicolon = item.find(';'); semicolon != std::string_view::npos) {
      coding = trim(item.substr(0, semicolon));
      std::string_view parameter = trim(item.substr(semicolon + 1));
      if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
        parameter.remove_prefix(2);
        refused = parameter.find_first_not_of("0.") == std::string_view::npos;  // q=0, q=0.0, q=0.000
      }
    }
    if (equals_ignoring_ascii_case(coding, "gzip") || equals_ignoring_ascii_case(coding, "x-gzip")) return !refused;
    if (coding == "*") accepted = !refused;
  }
  return accepted;
}

bool is_compressible_type(std::string_view content_type) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  return type.starts_with("text/") || equals_ignoring_ascii_case(type, "application/json") || equals_ignoring_ascii_case(type, "application/problem+json") ||
         equals_ignoring_ascii_case(type, "image/svg+xml") || equals_ignoring_ascii_case(type, "application/javascript") || equals_ignoring_ascii_case(type, "text/javascript");
}

bool may_compress(const Response& response) {
  return response.status == 200 && response.body.size() >= kMinCompressedBytes && is_compressible_type(response.content_type) &&
         !response.has_header("Content-Encoding");
}

std::string gzip(std::string_view data, GzipLevel level) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, level == GzipLevel::fast ? Z_BEST_SPEED : Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2");
  }
  std::string out;
  out.resize(deflateBound(&stream, static_cast<uLong>(data.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate");
  return out;
}

void precompress(Response& response) {
  if (may_compress(response)) response.gzipped = std::make_shared<const std::string>(gzip(response.body));
}

}  // namespace vigie::web
