// Conditional requests (RFC 9110 §13): entity tags, If-Match, If-None-Match and their
// precedence. The one place where Vigie compares validators; the server applies it to every
// GET or HEAD answer that carries an ETag (pages, API reads, static files), and API writes call
// if_match() before changing a fiche.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "web/http.h"

namespace vigie::web {

// An entity tag (RFC 9110 §8.8.3): `opaque` is the quoted string without its quotes.
struct EntityTag {
  bool weak = false;
  std::string opaque;

  // Parses `W/"x"` or `"x"`; nullopt when `text` is not exactly one entity tag (a bare word,
  // a missing quote, a character outside etagc).
  static std::optional<EntityTag> parse(std::string_view text);
  std::string to_string() const;
};

// §8.8.3.2: strong comparison needs both tags strong and equal; weak comparison ignores "W/".
bool strong_match(const EntityTag& a, const EntityTag& b);
bool weak_match(const EntityTag& a, const EntityTag& b);

// How a precondition header evaluates against the current representation's ETag
// (`current_etag`, as sent in the ETag header; empty when the resource has none).
enum class Precondition { absent, holds, fails };

// §13.1.1 If-Match: "*" holds when there is a current representation; otherwise a list of
// entity tags compared strongly. A malformed header holds for nothing, so it fails.
Precondition if_match(const Request& request, std::string_view current_etag);
// §13.1.2 If-None-Match: "*" or a list compared weakly; the condition *fails* when one matches.
// A malformed header is treated as absent (the full answer is always a correct one).
Precondition if_none_match(const Request& request, std::string_view current_etag);

// §13.2.2, steps 1 and 3, for a GET or HEAD request whose answer would be `response` (status 200
// with its ETag): 412 when If-Match fails, 304 when If-None-Match fails; nullopt to send
// `response` as it is. A 304 carries no body but keeps the headers a 200 would have sent that
// describe the representation and its caching (§15.4.5): ETag, Cache-Control, Vary,
// Content-Location, Expires, and the CORS headers.
std::optional<Response> evaluate_preconditions(const Request& request, const Response& response);

// The strong ETag of the gzip-encoded variant of a representation whose identity ETag is
// `etag` ("abc" -> "abc-gz"), since its bytes differ (§8.8.3); weak tags are unchanged.
std::string gzip_variant_etag(std::string_view etag);

}  // namespace vigie::web
