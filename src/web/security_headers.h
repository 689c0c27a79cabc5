// The security headers the server adds to every response, errors and static files included.
// A response that already carries one of these headers (say, an embeddable page with its own
// Content-Security-Policy) keeps its own value.
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace vigie::web {

using HeaderView = std::pair<std::string_view, std::string_view>;

// Same-origin everything: no inline scripts or styles, no framing, no plugins, forms post only
// to this site; images may also be data: URLs (inline SVG icons).
inline constexpr std::array<HeaderView, 6> kDefaultSecurityHeaders = {{
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
     "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"X-Frame-Options", "DENY"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
}};

}  // namespace vigie::web
