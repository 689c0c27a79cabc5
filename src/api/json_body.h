// Reading a JSON request body, with French problems for the usual mistakes.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "web/http.h"

namespace vigie::api {

// The body of `request` as JSON: `invalid` (naming the field "Content-Type" or the whole body)
// when the content type is not application/json, the body is not UTF-8 or not well-formed
// JSON (with the byte where parsing stopped).
Result<nlohmann::json> read_json_body(const web::Request& request);

}  // namespace vigie::api
