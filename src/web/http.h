// The request and response types every handler sees. They are plain values, independent of
// sockets, so handlers are unit-tested without a server.
#pragma once

#include <ostream>  // Boost 1.74's string_view, reached through verb.hpp, needs it declared first

#include <boost/beast/http/verb.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigie::web {

class PreparedSlot;  // web/prepared_response.h

using Verb = boost::beast::http::verb;

// Decoded query string, in order of appearance; a key may repeat (?domaine=a&domaine=b).
class QueryParams {
 public:
  QueryParams() = default;
  // Parses "a=1&b=%C3%A9t%C3%A9+x&a=2" (application/x-www-form-urlencoded rules: '+' is a space,
  // %XX decoded; malformed escapes are kept literally). Never fails.
  static QueryParams parse(std::string_view query);

  // First value of `key`, or `fallback` when absent.
  std::string get(std::string_view key, std::string_view fallback = {}) const;
  // Every value of `key`, in order; empty values are skipped.
  std::vector<std::string> all(std::string_view key) const;
  bool has(std::string_view key) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  void add(std::string key, std::string value) { items_.emplace_back(std::move(key), std::move(value)); }
  // Re-encodes to a query string (without '?'), keys in insertion order.
  std::string encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Percent-decodes a path or query component. `plus_is_space` for query strings.
std::string url_decode(std::string_view text, bool plus_is_space);
// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
std::string url_encode(std::string_view text);

// The credentials of an "Authorization: Bearer <token>" header value, the scheme compared
// case-insensitively (RFC 9110 §11.1); empty for another scheme or no token.
std::string_view bearer_token(std::string_view authorization);

struct Request {
  Verb method = Verb::get;
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, without the query
  QueryParams query;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  // Values captured by the route pattern, e.g. {"id", "12-detection"} for "/fiches/{id}".
  std::vector<std::pair<std::string, std::string>> params;

  // First header named `name` (case-insensitive), or empty.
  std::string_view header(std::string_view name) const;
  // Whether a header named `name` (case-insensitive) is present, even with an empty value.
  bool has_header(std::string_view name) const;
  // Captured route parameter, or empty.
  std::string_view param(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Location, ETag…)
  // `body` compressed with gzip ahead of time (web/compression.h), shared by the copies of a
  // cached response; null when not precompressed.
  std::shared_ptr<const std::string> gzipped;
  // Set by a cache on a response it serves many times, shared by its copies: the server keeps
  // there the bytes it serialised the first time (web/prepared_response.h) and sends them again
  // instead of serialising each copy. Whoever changes the status, a header or the body of a copy
  // must reset it; a copy that gains the same headers for every request (the CORS headers of a
  // path) may keep it.
  std::shared_ptr<PreparedSlot> prepared;

  static Response html(std::string body, unsigned status = 200);
  static Response json(std::string body, unsigned status = 200);
  static Response text(std::string body, unsigned status = 200);
  // 301 or 302/303 to `location` (a path or absolute URL).
  static Response redirect(std::string location, unsigned status = 301);

  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  // Whether an extra header named `name` (case-insensitive) is set.
  bool has_header(std::string_view name) const;
};

// ASCII case-insensitive equality (header names, content codings, media types).
bool equals_ignoring_ascii_case(std::string_view a, std::string_view b);

}  // namespace vigie::web
