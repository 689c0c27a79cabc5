// Base64url (RFC 4648 §5, no padding), for opaque cursors and tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigie::encoding {

std::string base64url_encode(std::string_view bytes);
// nullopt when `text` is not valid unpadded base64url.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace vigie::encoding
