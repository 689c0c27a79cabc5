// gzip for text responses (RFC 9110 §8.4.1): pages, JSON, SVG, CSS and JavaScript compress 4
// to 8 times, which matters most for the library page and its map panel.
//
// The server compresses a response when the client accepts gzip, the content type is text-like,
// the body is at least kMinCompressedBytes and the response carries no Content-Encoding (a
// handler that chose its encoding, as StaticFiles does). A strong ETag must change with the
// encoding: the server then sends the gzip variant's (web/conditional.h, gzip_variant_etag). The
// page cache compresses once, when it stores a page (Response::gzipped), so cached hits cost no
// compression.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "web/http.h"

namespace vigie::web {

inline constexpr std::size_t kMinCompressedBytes = 1024;

// True when an Accept-Encoding header value admits gzip ("gzip", "gzip;q=0.5", "*"), false
// for "gzip;q=0", "identity" or an empty header.
bool accepts_gzip(std::string_view accept_encoding);

// True for text/*, JSON, problem+JSON, SVG and JavaScript content types.
bool is_compressible_type(std::string_view content_type);

// True when the server may compress `response` (see above), whatever the client accepts.
bool may_compress(const Response& response);

// How hard gzip() works: `fast` for responses compressed on the fly (zlib level 1, about three
// times faster for a few per cent more bytes), `thorough` for what is compressed once and served
// many times (cached pages, static files: zlib's default level 6; level 9 costs twice as much
// for under 1 % fewer bytes).
enum class GzipLevel { fast, thorough };

// `data` as a gzip member. Never fails for in-memory input.
std::string gzip(std::string_view data, GzipLevel level = GzipLevel::thorough);

// Fills response.gzipped when may_compress(response): for responses served many times.
void precompress(Response& response);

}  // namespace vigie::web
